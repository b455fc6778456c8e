"""The cart: adding by code, quantities, promotions, the delivery product, repeating an order.

Bad input is refused with the field that failed, and leaves the cart as it was.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import update

from mlm_tui.core.errors import NotFound, Unavailable, ValidationError
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.store import Store
from mlm_tui.core.models import PromotionKind
from tests import world


def lines(cart) -> list[tuple[str, int]]:
    return [(line.product.code, line.quantity) for line in cart.lines if not line.is_gift]


def gifts(cart) -> list[str]:
    return [line.product.code for line in cart.lines if line.is_gift]


def set_stock(world_file, code: str, stock: int) -> None:
    store = Store(world_file)
    with store.write() as conn:
        conn.execute(update(t.products).where(t.products.c.code == code).values(stock=stock))
    store.close()


def test_the_cart_starts_empty(anna):
    cart = anna.cart()
    assert cart.is_empty
    assert cart.to_pay.amount == 0 and cart.delivery_fee.amount == 0


def test_adding_prices_the_line_at_the_consultant_price(anna):
    cart = anna.add_to_cart("32548", 2)
    assert lines(cart) == [("32548", 2)]
    assert cart.lines[0].to_pay.amount == Decimal("1278.40")
    assert cart.points == Decimal(25)
    assert cart.delivery_fee.amount == Decimal(299)
    assert cart.to_pay.amount == Decimal("1577.40")


def test_adding_the_same_code_again_adds_to_the_line(anna):
    anna.add_to_cart("32548", 2)
    cart = anna.add_to_cart(" 32548 ", 3)
    assert lines(cart) == [("32548", 5)]
    assert anna.cart() == cart


@pytest.mark.parametrize("quantity", [0, -1, 100, 1000, 2.5, True, "2", None])
def test_an_impossible_quantity_names_the_field_and_changes_nothing(anna, quantity):
    anna.add_to_cart("33012", 1)
    before = anna.cart()
    with pytest.raises(ValidationError) as caught:
        anna.add_to_cart("32548", quantity)
    assert caught.value.field == "quantity"
    assert anna.cart() == before


def test_a_line_never_goes_over_ninety_nine(anna):
    anna.add_to_cart("34001", 60)
    with pytest.raises(ValidationError) as caught:
        anna.add_to_cart("34001", 40)
    assert caught.value.field == "quantity"
    assert "60" in caught.value.message
    assert lines(anna.cart()) == [("34001", 60)]


def test_an_unknown_code_is_not_found(anna):
    with pytest.raises(NotFound) as caught:
        anna.add_to_cart("99999", 1)
    assert caught.value.field == "code"
    assert anna.cart().is_empty


def test_a_sold_out_product_is_unavailable(anna):
    with pytest.raises(Unavailable) as caught:
        anna.add_to_cart("37000", 1)
    assert caught.value.field == "code"
    assert anna.cart().is_empty


def test_more_than_the_stock_is_unavailable_for_that_quantity(anna):
    with pytest.raises(Unavailable) as caught:
        anna.add_to_cart("35555", 16)  # 15 in stock
    assert caught.value.field == "quantity"
    assert "15" in caught.value.message
    assert lines(anna.add_to_cart("35555", 15)) == [("35555", 15)]


def test_nothing_can_be_added_while_ordering_is_closed(anna, clock):
    clock.now = datetime(2026, 11, 5, 12)  # the previous catalog, closed for ordering
    with pytest.raises(Unavailable):
        anna.add_to_cart("32548", 1)
    assert anna.cart().is_empty


def test_setting_a_quantity_replaces_it_and_zero_removes_the_line(anna):
    anna.add_to_cart("32548", 2)
    anna.add_to_cart("33012", 1)
    assert lines(anna.set_cart_quantity("32548", 7)) == [("32548", 7), ("33012", 1)]
    assert lines(anna.set_cart_quantity("33012", 0)) == [("32548", 7)]
    assert lines(anna.set_cart_quantity("34001", 1)) == [("32548", 7), ("34001", 1)]
    with pytest.raises(ValidationError) as caught:
        anna.set_cart_quantity("32548", -3)
    assert caught.value.field == "quantity"
    with pytest.raises(ValidationError):
        anna.set_cart_quantity("32548", 100)
    assert lines(anna.cart()) == [("32548", 7), ("34001", 1)]


def test_remove_and_clear(anna):
    anna.add_to_cart("32548", 2)
    anna.add_to_cart("33012", 1)
    anna.choose_delivery_product("38000")
    assert lines(anna.remove_from_cart("32548")) == [("33012", 1)]
    assert lines(anna.remove_from_cart("99999")) == [("33012", 1)]  # not there: harmless
    cart = anna.clear_cart()
    assert cart.is_empty and cart.delivery_product_code is None


def test_each_member_has_her_own_cart(backend):
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    backend.add_to_cart("32548", 1)
    backend.login(world.OLGA_MSK.registration_number, world.PASSWORD)
    assert backend.cart().is_empty


# --- promotions in the cart ----------------------------------------------------------------


def test_percent_off_shows_in_the_line(anna):
    cart = anna.add_to_cart("33012", 2)
    assert cart.lines[0].to_pay.amount == Decimal("790.56")  # 439.20 less 10 %, twice
    mascara = next(p for p in cart.promotions if p.promotion.product_code == "33012")
    assert mascara.applied


def test_the_gift_progress_says_what_is_missing_then_the_gift_appears(anna):
    cart = anna.add_to_cart("32548", 1)
    gift = next(p for p in cart.promotions
                if p.promotion.kind is PromotionKind.GIFT_OVER_THRESHOLD)
    assert not gift.applied and gift.missing.amount == Decimal("2360.80")  # 3000 - 639.20
    cart = anna.add_to_cart("35555", 1)  # + 1999.20 = 2638.40: still short
    assert gifts(cart) == []
    cart = anna.add_to_cart("36001", 1)  # + 367.20 = 3005.60
    assert gifts(cart) == ["34001"]
    assert cart.lines[-1].to_pay.amount == 0


def test_a_delivery_product_comes_free_in_exchange_for_the_fee_which_is_paid(anna):
    anna.add_to_cart("32548", 1)
    cart = anna.choose_delivery_product("38000")
    assert cart.delivery_fee.amount == Decimal(299)
    assert cart.delivery_product_code == "38000"
    assert gifts(cart) == ["38000"]
    assert cart.to_pay.amount == Decimal("639.20") + 299
    cart = anna.choose_delivery_product(None)
    assert cart.delivery_fee.amount == Decimal(299) and gifts(cart) == []


@pytest.mark.parametrize("code", ["32548", "99999"])
def test_only_an_offered_product_replaces_the_fee(anna, code):
    anna.add_to_cart("32548", 1)
    with pytest.raises(ValidationError) as caught:
        anna.choose_delivery_product(code)
    assert caught.value.field == "code"
    assert anna.cart().delivery_product_code is None


def test_a_sold_out_delivery_product_is_refused(anna, world_file):
    set_stock(world_file, "38000", 0)
    with pytest.raises(Unavailable) as caught:
        anna.choose_delivery_product("38000")
    assert caught.value.field == "code"


def test_free_delivery_from_five_thousand(anna):
    cart = anna.add_to_cart("35555", 3)  # 5997.60
    assert cart.delivery_fee.amount == 0


# --- repeating an order --------------------------------------------------------------------


@pytest.mark.usefixtures("world_orders")
def test_repeat_puts_the_earlier_lines_into_the_cart(anna):
    before = anna.order(world.ORDER_ANNA_DELIVERED)
    cart = anna.repeat_order(world.ORDER_ANNA_DELIVERED)
    assert lines(cart) == [("32548", 2), ("34001", 1)]
    assert cart.lines[0].to_pay.amount == Decimal("1278.40")  # today's price, not August's
    assert anna.order(world.ORDER_ANNA_DELIVERED) == before  # the earlier order is untouched


@pytest.mark.usefixtures("world_orders")
def test_repeat_skips_what_is_no_longer_sold_and_adds_to_the_cart(anna, world_file):
    set_stock(world_file, "34001", 0)
    anna.add_to_cart("32548", 98)
    cart = anna.repeat_order(world.ORDER_ANNA_DELIVERED)
    assert lines(cart) == [("32548", 99)]  # capped at the line limit; the gel is sold out


@pytest.mark.usefixtures("world_orders")
def test_a_downline_order_can_be_repeated_but_not_another_teams(anna):
    assert lines(anna.repeat_order(world.ORDER_KLAUS_HERMES)) == [("36000", 2)]
    with pytest.raises(NotFound) as caught:
        anna.repeat_order(world.ORDER_PETR_DELIVERED)
    assert caught.value.field == "number"
    assert lines(anna.cart()) == [("36000", 2)]


def test_every_price_shown_is_the_price_the_cart_charges(anna):
    # 39000 is on a closed sale (−30 %): 1 899 ₽ less 30 %, shown and charged alike.
    shown = {
        "search": anna.search_products("39000")[0].price,
        "product page": anna.product("39000").price,
        "quick order": anna.products_by_code(["39000"])["39000"].price,
    }
    cart = anna.add_to_cart("39000", 1)
    assert set(shown.values()) == {cart.lines[0].to_pay}
    assert cart.lines[0].to_pay.amount == Decimal("1329.30")
    mascara = anna.product("33012")  # an open −10 % on top of the consultant price
    assert mascara.price.amount == Decimal("395.28")
    cart = anna.add_to_cart("33012", 1)
    assert next(line for line in cart.lines if line.product.code == "33012").to_pay \
        == mascara.price

