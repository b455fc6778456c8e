"""The demo store's payment step: a top-up there waits like any other, and the member
confirms it herself with a button labelled "Demo payment" (no money moves); a real store
has no such button (``test_team_screens``). Snapshots at 80x24 and 120x40.

Update with ``pytest tests/screens/test_payment_screens.py --snapshot-update`` and look at
every changed SVG before keeping it.
"""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest
from sqlalchemy import select, update
from textual.widgets import DataTable

from mlm_tui.core.company import profile_from_json, profile_to_json
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.store import Store
from tests.screens.keys import keys
from tests.screens.snapshot_app import (
    _world_template,
    make_app,
    open_screen,
    screen_text,
    settings_for,
    settle,
)


def demo_app(tmp_path):
    """The app over the world with the demo's payments: no provider confirms them."""
    settings = settings_for(tmp_path)
    settings.data_dir.mkdir(parents=True)
    shutil.copyfile(_world_template(False), settings.store_path)
    store = Store(settings.store_path)
    try:
        with store.write() as conn:
            profile = profile_from_json(conn.execute(select(t.company.c.profile)).scalar_one())
            conn.execute(update(t.company).values(
                profile=profile_to_json(replace(profile, demo_payments=True))))
    finally:
        store.close()
    return make_app(tmp_path)


async def _topped_up(pilot) -> None:
    await settle(pilot)
    await open_screen(pilot, "wallet")
    await keys(pilot, "t", *"1500")
    pilot.app.screen.query_one("#transfer").press()
    await settle(pilot)


async def _demo_paid(pilot) -> None:
    await _topped_up(pilot)
    pilot.app.screen.query_one("#demo-pay").press()
    await settle(pilot)


@pytest.mark.anyio
async def test_the_demo_payment_step_credits_the_top_up_and_says_it_is_a_demo(tmp_path):
    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _topped_up(pilot)
        text = screen_text(app)
        assert "TU-2611-000001  1 500,00 ₽  by transfer  pending" in text
        assert "On your account: 10 000,00 ₽" in text
        assert app.screen.query_one("#demo-pay").display
        app.screen.query_one("#demo-pay").press()
        await settle(pilot)
        text = screen_text(app)
        assert "Demo payment: TU-2611-000001 confirmed, 1 500,00 ₽ credited." in text
        assert "On your account: 11 500,00 ₽" in text
        assert not app.screen.query_one("#requests").display
        newest = app.screen.query_one("#ledger", DataTable).get_row_at(0)
        assert newest[4].plain == "demo payment · TU-2611-000001"


class TestDemoPayment:
    def test_a_top_up_awaits_its_demo_payment(self, snap_sizes, tmp_path):
        assert snap_sizes(demo_app(tmp_path), _topped_up) == []

    def test_the_demo_payment_is_credited(self, snap_sizes, tmp_path):
        assert snap_sizes(demo_app(tmp_path), _demo_paid) == []
