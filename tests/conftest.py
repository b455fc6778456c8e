"""Fixtures every test shares.

- Tests never read the developer's own config or data: every platformdirs location and
  every ``MLM_TUI_*`` variable points into ``tmp_path``.
- ``world_file`` is the small fixed store of :mod:`tests.world`, built once per run and
  copied for each test, so a test may change it freely.
- ``backend`` is the contract fixture: the same tests run over every Backend
  implementation listed in ``BACKENDS``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests import world
from tests.backoffice import demo_backend, demo_settings, demo_template  # noqa: F401

BACKENDS = ["local"]


def _quick_idle_waits() -> None:
    """Textual's test pilot waits for the process to go idle after every key, sleeping
    20 ms at a time; 2 ms is as safe (each wait still ends only when the CPU is idle)
    and cuts the screen tests to about a third."""
    from textual import _wait

    _wait.SLEEP_GRANULARITY = 0.002
    _wait.SLEEP_IDLE = 0.0005


def _cheap_password_hashing() -> None:
    """argon2id at OWASP's parameters costs ~50 ms a hash, and the tests hash thousands.
    The hash carries its parameters, so stores made here still verify anywhere;
    ``test_passwords.py`` checks the production parameters in a fresh interpreter."""
    from argon2 import PasswordHasher
    from argon2.low_level import Type

    from mlm_tui.core import passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1, type=Type.ID)
    passwords._hasher = lambda: cheap  # type: ignore[assignment]


_quick_idle_waits()
_cheap_password_hashing()


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local/state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    for name in ("DATA_DIR", "CONFIG_DIR", "STATE_DIR", "SERVER", "SMTP_HOST", "LANG"):
        monkeypatch.delenv(f"MLM_TUI_{name}", raising=False)
    # English unless a test asks for another language, whatever the developer's locale.
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    # No keyring daemon in tests: the session keeper must use its file fallback.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return home


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """The language is the process's: a test that switches it leaves English behind."""
    yield
    from mlm_tui import i18n

    i18n.install("en")


@dataclass
class Clock:
    """A clock tests can move: reset codes expire, throttling ends."""

    now: datetime = world.NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return world.build_world(tmp_path_factory.mktemp("world") / "store.db")


@pytest.fixture
def world_file(world_template: Path, tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    target = data_dir / "store.db"
    shutil.copyfile(world_template, target)
    return target


@pytest.fixture
def world_orders(world_file: Path) -> Path:
    """The world with its order history (``world.add_orders``): orders, invoices, parcels."""
    world.add_orders(world_file)
    return world_file


@pytest.fixture
def settings(world_file: Path):
    from mlm_tui.core.settings import load_settings

    return load_settings(data_dir=world_file.parent)


def _make_backend(kind: str, settings, clock: Clock):
    if kind == "local":
        from mlm_tui.core.local import LocalBackend

        return LocalBackend(settings, clock=clock)
    raise ValueError(kind)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, settings, clock: Clock) -> Iterator[object]:
    """A Backend over the world, signed in as nobody."""
    b = _make_backend(request.param, settings, clock)
    yield b
    b.close()


@pytest.fixture
def anna(backend):
    """The backend signed in as Anna, root of her team."""
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    return backend
