"""The main screens in Russian and in German at 80x24: nothing important cut off.

The same states as the English snapshots (``test_snapshots.py``,
``test_backoffice_snapshots.py``, ``test_team_snapshots.py``), with the app started in
the language. Update with ``--snapshot-update`` and look at every changed SVG.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from mlm_tui.core.demo import DEMO_LOGIN
from tests.screens import test_backoffice_snapshots as backoffice
from tests.screens.keys import keys
from tests.screens.snapshot_app import make_app, open_screen, settle
from tests.screens.test_cart import filled

Steps = Callable[[Any], Awaitable[None]]


async def _go(pilot, destination: str, *pressed: str) -> None:
    await settle(pilot)
    await open_screen(pilot, destination)
    await keys(pilot, *pressed)


async def _nothing(pilot) -> None:
    await settle(pilot)


async def _help(pilot) -> None:
    await settle(pilot)
    await keys(pilot, "f1")


async def _quick_order(pilot) -> None:
    await _go(pilot, "quick_order", *"32548", "enter", "2", "enter", *"37000", "enter",
              "enter", *"99999", "enter", "enter", *"33012")


# state: (how the app is made, the keys that reach the state)
STATES: dict[str, tuple[dict[str, Any], Steps]] = {
    "login": ({"login": False, "demo_login": DEMO_LOGIN}, _nothing),
    "home": ({"with_orders": True}, lambda p: _go(p, "home")),
    "catalog": ({}, _nothing),
    "quick_order": ({}, _quick_order),
    "cart": ({"wrap": filled(("32548", 2), ("33012", 3))}, lambda p: _go(p, "cart")),
    "checkout": ({"wrap": filled(("32548", 2), ("33012", 3))}, lambda p: _go(p, "cart", "c")),
    "history": ({"with_orders": True}, backoffice.history),
    "order": ({"with_orders": True}, backoffice.order_with_a_doubtful_source),
    "invoice": ({"with_orders": True}, backoffice.invoice),
    "tracking": ({"with_orders": True}, backoffice.tracking),
    "help": ({}, _help),
}


@pytest.mark.parametrize("language", ["ru", "de"])
@pytest.mark.parametrize("state", list(STATES))
def test_screen_in_language(snap_compare, tmp_path, state: str, language: str) -> None:
    options, steps = STATES[state]
    app = make_app(tmp_path, language=language, **options)

    async def run_before(pilot) -> None:
        await steps(pilot)
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
