"""The poisoned store for tests: the small demo store with hostile text everywhere.

    from tests.hostile import hostile_store, make_hostile_app, terminal_output

Built once per test process (a small demo: a few dozen products, a dozen members, a few
hundred orders, claims and messages), then :func:`mlm_tui.core.local.hostile.make_hostile`
puts terminal escapes, markup and formulas in front of every free text. Each test gets its
own copy under ``tmp_path``.
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from mlm_tui.core.demo import build_demo, demo_login
from mlm_tui.core.local.hostile import make_hostile
from tests.conftest import Clock
from tests.screens.snapshot_app import settings_for

LOGIN = demo_login("ru")
# The demo's clock: its orders, parcels and claims are laid out back from this day.
TODAY = date(2026, 11, 20)

# What Textual itself writes between the cells: colours and styles (SGR) and moves of the
# cursor (CUP). Anything else that starts with ESC, or any other control character, came
# from the data.
_TEXTUAL_SEQUENCES = re.compile(r"\x1b\[[0-9;]*m|\x1b\[[0-9]+;[0-9]+H")
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


@cache
def _template(today: date | None) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="mlm-hostile-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)  # nothing left in /tmp
    path = folder / "store.db"
    build_demo(path, products=30, orders=400, members=12, today=today)
    make_hostile(path)
    return path


def hostile_store(directory: Path, *, today: date | None = TODAY) -> Path:
    """A fresh copy of the poisoned store as ``directory / "store.db"``, built for the
    tests' clock (``TODAY``) or, with ``today=None``, for the real one (a real process)."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "store.db"
    shutil.copyfile(_template(today), target)
    return target


def make_hostile_app(tmp_path: Path, **app_options: Any) -> Any:
    """The app over a copy of the poisoned store, signed in as the demo consultant."""
    from mlm_tui.app import MlmApp

    settings = settings_for(tmp_path)
    hostile_store(settings.data_dir)
    clock = Clock()

    def open_backend() -> Any:
        from mlm_tui.core.local import LocalBackend

        backend = LocalBackend(settings, clock=clock)
        backend.login(LOGIN.registration_number, LOGIN.password)
        return backend

    app = MlmApp(open_backend, settings=settings, clock=clock, **app_options)
    return app


def terminal_output(app: Any) -> str:
    """The bytes the app would write to the terminal for its whole screen now."""
    update = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens)
    return update.render_segments(app.console)


def smuggled(output: str) -> list[str]:
    """Control characters in ``output`` that Textual did not put there itself."""
    return _CONTROL.findall(_TEXTUAL_SEQUENCES.sub("", output))
