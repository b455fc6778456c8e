"""The app on a team server: it opens a RemoteBackend, logs in, keeps the session per
server, and reads what the server holds."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mlm_tui.app import MlmApp
from mlm_tui.core.backends import open_backend
from mlm_tui.core.session_keeper import SessionKeeper
from mlm_tui.screens.catalog import CatalogScreen
from tests import world
from tests.remote_server import CLOCK_FILE, store_id
from tests.screens.snapshot_app import screen_text, settings_for, settle

pytestmark = pytest.mark.anyio


@pytest.fixture
def server_settings(remote_server, world_file, clock, tmp_path):
    clock.mirror = world_file.parent / CLOCK_FILE
    url = f"{remote_server}/{store_id(world_file.parent)}"
    return replace(settings_for(tmp_path), server_url=url)


def _app(settings, clock) -> MlmApp:
    return MlmApp(lambda: open_backend(settings), settings=settings,
                  keeper=SessionKeeper(settings.state_dir), clock=clock)


async def test_logging_in_to_a_server_opens_the_catalog_and_shows_the_server(server_settings,
                                                                            clock):
    app = _app(server_settings, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*world.ANNA.registration_number, "enter", *world.PASSWORD, "enter")
        await settle(pilot)
        assert isinstance(app.screen, CatalogScreen)
        assert app.location == server_settings.server_url
        assert "Крем для лица" in screen_text(app)
    kept = SessionKeeper(server_settings.state_dir).load(server_settings.server_url)
    assert kept is not None

    again = _app(server_settings, clock)  # the next start resumes the kept session
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, CatalogScreen)
        assert again.session is not None and again.session.member_id == world.ANNA.id
