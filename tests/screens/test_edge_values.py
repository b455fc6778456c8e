"""The app given amounts no one means to type: refused at the field, nothing recorded."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input

from tests.screens.snapshot_app import make_app, open_screen, screen_text, settle

pytestmark = pytest.mark.anyio


async def test_a_top_up_of_1e30_is_refused_at_the_field(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "wallet")
        await pilot.press("t")
        app.screen.query_one("#amount", Input).value = "1e30"
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "One top-up is at most 1 000 000,00 ₽." in text
        assert "Recording the top-up" not in text
        assert "On your account: 10 000,00 ₽" in text
        assert app.screen.query_one("#ledger", DataTable).row_count == 1
        assert app.screen.query_one("#amount", Input).value == "1e30"  # kept as typed
