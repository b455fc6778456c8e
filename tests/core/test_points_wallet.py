"""The points wallet in the cart and at checkout: paying lines with points, earning, cancelling.

Anna's wallet holds 100 BB. At the demo company's rate (1 ₽ a point) the sample 38000
(consultant price 79,20 ₽) costs 80 BB and the shower gel 34001 (239,20 ₽) 240 BB; an
order earns a tenth of its points, valid for a year.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from mlm_tui.core.company import demo_company, profile_from_json, profile_to_json
from mlm_tui.core.errors import InsufficientPoints, NotFound
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.store import Store
from mlm_tui.core.models import (
    Checkout,
    DeliveryMethod,
    OrderStatus,
    PaymentMethod,
    PointsKind,
)
from tests import world

WALLET = Decimal(100)


def checkout(key: str = "points-1", **changes) -> Checkout:
    chosen = Checkout(DeliveryMethod.PICKUP_POINT, PaymentMethod.BALANCE, key,
                      pickup_point="PP-MSK-2")
    return replace(chosen, **changes)


def line(cart, code: str):
    return next(line for line in cart.lines if line.product.code == code and not line.is_gift)


def ledger(backend) -> list[tuple]:
    with backend.store.read() as conn:
        p = t.points_ledger
        return [tuple(row) for row in conn.execute(
            select(p.c.kind, p.c.points, p.c.expires_on, p.c.order_id, p.c.note)
            .where(p.c.member_id == world.ANNA.id).order_by(p.c.id))]


def store_state(backend) -> dict:
    """What a refusal must leave as it was."""
    with backend.store.read() as conn:
        orders = conn.execute(select(func.count()).select_from(t.orders)).scalar_one()
        stock = dict(conn.execute(select(t.products.c.code, t.products.c.stock)
                                  .where(t.products.c.period_id == 2)).all())
    return {"ledger": ledger(backend), "cart": backend.cart(), "orders": orders,
            "stock": stock, "balance": backend.balance(), "wallet": backend.points_wallet()}


def expire(world_file, points: str) -> None:
    """Points leave the wallet behind the cart's back (they expired)."""
    store = Store(world_file)
    with store.write() as conn:
        conn.execute(t.points_ledger.insert().values(
            member_id=world.ANNA.id, at=world.NOW, kind=PointsKind.EXPIRED.value,
            points=-Decimal(points), note="expired"))
    store.close()


# --- paying lines with points in the cart --------------------------------------------------


def test_a_line_paid_with_points_costs_points_not_money(anna):
    anna.add_to_cart("32548", 2)
    anna.add_to_cart("38000", 1)
    before = anna.cart()
    cart = anna.set_paid_with_points("38000", True)
    sample = line(cart, "38000")
    assert sample.paid_with_points and sample.points_spent == Decimal(80)
    assert sample.to_pay.amount == 0 and sample.points == 0
    assert cart.points_spent == Decimal(80)
    assert cart.to_pay == (before.to_pay - line(before, "38000").to_pay).rounded()
    assert cart.points == Decimal(25)  # the cream's; the sample earns none
    assert anna.cart() == cart
    assert anna.points_wallet() == WALLET  # nothing is spent before the order


def test_a_line_goes_back_to_money(anna):
    anna.add_to_cart("38000", 1)
    before = anna.cart()
    anna.set_paid_with_points("38000", True)
    assert anna.set_paid_with_points("38000", False) == before


def test_the_quantity_multiplies_the_points(anna, world_file):
    anna.add_to_cart("38000", 1)
    assert anna.set_paid_with_points("38000", True).points_spent == Decimal(80)
    expire(world_file, "-60")  # the wallet grows to 160 BB: two samples fit
    assert line(anna.set_cart_quantity("38000", 2), "38000").points_spent == Decimal(160)


def test_a_product_not_in_the_cart_is_not_found(anna):
    with pytest.raises(NotFound) as caught:
        anna.set_paid_with_points("32548", True)
    assert caught.value.field == "code"


def test_a_short_wallet_is_refused_with_what_is_needed_and_held(anna):
    anna.add_to_cart("34001", 1)
    before = store_state(anna)
    with pytest.raises(InsufficientPoints) as caught:
        anna.set_paid_with_points("34001", True)
    assert caught.value.field == "points"
    assert "240 BB" in caught.value.message and "100 BB" in caught.value.message
    assert store_state(anna) == before


def test_more_of_a_line_paid_with_points_than_the_wallet_covers_is_refused(anna):
    anna.add_to_cart("38000", 1)
    anna.set_paid_with_points("38000", True)
    before = store_state(anna)
    for change in (lambda: anna.set_cart_quantity("38000", 2),
                   lambda: anna.add_to_cart("38000", 1)):
        with pytest.raises(InsufficientPoints) as caught:
            change()
        assert caught.value.field == "points" and "160 BB" in caught.value.message
        assert store_state(anna) == before


# --- placing and cancelling ----------------------------------------------------------------


