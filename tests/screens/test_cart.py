"""The cart: quantities by keys and typing, totals and points, promotions, delivery."""

from __future__ import annotations

import pytest

from mlm_tui.screens.add_to_cart import SetQuantityScreen
from mlm_tui.screens.cart import CartScreen
from mlm_tui.screens.checkout import CheckoutScreen
from tests.screens.keys import keys
from tests.screens.snapshot_app import make_app, open_screen, screen_text, settle

pytestmark = pytest.mark.anyio


def filled(*lines: tuple[str, int]):
    """A wrap for make_app: the cart holds these lines when the app opens."""
    def wrap(backend):
        for code, quantity in lines:
            backend.add_to_cart(code, quantity)
        return backend
    return wrap


def stored(app) -> dict[str, int]:
    return {line.product.code: line.quantity for line in app._backend.cart().lines
            if not line.is_gift}


def text_line(app, start: str) -> str:
    return next(line for line in screen_text(app).splitlines() if line.strip().startswith(start))


def shown_quantity(app, code: str) -> str:
    return str(app.screen.query_one("#cart-lines").get_row(code)[2]).strip()


async def open_cart(pilot) -> None:
    await settle(pilot)
    await open_screen(pilot, "cart")
    assert isinstance(pilot.app.screen, CartScreen)


async def test_lines_and_totals_show_retail_discount_to_pay_and_points(tmp_path):
    app = make_app(tmp_path, wrap=filled(("32548", 2), ("33012", 3)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot)
        cream = text_line(app, "32548")
        assert "1 598,00 ₽" in cream and "-319,60 ₽" in cream and "1 278,40 ₽" in cream
        assert cream.rstrip().endswith("25")
        text = screen_text(app)
        assert "To pay" in text and "2 763,24 ₽" in text and "49 BB" in text
        assert "Delivery" in text and "299,00 ₽" in text
        assert "✓ −10% на тушь «Объём»" in text  # applied
        assert "535,76 ₽ more for: Гель для душа в подарок от 3 000 ₽" in text  # missing


async def test_plus_and_minus_change_the_quantity_and_the_totals(tmp_path):
    app = make_app(tmp_path, wrap=filled(("32548", 2)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot)
        await pilot.press("+")
        await settle(pilot)
        assert stored(app) == {"32548": 3}
        assert "37,5 BB" in screen_text(app)
        assert "1 917,60 ₽" in text_line(app, "32548")
        await pilot.press("-", "-")
        await settle(pilot)
        assert stored(app) == {"32548": 1}
        await pilot.press("-")  # never below one: Delete removes
        await settle(pilot)
        assert stored(app) == {"32548": 1}
        assert "Delete removes the line." in screen_text(app)


async def test_quick_presses_end_at_the_last_quantity(tmp_path):
    app = make_app(tmp_path, wrap=filled(("34001", 1)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot)
        await pilot.press("+", "+", "+", "+", "-")
        await settle(pilot)
        assert stored(app) == {"34001": 4}
        assert shown_quantity(app, "34001") == "4"


async def test_a_typed_digit_opens_the_quantity_and_sets_it(tmp_path):
    app = make_app(tmp_path, wrap=filled(("32548", 2)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot)
        await pilot.press("1")
        assert isinstance(app.screen, SetQuantityScreen)
        await pilot.press("2", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CartScreen)
        assert stored(app) == {"32548": 12}
        assert "150 BB" in screen_text(app)


async def test_enter_edits_the_quantity_and_a_refusal_is_said_at_it(tmp_path):
    app = make_app(tmp_path, wrap=filled(("35555", 2)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot)
        await pilot.press("enter")
        assert app.screen.query_one("#quantity").value == "2"
        await pilot.press(*"40", "enter")  # 15 in stock
        await settle(pilot)
        assert isinstance(app.screen, SetQuantityScreen)
        assert "Only 15 of 35555 left" in app.screen.query_one("#quantity-field").error_text
        await pilot.press("escape")
        assert stored(app) == {"35555": 2}


async def test_plus_beyond_the_stock_says_why_and_shows_the_stored_quantity(tmp_path):
    app = make_app(tmp_path, wrap=filled(("35555", 15)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot)
        await pilot.press("+")
        await settle(pilot)
        assert "✗ Only 15 of 35555 left" in screen_text(app)
        assert shown_quantity(app, "35555") == "15"
        assert stored(app) == {"35555": 15}


async def test_delete_removes_a_line_and_the_last_one_leaves_the_empty_state(tmp_path):
    app = make_app(tmp_path, wrap=filled(("32548", 1), ("33012", 1)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot)
        await pilot.press("delete")
        await settle(pilot)
        assert stored(app) == {"33012": 1}
        await pilot.press("x")
        await settle(pilot)
        assert stored(app) == {}
        assert "The cart is empty." in screen_text(app)
        await pilot.press("c")  # nothing to check out
        assert isinstance(app.screen, CartScreen)


async def test_a_removed_line_comes_back_with_u_even_the_last_one(tmp_path):
    app = make_app(tmp_path, wrap=filled(("32548", 2), ("33012", 3)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot)
        await keys(pilot, "delete")
        assert stored(app) == {"33012": 3}
        assert "Removed Крем для лица «Нежность». U puts it back." in screen_text(app)
        await keys(pilot, "u")
        assert stored(app) == {"32548": 2, "33012": 3}
        await keys(pilot, "u")  # one undo per removal
        assert stored(app) == {"32548": 2, "33012": 3}
        await keys(pilot, "delete")
        [left] = stored(app)
        await keys(pilot, "delete")
        assert stored(app) == {}
        await keys(pilot, "u")
        assert stored(app) == {left: {"32548": 2, "33012": 3}[left]}  # the last one removed
        assert "The cart is empty." not in screen_text(app)


async def test_a_product_in_exchange_for_the_delivery_fee(tmp_path):
    app = make_app(tmp_path, wrap=filled(("32548", 1)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot)
        assert "d: Пробник в обмен на оплату доставки, free for the 299,00 ₽ delivery fee" in (
            screen_text(app))
        await pilot.press("d")
        await settle(pilot)
        assert text_line(app, "Retail").rstrip().endswith("Delivery      299,00 ₽")  # still paid
        assert "938,20 ₽" in text_line(app, "To pay")
        assert "gift: Пробник крема" in text_line(app, "38000")
        await pilot.press("d")  # and back to no product
        await settle(pilot)
        assert "938,20 ₽" in text_line(app, "To pay")
        assert "gift: Пробник крема" not in screen_text(app)


async def test_a_gift_line_cannot_be_changed(tmp_path):
    app = make_app(tmp_path, wrap=filled(("35555", 2)))  # 3 998,40 ₽: the gel is a gift
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot)
        assert "✓ Гель для душа в подарок от 3 000 ₽" in screen_text(app)
        await pilot.press("down", "+")
        await settle(pilot)
        assert "A gift comes with the cart" in screen_text(app)
        assert stored(app) == {"35555": 2}


async def test_c_goes_to_the_checkout(tmp_path):
    app = make_app(tmp_path, wrap=filled(("32548", 1)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CheckoutScreen)
