"""Quick order: codes looked up as typed, pasted lists, into the cart, repeating an order."""

from __future__ import annotations

import pytest
from textual import events

from mlm_tui.screens.paste_list import PasteListScreen
from mlm_tui.screens.quick_order import QuickOrderScreen
from mlm_tui.screens.repeat_order import RepeatOrderScreen
from tests import world
from tests.screens.keys import keys, typed
from tests.screens.snapshot_app import make_app, open_screen, screen_text, settle

pytestmark = pytest.mark.anyio


def rows(app) -> list[tuple[str, str, str]]:
    """(code, quantity, state) of every row."""
    return [(row.code, row.quantity_input.value, row.state.value)
            for row in app.screen.rows]


def cart_lines(app) -> list[tuple[str, int]]:
    return [(line.product.code, line.quantity) for line in app._backend.cart().lines
            if not line.is_gift]


async def start(pilot) -> None:
    await settle(pilot)
    await open_screen(pilot, "quick_order")
    assert isinstance(pilot.app.screen, QuickOrderScreen)


async def test_a_typed_code_shows_its_name_price_and_points(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press(*"32548", "enter", "2")
        await settle(pilot)
        line = next(line for line in screen_text(app).splitlines() if "32548" in line)
        assert "Крем для лица «Нежность»" in line
        assert "1 278,40 ₽" in line and "25 BB" in line  # 2 × 639,20 ₽, 2 × 12,5 BB
        assert "1 line ready: 1 278,40 ₽, 25 BB" in screen_text(app)


async def test_unknown_and_sold_out_codes_are_flagged_at_once(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press(*"99999", "enter", "enter", *"37000")
        await settle(pilot)
        text = screen_text(app)
        assert "✗ no product with this code" in text
        assert "✗ sold out: Шампунь «Распродано»" in text
        assert [state for _code, _quantity, state in rows(app)][:2] == ["unknown", "sold_out"]


async def test_enter_moves_from_code_to_quantity_to_the_next_row(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press(*"32548", "enter", "3", "enter", *"33012", "enter", "enter")
        await settle(pilot)
        assert rows(app)[:2] == [("32548", "3", "ready"), ("33012", "1", "ready")]
        assert app.focused is app.screen.rows[2].code_input


async def test_ctrl_s_puts_the_rows_into_the_cart_and_reports_what_was_not(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press(*"32548", "enter", "2", "enter", *"33012", "enter", "enter",
                          *"37000", "enter", "enter", *"11111")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert cart_lines(app) == [("32548", 2), ("33012", 1)]
        text = screen_text(app)
        assert "2 lines put into the cart." in text
        assert "✗ 37000: sold out" in text and "✗ 11111: no product with this code" in text
        # What went into the cart leaves the list; what did not stays to be fixed.
        assert [code for code, _q, _s in rows(app)] == ["37000", "11111", ""]


async def test_a_refusal_of_the_store_is_reported_per_code(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press(*"35555", "enter", *"20", "enter")  # only 15 in stock
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "✗ 35555: Only 15 of 35555 left" in screen_text(app)
        assert cart_lines(app) == []
        assert rows(app)[0][:2] == ("35555", "20")  # kept, to change the quantity


PASTED = "32548 2\n33012 x1, 34001*3\nкрем 2\n36000 0\n"


async def test_a_pasted_list_spreads_over_rows_and_reports_unreadable_lines(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        app.screen.rows[0].code_input.post_message(events.Paste(PASTED))
        await settle(pilot)
        assert rows(app) == [("32548", "2", "ready"), ("33012", "1", "ready"),
                             ("34001", "3", "ready"), ("", "1", "empty")]
        text = screen_text(app)
        assert "3 codes taken from the list." in text
        assert "✗ Line 3, “крем 2”: not a product code and quantity" in text
        assert "✗ Line 4, “36000 0”: the quantity must be a whole number from 1 to 99" in text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert cart_lines(app) == [("32548", 2), ("33012", 1), ("34001", 3)]


async def test_a_single_code_pasted_stays_in_its_field(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        app.screen.rows[0].code_input.post_message(events.Paste("33012"))
        await settle(pilot)
        assert rows(app)[0] == ("33012", "1", "ready")


async def test_ctrl_l_takes_a_list_typed_line_by_line(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("ctrl+l")
        assert isinstance(app.screen, PasteListScreen)
        await pilot.press(*"38100 2", "enter", *"39000")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, QuickOrderScreen)
        assert rows(app)[:2] == [("38100", "2", "ready"), ("39000", "1", "ready")]


@pytest.mark.parametrize("pasted", ["32548 1\n33012 2\n36001 1\n", "32548 1, 33012 2, 36001",
                                    "32548\n33012\n33012\n36001"])
async def test_a_list_pasted_with_ctrl_l_goes_into_the_cart(tmp_path, pasted):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await keys(pilot, "ctrl+l", typed(pasted), "ctrl+s")
        assert rows(app) == [("32548", "1", "ready"), ("33012", "2", "ready"),
                             ("36001", "1", "ready"), ("", "1", "empty")]
        await keys(pilot, "ctrl+s")
        assert cart_lines(app) == [("32548", 1), ("33012", 2), ("36001", 1)]
        assert "3 lines put into the cart." in screen_text(app)
        assert rows(app) == [("", "1", "empty")]


TEN_LINES = "".join(f"{code} {n % 3 + 1}\n" for n, (code, *_rest) in enumerate(world.PRODUCTS))


@pytest.mark.parametrize("how", ["into a code field", "with ctrl+l"])
async def test_a_long_list_fills_the_rows_in_order_with_one_empty_row_after(tmp_path, how):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        if how == "with ctrl+l":
            await keys(pilot, "ctrl+l", typed(TEN_LINES), "ctrl+s")
        else:
            app.screen.rows[0].code_input.post_message(events.Paste(TEN_LINES))
        await settle(pilot)
        shown = [(code, quantity) for code, quantity, _state in rows(app)]
        assert shown == [(code, str(n % 3 + 1)) for n, (code, *_rest)
                         in enumerate(world.PRODUCTS)] + [("", "1")]


async def test_typing_goes_on_after_a_pasted_list_not_over_it(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        app.screen.rows[0].code_input.post_message(events.Paste("32548 2\n33012 1"))
        await settle(pilot)
        await pilot.press(*"34001", "enter", "3", "enter")
        await settle(pilot)
        assert rows(app) == [("32548", "2", "ready"), ("33012", "1", "ready"),
                             ("34001", "3", "ready"), ("", "1", "empty")]


async def test_repeat_an_order_by_its_number(tmp_path):
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, RepeatOrderScreen)
        await settle(pilot)
        assert world.ORDER_ANNA_PLACED in screen_text(app)  # the latest own orders are listed
        await pilot.press(*world.ORDER_ANNA_DELIVERED, "enter")
        await settle(pilot)
        assert isinstance(app.screen, QuickOrderScreen)
        assert cart_lines(app) == [("32548", 2), ("34001", 1)]
        assert f"Order {world.ORDER_ANNA_DELIVERED} repeated." in screen_text(app)


async def test_repeat_by_picking_one_of_the_latest_orders(tmp_path):
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("down", "enter")  # the newest: ORDER_ANNA_PLACED, two shower gels
        await settle(pilot)
        assert cart_lines(app) == [("34001", 2)]


@pytest.mark.parametrize("number", [world.ORDER_PETR_DELIVERED, "RU-0000-999999"])
async def test_an_order_not_found_is_said_at_the_number(tmp_path, number):
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("ctrl+r", *number, "enter")
        await settle(pilot)
        assert isinstance(app.screen, RepeatOrderScreen)
        assert app.screen.query_one("#order_number-field").error_text
        assert app.screen.query_one("#order_number").value == number
        assert cart_lines(app) == []


def burst(app, keys: list[str]) -> None:
    """Keys arriving all at once, as from a fast typist or a terminal sending a burst."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_keys_typed_ahead_of_the_screen_land_in_the_right_fields(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        burst(app, [*"32548", "enter", "2", "enter"])
        await settle(pilot)
        burst(app, [*"33012", "enter", "3", "enter"])
        await settle(pilot)
        assert rows(app)[:2] == [("32548", "2", "ready"), ("33012", "3", "ready")]


@pytest.mark.parametrize("quantity", ["1.5", "1e3", "-1", "100", "99999999", "0"])
async def test_a_quantity_it_cannot_take_is_kept_as_typed_and_refused_at_the_row(
        tmp_path, quantity):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press(*"32548", "enter", *quantity)
        await settle(pilot)
        assert rows(app)[0] == ("32548", quantity, "ready")
        line = next(line for line in screen_text(app).splitlines() if "32548" in line)
        assert "✗ quantity: a whole number, 1–99" in line
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "✗ 32548: the quantity must be a whole number from 1 to 99" in screen_text(app)
        assert cart_lines(app) == []
        assert rows(app)[0][:2] == ("32548", quantity)


async def test_digits_of_other_scripts_are_taken_as_the_digits_they_are(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press(*"３２５４８", "enter", "２", "enter", *"33012", "enter", "٣", "enter")
        await settle(pilot)
        assert rows(app)[:2] == [("32548", "２", "ready"), ("33012", "٣", "ready")]
        assert app.screen.rows[0].code_input.value == "３２５４８"  # shown as typed
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert cart_lines(app) == [("32548", 2), ("33012", 3)]


@pytest.mark.parametrize(("typed", "says"), [("0010023", "✗ no product with this code"),
                                             ("3254-8", "✗ a product code is digits only"),
                                             ("12345678901234567890", "✗ no product")])
async def test_a_code_is_kept_as_typed_and_what_it_is_said(tmp_path, typed, says):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press(*typed)
        await settle(pilot)
        assert app.screen.rows[0].code_input.value == typed
        assert says in screen_text(app)


async def test_escape_over_typed_rows_asks_before_they_are_lost(tmp_path):
    from mlm_tui.screens.confirm import ConfirmScreen

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await keys(pilot, *"32548", "enter", "2", "enter", *"33012")
        await keys(pilot, "escape")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Leave the quick order?" in screen_text(app)
        assert "2 typed lines" in app.screen.question
        await keys(pilot, "escape")  # stay
        assert isinstance(app.screen, QuickOrderScreen)
        assert rows(app)[:2] == [("32548", "2", "ready"), ("33012", "1", "ready")]
        await keys(pilot, "escape", "y")
        assert not isinstance(app.screen, (QuickOrderScreen, ConfirmScreen))


async def test_escape_with_nothing_typed_goes_back_at_once(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        landing = app.screen_stack[-2]
        await keys(pilot, "escape")
        assert app.screen is landing