def test_an_order_earns_a_share_of_its_points_for_a_year(anna):
    anna.add_to_cart("32548", 2)  # 25 BB
    order = anna.place_order(checkout())
    assert order.points_spent == 0
    assert ledger(anna)[-1] == (PointsKind.EARNED.value, Decimal("2.5"), date(2027, 11, 20),
                                order.id, order.number)
    assert anna.points_wallet() == WALLET + Decimal("2.5")
    assert anna.account_summary().points == WALLET + Decimal("2.5")


def test_placing_spends_the_points_in_the_same_order(anna):
    anna.add_to_cart("32548", 2)
    anna.add_to_cart("38000", 1)
    cart = anna.set_paid_with_points("38000", True)
    order = anna.place_order(checkout())
    assert order.points_spent == Decimal(80)
    assert order.total == cart.to_pay and order.points == Decimal(25)
    sample = next(line for line in order.lines if line.product_code == "38000")
    assert sample.unit_price.amount == 0 and sample.points == 0
    assert ledger(anna)[-2:] == [
        (PointsKind.SPENT.value, Decimal(-80), None, order.id, order.number),
        (PointsKind.EARNED.value, Decimal("2.5"), date(2027, 11, 20), order.id, order.number),
    ]
    assert anna.points_wallet() == WALLET - 80 + Decimal("2.5")
    assert anna.cart().is_empty and anna.cart().points_spent == 0


def test_a_retried_order_spends_once(anna):
    anna.add_to_cart("38000", 1)
    anna.set_paid_with_points("38000", True)
    first = anna.place_order(checkout())
    entries = ledger(anna)
    assert anna.place_order(checkout()) == first
    assert ledger(anna) == entries
    assert anna.points_wallet() == WALLET - 80


def test_a_wallet_that_shrank_since_refuses_the_order_and_changes_nothing(anna, world_file):
    anna.add_to_cart("32548", 1)
    anna.add_to_cart("38000", 1)
    anna.set_paid_with_points("38000", True)
    expire(world_file, "30")  # 70 BB left for an 80 BB line
    before = store_state(anna)
    with pytest.raises(InsufficientPoints) as caught:
        anna.place_order(checkout())
    assert caught.value.field == "points"
    assert "80 BB" in caught.value.message and "70 BB" in caught.value.message
    assert store_state(anna) == before


def test_cancelling_takes_back_what_was_earned_and_gives_back_what_was_spent(anna):
    anna.add_to_cart("32548", 2)
    anna.add_to_cart("38000", 1)
    anna.set_paid_with_points("38000", True)
    order = anna.place_order(checkout())
    cancelled = anna.cancel_order(order.number)
    assert cancelled.status is OrderStatus.CANCELLED
    assert ledger(anna)[-2:] == [
        (PointsKind.CANCELLED.value, Decimal("-2.5"), None, order.id, order.number),
        (PointsKind.CANCELLED.value, Decimal(80), None, order.id, order.number),
    ]
    assert anna.points_wallet() == WALLET
    kinds = [entry.kind for entry in anna.points_ledger().items[:2]]
    assert kinds == [PointsKind.CANCELLED, PointsKind.CANCELLED]


def test_cancelling_an_order_without_wallet_entries_writes_none(anna, world_orders):
    entries = ledger(anna)
    anna.cancel_order(world.ORDER_ANNA_PLACED)  # written before the wallet existed
    assert ledger(anna) == entries


# --- the company's wallet settings ---------------------------------------------------------


@pytest.fixture
def generous(world_file):
    """A company whose orders earn a fifth of their points and whose points buy 2 ₽ each."""
    company = replace(demo_company("ru"), wallet_points_share=Decimal("0.2"),
                      wallet_points_valid_days=90, money_per_wallet_point=Decimal(2))
    store = Store(world_file)
    with store.write() as conn:
        conn.execute(update(t.company).values(profile=profile_to_json(company)))
    store.close()


def test_the_company_settings_decide_the_share_the_expiry_and_the_rate(generous, anna):
    anna.add_to_cart("32548", 2)
    anna.add_to_cart("38000", 1)
    assert anna.set_paid_with_points("38000", True).points_spent == Decimal(40)  # 79,20 / 2
    order = anna.place_order(checkout())
    assert ledger(anna)[-1][:3] == (PointsKind.EARNED.value, Decimal(5), date(2027, 2, 18))
    assert order.points_spent == Decimal(40)


def test_a_profile_stored_before_the_wallet_settings_reads_the_defaults():
    stored = profile_to_json(demo_company("ru"))
    for key in ("wallet_points_share", "wallet_points_valid_days", "money_per_wallet_point"):
        stored = stored.replace(f'"{key}"', f'"old_{key}"')
    company = profile_from_json(stored)
    assert (company.wallet_points_share, company.wallet_points_valid_days,
            company.money_per_wallet_point) == (Decimal("0.10"), 365, Decimal(1))
