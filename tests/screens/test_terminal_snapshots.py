"""Every top-level screen at 80x24 in a terminal's 16 colours and without colour
(``NO_COLOR``, ``TERM=dumb``): the login, then each destination, as one app walks through
them (one start for the lot). Each picture is what such a terminal shows: colours the
16-colour look leaves in 24-bit are brought down before drawing (``mlm_tui.colours``).

Update with ``--snapshot-update`` and look at every changed SVG before keeping it.
"""

from __future__ import annotations

import pytest
from pytest_textual_snapshot import SVGImageExtension

from mlm_tui.colours import Colours
from mlm_tui.navigation import DESTINATIONS
from tests import world
from tests.screens.keys import keys, typed
from tests.screens.snapshot_app import make_app, open_screen, settle

pytestmark = [pytest.mark.anyio, pytest.mark.long_running]  # runs for seconds: first in the run


@pytest.mark.parametrize("colours", [Colours.SIXTEEN, Colours.NONE],
                         ids=["16-colours", "no-colour"])
async def test_every_screen(snapshot, tmp_path, colours):
    snapshot = snapshot.use_extension(SVGImageExtension)
    app = make_app(tmp_path, login=False, with_orders=True, colours=colours)
    shots: dict[str, str] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shots["login"] = app.export_screenshot(simplify=True)
        await keys(pilot, typed(world.ANNA.registration_number), "enter",
                   typed(world.PASSWORD), "enter")
        await settle(pilot)
        for place in DESTINATIONS:
            await open_screen(pilot, place.id)
            await pilot.pause()
            shots[place.id] = app.export_screenshot(simplify=True)
    changed = [name for name, svg in shots.items() if svg != snapshot(name=name)]
    assert changed == []
