"""A small demo store with two years of orders, for the back-office widgets and screens.

The grid needs more orders than the test world holds (months to jump between, pages to
read ahead, flagged order types). The deterministic demo data gives them: built once per
run at the world's day, copied for each test. ``tests/widgets/conftest.py`` brings these
fixtures in.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import world

DEMO_SIZE = dict(products=60, orders=600, members=30)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from mlm_tui.core.demo import build_demo

    path = tmp_path_factory.mktemp("backoffice") / "store.db"
    build_demo(path, today=world.NOW.date(), **DEMO_SIZE)
    return path


@pytest.fixture
def demo_settings(demo_template: Path, tmp_path: Path):
    from mlm_tui.core.settings import load_settings

    data_dir = tmp_path / "demo-data"
    data_dir.mkdir()
    shutil.copyfile(demo_template, data_dir / "store.db")
    return load_settings(data_dir=data_dir)


@pytest.fixture
def demo_backend(demo_settings, clock) -> Iterator[object]:
    """LocalBackend on the demo store, signed in as the demo consultant (root of the team)."""
    from mlm_tui.core.demo import DEMO_LOGIN
    from mlm_tui.core.local import LocalBackend

    backend = LocalBackend(demo_settings, clock=clock)
    backend.login(DEMO_LOGIN.registration_number, DEMO_LOGIN.password)
    yield backend
    backend.close()
