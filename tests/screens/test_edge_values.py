"""The app given amounts no one means to type: refused at the field, nothing recorded."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from textual.widgets import DataTable, Input

from tests import world
from tests.screens.snapshot_app import make_app, open_screen, screen_text, settle

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(("typed", "said"), [
    ("1e30", "Enter an amount, e.g. 1500 or 1 500,50."),  # an exponent is no amount
    ("1" + "0" * 30, "One top-up is at most 1 000 000,00 ₽."),
])
async def test_a_huge_top_up_is_refused_at_the_field(tmp_path, typed: str, said: str) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "wallet")
        await pilot.press("t")
        app.screen.query_one("#amount", Input).value = typed
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert said in text
        assert "Recording the top-up" not in text
        assert "On your account: 10 000,00 ₽" in text
        assert app.screen.query_one("#ledger", DataTable).row_count == 1
        assert app.screen.query_one("#amount", Input).value == typed  # kept as typed


async def test_a_store_from_a_newer_version_says_so_when_signing_in(tmp_path) -> None:
    from tests.screens.snapshot_app import _world_template, settings_for

    store = settings_for(tmp_path).store_path
    store.parent.mkdir(parents=True)
    shutil.copyfile(_world_template(False), store)
    with sqlite3.connect(store) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()
    before = store.read_bytes()
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*world.ANNA.registration_number, "enter", *world.PASSWORD, "enter")
        await settle(pilot)
        # The message wraps inside the form: read it as one text, without the borders.
        text = " ".join(line.strip(" │") for line in screen_text(app).splitlines())
        assert "was made by a newer mlm-tui (schema 99; this one knows up to" in text
        assert "it is open read-only, update mlm-tui to change it" in text
        assert "Not logged in" in text
    assert store.read_bytes() == before
