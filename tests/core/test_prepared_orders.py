"""An order made ready offline is placed whole, once, and only at the totals its
consultant saw; otherwise nothing is written and the difference is there to decide on."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import update

from mlm_tui.core.errors import (
    InsufficientBalance,
    TotalsChanged,
    Unavailable,
    ValidationError,
)
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.store import Store
from mlm_tui.core.models import (
    Checkout,
    DeliveryMethod,
    OrderFilter,
    PaymentMethod,
    PreparedLine,
    PreparedOrder,
)
from mlm_tui.core.money import Money
from mlm_tui.core.prepared_orders import prepare, seen_totals, totals_differ
from tests import world
from tests.core.test_checkout import snapshot


def prepared(backend, key: str = "offline-1", **lines: int) -> PreparedOrder:
    """The order as the consultant saw it priced (by the server, before it went away)."""
    wanted = tuple(PreparedLine(code.lstrip("_"), quantity)
                   for code, quantity in (lines or {"_32548": 2}).items())
    checkout = Checkout(DeliveryMethod.PICKUP_POINT, PaymentMethod.BALANCE, key,
                        pickup_point="PP-MSK-2")
    draft = PreparedOrder(wanted, checkout, seen_totals(backend.cart()))
    return replace(draft, seen=seen_totals(backend.quote_prepared_order(draft)))


def set_price(world_file, code: str, price: str) -> None:
    store = Store(world_file)
    with store.write() as conn:
        conn.execute(update(t.products).where(t.products.c.code == code)
                     .values(consultant_price=Decimal(price)))
    store.close()


def test_a_prepared_order_is_placed_at_what_was_seen_and_the_cart_is_left_alone(anna):
    anna.add_to_cart("33012", 1)
    order_ready = prepared(anna, _32548=2)
    order = anna.place_prepared_order(order_ready)
    assert [(line.product_code, line.quantity) for line in order.lines] == [("32548", 2)]
    assert order.total == order_ready.seen.to_pay and order.points == order_ready.seen.points
    assert order.idempotency_key == "offline-1"
    assert anna.balance().amount == Decimal(10000) - order.total.amount
    assert [line.product.code for line in anna.cart().lines] == ["33012"]


def test_sent_again_with_its_key_it_is_the_same_order_even_at_a_new_price(anna, world_file):
    order_ready = prepared(anna)
    first = anna.place_prepared_order(order_ready)
    set_price(world_file, "32548", "999")
    assert anna.place_prepared_order(order_ready) == first
    assert anna.count_orders(OrderFilter()) == 1


def test_a_changed_price_places_nothing_and_the_quote_shows_the_new_one(anna, world_file):
    order_ready = prepared(anna)
    set_price(world_file, "32548", "999")
    before = snapshot(anna)
    with pytest.raises(TotalsChanged) as caught:
        anna.place_prepared_order(order_ready)
    assert caught.value.field == "total"
    # Amounts, not text in the company's way: the reader writes them (also from a server).
    assert caught.value.params["seen"] == order_ready.seen.to_pay
    assert snapshot(anna) == before
    quote = anna.quote_prepared_order(order_ready)
    assert caught.value.params["now"] == quote.to_pay
    assert quote.lines[0].product.consultant_price.amount == Decimal(999)
    assert quote.to_pay != order_ready.seen.to_pay
    assert totals_differ(order_ready.seen, quote) == ["to_pay"]
    confirmed = replace(order_ready, seen=seen_totals(quote))
    assert anna.place_prepared_order(confirmed).total == quote.to_pay


def test_a_gift_that_went_away_is_a_difference_too(anna):
    order_ready = prepared(anna, _35555=2)  # over the threshold: the gel comes free
    assert order_ready.seen.gifts == ("34001",)
    without_gift = replace(order_ready, seen=replace(order_ready.seen, gifts=()))
    with pytest.raises(TotalsChanged):
        anna.place_prepared_order(without_gift)
    assert anna.count_orders(OrderFilter()) == 0


def test_sold_out_meanwhile_is_unavailable_and_changes_nothing(anna, world_file):
    order_ready = prepared(anna, _35555=10)
    store = Store(world_file)
    with store.write() as conn:
        conn.execute(update(t.products).where(t.products.c.code == "35555").values(stock=3))
    store.close()
    before = snapshot(anna)
    with pytest.raises(Unavailable) as caught:
        anna.place_prepared_order(order_ready)
    assert caught.value.field == "code"
    assert snapshot(anna) == before


def test_a_balance_short_of_the_total_places_nothing(backend):
    backend.login(world.OLGA_MSK.registration_number, world.PASSWORD)  # 500 on her balance
    order_ready = prepared(backend, _35555=1)
    before = snapshot(backend)
    with pytest.raises(InsufficientBalance):
        backend.place_prepared_order(order_ready)
    assert snapshot(backend) == before


def test_an_order_without_lines_or_with_a_wrong_quantity_is_refused(anna):
    order_ready = prepared(anna)
    with pytest.raises(ValidationError) as caught:
        anna.place_prepared_order(replace(order_ready, lines=()))
    assert caught.value.field == "lines"
    with pytest.raises(ValidationError) as caught:
        anna.place_prepared_order(replace(order_ready, lines=(PreparedLine("32548", 0),)))
    assert caught.value.field == "quantity"


def test_prepare_takes_the_bought_lines_and_what_the_cart_shows(anna):
    anna.add_to_cart("35555", 2)
    cart = anna.cart()
    checkout = Checkout(DeliveryMethod.COURIER, PaymentMethod.BALANCE, "k")
    order_ready = prepare(cart, checkout)
    assert order_ready.lines == (PreparedLine("35555", 2),)
    assert order_ready.seen.to_pay == cart.to_pay and order_ready.seen.gifts == ("34001",)
    assert anna.place_prepared_order(order_ready).total == cart.to_pay


def test_a_batch_places_each_order_alone_and_a_refused_one_takes_back_only_itself(anna):
    before = anna.count_orders(OrderFilter())
    cheap = prepared(anna, "batch-1", _32548=1)
    dear = prepared(anna, "batch-2", _33012=1)
    wrong = replace(dear, seen=replace(dear.seen, to_pay=Money(
        dear.seen.to_pay.amount + 1, dear.seen.to_pay.currency)))  # seen otherwise
    last = prepared(anna, "batch-3", _35555=1)
    outcomes = anna.place_prepared_orders([cheap, wrong, last])
    assert [o.key for o in outcomes] == ["batch-1", "batch-2", "batch-3"]
    assert outcomes[0].order is not None and outcomes[2].order is not None
    assert outcomes[1].order is None and "instead of" in (outcomes[1].error or "")
    assert anna.count_orders(OrderFilter()) == before + 2
    again = anna.place_prepared_orders([cheap])  # sent again: the order placed before
    assert again[0].order is not None and again[0].order.number == outcomes[0].order.number
    assert anna.count_orders(OrderFilter()) == before + 2


def test_a_batch_too_big_is_refused_whole(anna):
    before = anna.count_orders(OrderFilter())
    with pytest.raises(ValidationError) as refused:
        anna.place_prepared_orders([prepared(anna, "batch-x")] * 101)
    assert refused.value.field == "prepared"
    assert anna.count_orders(OrderFilter()) == before
