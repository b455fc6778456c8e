"""The app on the test world, for snapshots and Pilot tests: same data, same clock, always.

    from tests.screens.snapshot_app import make_app, settle, open_screen

    app = make_app(tmp_path)                 # signed in as Anna; opens on the landing screen
    app = make_app(tmp_path, login=False)    # opens on the login screen
    app = make_app(tmp_path, empty=True)     # an empty store: the first-run screen

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)                  # every worker (and what it started) is done
        await open_screen(pilot, "cart")     # a destination of mlm_tui.navigation

    snap_sizes(app, steps) == []             # pictured at 80x24 and 120x40 (sized_snapshots)

    screen_text(app)                         # the terminal as plain text, for assertions
    codes_sent_to(app, world.ANNA.email)     # reset/activation codes from the Maildir

Everything lives under ``tmp_path``: a copy of the world store (built once per process),
the state dir where sessions are kept, and the Maildir where reset codes arrive. The
clock stands at ``world.NOW`` unless a test moves it (``app.clock.advance(...)``). Cursor
blinking is switched off by the autouse fixture in ``tests/screens/conftest.py``.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import io
import re
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerState

from mlm_tui.app import MlmApp
from mlm_tui.core.settings import Settings
from tests import world
from tests.conftest import Clock


@cache
def _world_template(with_orders: bool) -> Path:
    """The world store, built once per test process and copied for every app."""
    directory = Path(tempfile.mkdtemp(prefix="mlm-world-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)  # nothing left in /tmp
    return world.build_world(directory / "store.db", with_orders=with_orders)


def settings_for(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", config_dir=tmp_path / "config",
                    state_dir=tmp_path / "state")


def make_app(
    tmp_path: Path,
    *,
    login: bool = True,
    empty: bool = False,
    with_orders: bool = False,
    clock: Clock | None = None,
    keeper: Any = None,
    wrap: Any = None,
    **app_options: Any,
) -> MlmApp:
    """The app over a fresh copy of the world (or an empty store with ``empty``).

    ``login`` signs Anna in before the app sees the backend, so it opens on the landing
    screen; without it the login screen shows. ``with_orders`` adds the world's order
    history (``world.WORLD_ORDERS``). ``keeper`` keeps sessions between runs
    (a ``SessionKeeper`` over ``tmp_path / "state"``); ``wrap(backend)`` may return a
    stand-in that slows down or fails some calls; ``app_options`` go to ``MlmApp``
    (``demo_login``, ``demo_builder``, ``build_demo_at_once``).
    """
    settings = settings_for(tmp_path)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if not empty and not settings.store_path.exists():
        shutil.copyfile(_world_template(with_orders), settings.store_path)
    clock = clock or Clock()

    def open_backend() -> Any:
        from mlm_tui.core.local import LocalBackend

        backend = LocalBackend(app.settings, clock=clock)  # a test may have replaced them
        if login and not empty:
            backend.login(world.ANNA.registration_number, world.PASSWORD)
        return wrap(backend) if wrap else backend

    app_options.setdefault("signed_in_at_start", login and not empty)
    app = MlmApp(open_backend, settings=settings, keeper=keeper, clock=clock, **app_options)
    return app


async def settle(pilot: Pilot[Any], *, rounds: int = 20) -> None:
    """Wait until no worker runs, including those started by the results of others.

    A worker that failed fails the test (its exception is raised here); cancelled ones
    (replaced by a newer exclusive worker) are fine. The backend opens only after the
    first frame, so that is waited for too.
    """
    for _ in range(200):
        if getattr(pilot.app, "backend_ready", True):
            break
        await pilot.pause(0.01)
    for _ in range(rounds):
        await pilot.pause()
        running = [w for w in pilot.app.workers
                   if w.state in {WorkerState.PENDING, WorkerState.RUNNING}]
        if not running:
            await pilot.pause()
            if not [w for w in pilot.app.workers
                    if w.state in {WorkerState.PENDING, WorkerState.RUNNING}]:
                await _laid_out(pilot)
                return
            continue
        for worker in running:
            with contextlib.suppress(WorkerCancelled):
                await asyncio.wait_for(worker.wait(), timeout=30)
    raise AssertionError("workers kept starting: the app never settled")


async def _laid_out(pilot: Pilot[Any]) -> None:
    """Wait for the layout a change asked for: Textual lays the screen out on its next
    frame, and on a busy machine that may come after the app went idle, so a label that
    grew would still be read at its old width."""
    for _ in range(200):
        screen = pilot.app.screen
        # A widget that changed size (a button given a longer label) asks the screen for
        # a layout only when it next goes idle: until then only the widget knows.
        if not (screen._layout_required or screen._scroll_required
                or any(widget._layout_required for widget in screen.walk_children())):
            return
        await pilot.pause(0.005)


async def open_screen(pilot: Pilot[Any], destination_id: str) -> None:
    """Go to a destination as its key would, and wait for it to load."""
    await pilot.app.run_action(f"go('{destination_id}')")
    await settle(pilot)


def screen_text(app: Any) -> str:
    """Everything drawn on the terminal now, as plain text: what a person reads.

    No-break spaces (Babel puts them in amounts) read as spaces: "10 000,00 ₽".
    """
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system=None, record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens))
    return console.export_text().replace("\xa0", " ").replace("\u202f", " ")


def codes_sent_to(app: Any, recipient: str) -> list[str]:
    """The numeric codes e-mailed or texted to ``recipient`` (oldest first)."""
    from email import message_from_bytes, policy

    from mlm_tui.core.notifier import read_maildir

    codes = []
    for kept in read_maildir(app.settings.maildir):
        message = message_from_bytes(bytes(kept), policy=policy.default)
        if recipient in (message["To"], message["X-SMS-To"]):
            body = message.get_body(preferencelist=("plain",))
            codes += re.findall(r"\b\d{8}\b", body.get_content() if body else "")
    return codes
