"""The app with its team server stopped: a consultant signed in before works on from the
replica (catalog, quick order, cart priced here, checkout queued), the header says
"OFFLINE · prices as of …", and once the server is started again the queued order goes
through. One real server for the module, stopped and started on the same port."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from mlm_tui.app import MlmApp
from mlm_tui.core.offline.fallback import OfflineFallback
from mlm_tui.core.offline.outbox import OutboxState
from mlm_tui.core.remote.backend import RemoteBackend
from mlm_tui.core.session_keeper import SessionKeeper
from tests import world
from tests.conftest import Clock
from tests.remote_server import CLOCK_FILE, store_id
from tests.screens.keys import keys
from tests.screens.snapshot_app import open_screen, screen_text, settings_for, settle
from tests.smtp import free_port

pytestmark = pytest.mark.long_running  # runs for seconds: first in the run

ROOT = Path(__file__).resolve().parents[2]


class TeamServer:
    """The test team server in its own process, stopped and started on one port; each
    test has a store of its own on it (``url``)."""

    def __init__(self, world_template: Path) -> None:
        self.port = free_port()
        self.world_template = world_template
        self.url = ""
        self.process: subprocess.Popen[str] | None = None

    def new_store(self, data_dir: Path) -> None:
        data_dir.mkdir()
        shutil.copyfile(self.world_template, data_dir / "store.db")
        (data_dir / CLOCK_FILE).write_text(world.NOW.isoformat())
        self.url = f"http://127.0.0.1:{self.port}/{store_id(data_dir)}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.remote_server", str(self.port)], cwd=ROOT,
            stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        assert int(self.process.stdout.readline()) == self.port

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def team_server(world_template: Path):
    team = TeamServer(world_template)
    team.start()
    yield team
    team.stop()


@pytest.fixture
def server(team_server: TeamServer, tmp_path: Path) -> TeamServer:
    team_server.new_store(tmp_path / "server")
    return team_server


SHOWN_AS = "https://team.example.ru"


class ShownAs(OfflineFallback):
    """The backend named as a team's server is (the test server's port changes)."""

    def describe(self) -> str:
        return SHOWN_AS


def fallback(tmp_path: Path, server: TeamServer) -> OfflineFallback:
    return ShownAs(RemoteBackend(server.url), settings_for(tmp_path).data_dir, server.url,
                   clock=lambda: world.NOW)


def signed_in_before(tmp_path: Path, server: TeamServer) -> None:
    """Anna signed in once while the server answered: her session and the replica kept."""
    backend = fallback(tmp_path, server)
    session = backend.login(world.ANNA.registration_number, world.PASSWORD)
    backend.wait_kept()
    SessionKeeper(tmp_path / "state").save(SHOWN_AS, session.token)
    backend.close()


def offline_app(tmp_path: Path, server: TeamServer) -> MlmApp:
    settings = replace(settings_for(tmp_path), server_url=server.url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return MlmApp(lambda: fallback(tmp_path, server), settings=settings,
                  keeper=SessionKeeper(tmp_path / "state"), clock=Clock())


@pytest.fixture
def stopped(server: TeamServer, tmp_path: Path):
    """Signed in before; the server stopped now (and started again after the test)."""
    signed_in_before(tmp_path, server)
    server.stop()
    yield server
    if server.process is None or server.process.poll() is not None:
        server.start()


@pytest.mark.anyio
async def test_offline_the_app_browses_orders_and_queues_then_sends_when_back(
        tmp_path, stopped):
    app = offline_app(tmp_path, stopped)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.session is not None and app.session.member_id == world.ANNA.id
        header = screen_text(app).splitlines()[0]
        assert "OFFLINE" in header and "prices as of" in header

        await open_screen(pilot, "catalog")
        await keys(pilot, *"Нежность")
        await settle(pilot)
        assert "32548" in screen_text(app)  # found in the catalog kept here

        await open_screen(pilot, "quick_order")
        await keys(pilot, *"32548", "enter", "2", "enter", *"33012", "enter", "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "2 lines put into the cart." in screen_text(app)

        await open_screen(pilot, "cart")
        text = screen_text(app)
        assert "32548" in text and "33012" in text
        assert "1 278,40 ₽" in text  # 2 × 639,20 ₽, priced here as the server would

        await pilot.press("c")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert "Order Q-000001 is queued" in text and "1 queued" in text.splitlines()[0]
        queued = app.with_own_outbox(lambda outbox: outbox.get(1))
        assert queued.state is OutboxState.QUEUED
        assert [(line.code, line.quantity) for line in queued.prepared.lines] == [
            ("32548", 2), ("33012", 1)]

        stopped.start()  # the server is back: the change poll finds it
        app.check_for_changes()
        await settle(pilot)
        sent = app.with_own_outbox(lambda outbox: outbox.get(1))
        assert sent.state is OutboxState.SENT and app.outbox_counts == (0, 0)
        assert app.online and "OFFLINE" not in screen_text(app).splitlines()[0]

    direct = RemoteBackend(stopped.url)
    direct.login(world.ANNA.registration_number, world.PASSWORD)
    order = direct.order(sent.order_number)
    assert [(line.product_code, line.quantity) for line in order.lines] == [
        ("32548", 2), ("33012", 1)]


@pytest.mark.anyio
async def test_offline_an_order_the_kept_balance_does_not_cover_is_not_queued(
        tmp_path, stopped):
    from mlm_tui.screens.checkout import CheckoutScreen

    app = offline_app(tmp_path, stopped)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "quick_order")
        await keys(pilot, *"35555", "enter", "6", "enter")  # 6 × 1 999,20 ₽
        await pilot.press("ctrl+s")
        await settle(pilot)
        await open_screen(pilot, "cart")
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CheckoutScreen)  # still there, to choose again
        assert "short by 1 995,20 ₽" in screen_text(app)  # 11 995,20 ₽ - 10 000,00 ₽
        assert app.with_own_outbox(lambda outbox: outbox.orders(world.ANNA.id)) == []
        assert "queued" not in screen_text(app).splitlines()[0]


async def on_the_catalog(pilot) -> None:
    await settle(pilot)
    await open_screen(pilot, "catalog")
    await settle(pilot)


def test_offline_catalog_snapshot(snap_sizes, tmp_path, stopped) -> None:
    assert snap_sizes(offline_app(tmp_path, stopped), on_the_catalog) == []


@pytest.mark.anyio
async def test_with_nothing_kept_the_app_says_so_instead_of_waiting(tmp_path, server):
    server.stop()
    try:
        settings = replace(settings_for(tmp_path), server_url=server.url)
        app = MlmApp(lambda: fallback(tmp_path, server), settings=settings,
                     keeper=SessionKeeper(tmp_path / "state"), clock=Clock())
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.screen
            screen.query_one("#login").value = world.ANNA.registration_number
            screen.query_one("#password").value = world.PASSWORD
            await pilot.click("#submit")
            await settle(pilot)
            assert "Nothing is kept for offline work yet" in screen_text(app)
            assert app.session is None
    finally:
        server.start()
