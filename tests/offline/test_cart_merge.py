"""Lines put in the cart while the team server was stopped join the server's cart once
it is back, once only: a second return, or an answer lost on the way, adds nothing more.
The consultant is told in one notice what was added. A real server, stopped and started."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlm_tui.core import errors as e
from mlm_tui.core.remote.backend import RemoteBackend
from tests import world
from tests.offline.test_app_offline import (  # noqa: F401 (the fixtures)
    ShownAs,
    TeamServer,
    offline_app,
    server,
    signed_in_before,
    stopped,
    team_server,
)
from tests.screens.keys import keys
from tests.screens.snapshot_app import open_screen, screen_text, settings_for, settle

pytestmark = pytest.mark.long_running  # runs for seconds: first in the run


def server_cart(team: TeamServer) -> list[tuple[str, int]]:
    direct = RemoteBackend(team.url)
    direct.login(world.ANNA.registration_number, world.PASSWORD)
    try:
        return sorted((line.product.code, line.quantity) for line in direct.cart().lines
                      if not line.is_gift)
    finally:
        direct.close()


def notices(app) -> list[str]:
    return [str(notice.message) for notice in app._notifications]


@pytest.mark.anyio
async def test_lines_added_offline_join_the_server_cart_once_it_is_back(
        tmp_path, server):  # noqa: F811 (the fixture)
    direct = RemoteBackend(server.url)
    direct.login(world.ANNA.registration_number, world.PASSWORD)
    direct.add_to_cart("33012", 1)  # in the server's cart before it went away
    direct.close()
    signed_in_before(tmp_path, server)
    server.stop()
    try:
        app = offline_app(tmp_path, server)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await open_screen(pilot, "quick_order")
            await keys(pilot, *"32548", "enter", "2", "enter")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "OFFLINE" in screen_text(app).splitlines()[0]

            server.start()
            app.check_for_changes()
            await settle(pilot)
            assert app.online
            assert ("Added to the cart on the server from offline work: 32548 × 2."
                    in notices(app))
            assert server_cart(server) == [("32548", 2), ("33012", 1)]

            app._merge_offline_cart()  # back a second time: nothing more is added
            await settle(pilot)
            await open_screen(pilot, "cart")
            assert "32548" in screen_text(app)
        assert server_cart(server) == [("32548", 2), ("33012", 1)]
        assert len([n for n in notices(app) if "offline work" in n]) == 1
    finally:
        if server.process is None or server.process.poll() is not None:
            server.start()


class AnswerLost(RemoteBackend):
    """The server adds the lines, and the answer never comes back (once)."""

    lost = True

    def add_lines_to_cart(self, lines):
        added = super().add_lines_to_cart(lines)
        if AnswerLost.lost:
            AnswerLost.lost = False
            raise e.Offline("The server {url} cannot be reached.", params={"url": "x"})
        return added


def test_an_answer_lost_while_merging_does_not_add_the_lines_twice(
        tmp_path: Path, stopped):  # noqa: F811 (the fixture)
    data_dir = settings_for(tmp_path).data_dir
    offline = ShownAs(RemoteBackend(stopped.url), data_dir, stopped.url)
    offline.resume(signed_token(tmp_path))
    offline.add_to_cart("32548", 2)  # the server is away: kept here
    offline.add_to_cart("33012", 1)
    offline.close()
    stopped.start()

    losing = ShownAs(AnswerLost(stopped.url), data_dir, stopped.url)
    losing.resume(signed_token(tmp_path))
    with pytest.raises(e.Offline):
        losing.merge_offline_cart()
    merged = losing.merge_offline_cart()  # sent again: found there already
    assert merged.added == ()
    assert losing.merge_offline_cart().added == ()
    losing.close()
    assert server_cart(stopped) == [("32548", 2), ("33012", 1)]


def signed_token(tmp_path: Path) -> str:
    from mlm_tui.core.session_keeper import SessionKeeper
    from tests.offline.test_app_offline import SHOWN_AS

    token = SessionKeeper(tmp_path / "state").load(SHOWN_AS)
    assert token
    return token
