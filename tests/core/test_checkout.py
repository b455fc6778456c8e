"""Placing an order: one transaction from the cart to order, invoice, payment and stock.

A refused order leaves everything as it was: the cart, the stock, the balance, the tables.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from mlm_tui.core.company import demo_company, profile_to_json
from mlm_tui.core.errors import (
    InsufficientBalance,
    NotFound,
    Unavailable,
    ValidationError,
)
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.orders import record_payment
from mlm_tui.core.local.store import Store
from mlm_tui.core.models import (
    Checkout,
    DeliveryMethod,
    NotificationKind,
    OrderFilter,
    OrderSource,
    OrderStatus,
    PaymentMethod,
)
from tests import world

TABLES = (t.orders, t.order_lines, t.order_status_history, t.invoices, t.balance_ledger,
          t.notifications)

# Over PostgreSQL too: money, stock and the team are where the dialects could differ.
pytestmark = pytest.mark.on_postgres


def checkout(key: str = "key-1", **changes) -> Checkout:
    chosen = Checkout(DeliveryMethod.PICKUP_POINT, PaymentMethod.BALANCE, key,
                      pickup_point="PP-MSK-2")
    return replace(chosen, **changes)


def snapshot(backend) -> dict:
    """What a refused order must not change."""
    with backend.store.read() as conn:
        counts = {table.name: conn.execute(select(func.count()).select_from(table))
                  .scalar_one() for table in TABLES}
        stock = dict(conn.execute(select(t.products.c.code, t.products.c.stock)
                                  .where(t.products.c.period_id == 2)).all())
    return {"counts": counts, "stock": stock, "balance": backend.balance(),
            "cart": backend.cart()}


def test_paying_from_the_balance_places_a_paid_order(anna):
    anna.add_to_cart("32548", 2)
    anna.add_to_cart("33012", 1)
    cart = anna.cart()
    order = anna.place_order(checkout())
    assert re.fullmatch(r"RU-2611-\d{6}", order.number)
    assert order.status is OrderStatus.PAID
    assert [c.status for c in order.history] == [OrderStatus.PLACED, OrderStatus.PAID]
    assert order.total == cart.to_pay and order.points == cart.points
    assert [(line.product_code, line.quantity) for line in order.lines] == [
        ("32548", 2), ("33012", 1)]
    assert sum((line.total for line in order.lines), order.delivery_fee) == order.total
    assert order.buyer.id == order.placed_by.id == world.ANNA.id
    assert order.pickup_point == "PP-MSK-2"
    assert anna.invoice(order.invoice_number).total == order.total
    assert anna.balance().amount == Decimal(10000) - order.total.amount
    assert anna.cart().is_empty
    assert anna.product("32548").stock == 118
    assert anna.me().last_order_at == world.NOW
    (note,) = anna.notifications()
    assert note.kind is NotificationKind.ACCOUNT and order.number in note.title


def test_the_first_order_is_the_enrollment_order_then_standard(anna):
    anna.add_to_cart("32548", 1)
    first = anna.place_order(checkout("first"))
    anna.add_to_cart("32548", 1)
    second = anna.place_order(checkout("second"))
    assert (first.source, second.source) == (OrderSource.IN, OrderSource.SO)
    assert first.number != second.number
    anna.add_to_cart("32548", 1)
    chosen = anna.place_order(checkout("third", source=OrderSource.AS))
    assert chosen.source is OrderSource.AS


def test_paying_elsewhere_leaves_the_order_placed_and_the_balance_alone(anna):
    anna.add_to_cart("35555", 1)
    order = anna.place_order(checkout(payment_method=PaymentMethod.SERVICE_CENTRE,
                                      delivery_method=DeliveryMethod.SERVICE_CENTRE,
                                      pickup_point="SC-MSK-1"))
    assert order.status is OrderStatus.PLACED
    assert anna.balance().amount == Decimal(10000)


def test_the_gift_and_the_delivery_product_are_ordered_free(anna):
    anna.add_to_cart("35555", 2)  # 3998.40: the gel is a gift
    anna.choose_delivery_product("38000")
    order = anna.place_order(checkout(delivery_method=DeliveryMethod.COURIER,
                                      pickup_point="ignored for a courier"))
    free = [(line.product_code, line.total.amount) for line in order.lines if line.is_gift]
    assert free == [("34001", 0), ("38000", 0)]
    assert order.delivery_fee.amount == 299 and order.pickup_point is None
    assert order.total.amount == Decimal("3998.40") + 299
    assert anna.product("38000").stock == 499


def test_the_same_key_returns_the_order_already_placed(anna):
    anna.add_to_cart("32548", 1)
    first = anna.place_order(checkout("retry-me"))
    anna.add_to_cart("33012", 1)  # a new cart must not become a second order
    again = anna.place_order(checkout("retry-me"))
    assert again == first
    assert anna.count_orders(OrderFilter()) == 1
    assert anna.balance().amount == Decimal(10000) - first.total.amount
    assert [line.product.code for line in anna.cart().lines] == ["33012"]


def test_not_enough_on_the_balance_names_the_shortfall_and_changes_nothing(backend):
    from decimal import Decimal

    from mlm_tui.core.money import Money
    from mlm_tui.i18n import remember_company_locale

    backend.login(world.OLGA_MSK.registration_number, world.PASSWORD)  # 500 ₽ on her balance
    remember_company_locale(backend.company().locale)  # as a client does once it knows it
    backend.add_to_cart("35555", 1)  # 1999.20 + 299 delivery
    before = snapshot(backend)
    with pytest.raises(InsufficientBalance) as caught:
        backend.place_order(checkout())
    assert caught.value.field == "payment_method"
    # An amount, also after the wire, written as the reader writes amounts.
    assert caught.value.params["shortfall"] == Money(Decimal("1798.20"), "RUB")
    assert "1\u00a0798,20" in caught.value.message  # 2298.20 - 500, in the company's locale
    assert snapshot(backend) == before


def test_an_empty_cart_cannot_be_ordered(anna):
    before = snapshot(anna)
    with pytest.raises(ValidationError) as caught:
        anna.place_order(checkout())
    assert caught.value.field == "cart"
    assert snapshot(anna) == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (dict(pickup_point=None), "pickup_point"),
        (dict(pickup_point="NOWHERE"), "pickup_point"),
        (dict(pickup_point="SC-MSK-1"), "pickup_point"),  # a service centre, not a pickup point
        (dict(delivery_method=DeliveryMethod.SERVICE_CENTRE, pickup_point="PP-MSK-2"),
         "pickup_point"),
        (dict(idempotency_key=""), "idempotency_key"),
        (dict(idempotency_key="x" * 65), "idempotency_key"),
    ],
)
def test_a_wrong_checkout_choice_names_the_field(anna, changes, field):
    anna.add_to_cart("32548", 1)
    before = snapshot(anna)
    with pytest.raises(ValidationError) as caught:
        anna.place_order(checkout(**changes))
    assert caught.value.field == field
    assert snapshot(anna) == before


@pytest.fixture
def balance_only(world_file):
    """A company that takes payment from the balance only."""
    company = replace(demo_company("ru"), payment_methods=(PaymentMethod.BALANCE,))
    store = Store(world_file)
    with store.write() as conn:
        conn.execute(update(t.company).values(profile=profile_to_json(company)))
    store.close()


def test_a_payment_method_the_company_does_not_take_is_refused(balance_only, anna):
    anna.add_to_cart("32548", 1)
    with pytest.raises(ValidationError) as caught:
        anna.place_order(checkout(payment_method=PaymentMethod.INSTALMENTS))
    assert caught.value.field == "payment_method"


def test_sold_out_since_it_was_added_is_unavailable_and_changes_nothing(anna):
    anna.add_to_cart("35555", 10)
    with anna.store.write() as conn:
        conn.execute(update(t.products).where(t.products.c.code == "35555").values(stock=3))
    before = snapshot(anna)
    with pytest.raises(Unavailable) as caught:
        anna.place_order(checkout())
    assert caught.value.field == "code"
    assert snapshot(anna) == before


def test_nothing_is_ordered_once_the_period_closes(anna, clock):
    anna.add_to_cart("32548", 1)
    clock.now = datetime(2026, 11, 5, 12)  # back in the previous period, closed for ordering
    with pytest.raises(Unavailable):
        anna.place_order(checkout())


# --- ordering for a customer of the team ---------------------------------------------------


def test_ordering_for_a_customer_of_the_team(anna):
    anna.add_to_cart("34001", 2)
    order = anna.place_order(checkout(buyer_id=world.OLGA_KZN.id))
    assert order.buyer.id == world.OLGA_KZN.id
    assert order.placed_by.id == world.ANNA.id
    assert anna.balance().amount == Decimal(10000) - order.total.amount  # Anna pays
    assert anna.member(world.OLGA_KZN.id).last_order_at == world.NOW


def test_nobody_outside_the_team_can_be_the_buyer(anna):
    anna.add_to_cart("34001", 1)
    before = snapshot(anna)
    with pytest.raises(NotFound) as caught:
        anna.place_order(checkout(buyer_id=world.PETR.id))
    assert caught.value.field == "buyer_id"
    with pytest.raises(ValidationError) as caught:
        anna.place_order(checkout(buyer_id=world.CLOSED.id))
    assert caught.value.field == "buyer_id"
    assert snapshot(anna) == before


# --- ways to pay by delivery, and when the points are earned ------------------------------

WAYS = {
    # Instalments nowhere: nothing keeps their schedule yet.
    (DeliveryMethod.COURIER, None): {PaymentMethod.BALANCE, PaymentMethod.CASH_TO_COURIER},
    (DeliveryMethod.SERVICE_CENTRE, "SC-MSK-1"): {PaymentMethod.BALANCE,
                                                  PaymentMethod.SERVICE_CENTRE},
    (DeliveryMethod.PICKUP_POINT, "PP-MSK-2"): {PaymentMethod.BALANCE},
}


@pytest.mark.parametrize("delivery, point", list(WAYS))
@pytest.mark.parametrize("method", list(PaymentMethod))
def test_a_way_to_pay_must_go_with_the_delivery(anna, delivery, point, method):
    anna.add_to_cart("32548", 1)
    chosen = checkout(delivery_method=delivery, pickup_point=point, payment_method=method)
    if method in WAYS[(delivery, point)]:
        assert anna.place_order(chosen).payment_method is method
        return
    before = snapshot(anna)
    with pytest.raises(ValidationError) as caught:
        anna.place_order(chosen)
    assert caught.value.field == "payment_method"
    assert snapshot(anna) == before


def wallet_entries(backend, order_id: int) -> list[str]:
    with backend.store.read() as conn:
        p = t.points_ledger
        return list(conn.execute(select(p.c.kind).where(p.c.order_id == order_id)).scalars())


def test_an_order_paid_from_the_balance_is_paid_and_earns_at_once(anna):
    anna.add_to_cart("32548", 2)
    order = anna.place_order(checkout())
    assert order.status is OrderStatus.PAID and order.paid_at == world.NOW
    assert not order.points_pending
    assert wallet_entries(anna, order.id) == ["earned"]


def test_an_order_paid_at_the_service_centre_earns_nothing_until_its_money_arrives(anna):
    anna.add_to_cart("32548", 2)
    order = anna.place_order(checkout(delivery_method=DeliveryMethod.SERVICE_CENTRE,
                                      pickup_point="SC-MSK-1",
                                      payment_method=PaymentMethod.SERVICE_CENTRE))
    assert order.status is OrderStatus.PLACED and order.paid_at is None
    assert order.points_pending
    assert wallet_entries(anna, order.id) == []
    wallet = anna.points_wallet()
    paid_at = world.NOW + timedelta(days=2)
    with anna.store.write() as conn:  # the service centre confirms the payment
        record_payment(conn, order.id, paid_at, anna.company())
    paid = anna.order(order.number)
    assert paid.status is OrderStatus.PAID and paid.paid_at == paid_at
    assert not paid.points_pending
    assert anna.points_wallet() == wallet + Decimal("2.5")


def test_instalments_are_not_offered_until_they_are_real(anna):
    """Nothing keeps an instalment schedule yet: the way to pay is refused everywhere,
    whatever the company's settings, and nothing is ordered."""
    anna.add_to_cart("32548", 1)
    before = snapshot(anna)
    for delivery, point in WAYS:
        with pytest.raises(ValidationError) as caught:
            anna.place_order(checkout(delivery_method=delivery, pickup_point=point,
                                      payment_method=PaymentMethod.INSTALMENTS))
        assert caught.value.field == "payment_method"
    assert snapshot(anna) == before
