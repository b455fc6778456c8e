"""The balance and the points wallet: sums of ledgers, read page by page, topped up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from mlm_tui.core.errors import ValidationError
from mlm_tui.core.local.payments import confirm_payment
from mlm_tui.core.models import LedgerKind, PaymentSource, PointsKind, TopUpMethod
from mlm_tui.core.money import Money
from tests import world

# Over PostgreSQL too: money, stock and the team are where the dialects could differ.
pytestmark = pytest.mark.on_postgres

def rub(amount: str) -> Money:
    return Money(Decimal(amount), "RUB")


def test_the_balance_is_the_sum_of_the_ledger(anna):
    assert anna.balance() == rub("10000")
    (entry,) = anna.balance_ledger().items
    assert (entry.kind, entry.amount, entry.note) == (LedgerKind.TOP_UP, rub("10000"), "card")


def test_each_member_sees_her_own_balance(backend):
    backend.login(world.OLGA_MSK.registration_number, world.PASSWORD)
    assert backend.balance() == rub("500")
    backend.login(world.IRINA.registration_number, world.PASSWORD)
    assert backend.balance() == rub("0")
    assert backend.balance_ledger().items == ()


def _confirmed_top_up(anna, amount: Money, method: TopUpMethod):
    request = anna.top_up(amount, method)
    confirm_payment(anna.store, request.reference, now=world.NOW,
                    source=PaymentSource.SERVICE, decided_by="service")
    return request


def test_a_confirmed_top_up_adds_to_the_balance(anna):
    request = _confirmed_top_up(anna, rub("1234.50"), TopUpMethod.TERMINAL)
    entry = anna.balance_ledger().items[0]
    assert (entry.kind, entry.amount, entry.note, entry.at) == (
        LedgerKind.TOP_UP, rub("1234.50"), request.reference, world.NOW)
    assert anna.balance() == rub("11234.50")
    assert anna.top_up(rub("1000000"), TopUpMethod.CARD).amount == rub("1000000")


@pytest.mark.parametrize(
    "amount",
    [rub("0"), rub("-5"), rub("1000000.01"), rub("10.005"), Money(Decimal(10), "EUR")],
    ids=["zero", "negative", "too much", "fraction of a kopeck", "other currency"],
)
def test_an_impossible_top_up_names_the_amount_and_changes_nothing(anna, amount):
    with pytest.raises(ValidationError) as caught:
        anna.top_up(amount, TopUpMethod.CARD)
    assert caught.value.field == "amount"
    assert anna.balance() == rub("10000")
    assert len(anna.balance_ledger().items) == 1


def test_an_unknown_top_up_method_names_the_method(anna):
    with pytest.raises(ValidationError) as caught:
        anna.top_up(rub("100"), "bitcoin")
    assert caught.value.field == "method"
    assert anna.balance() == rub("10000")


def test_the_ledger_pages_newest_first_without_gaps_or_repeats(anna):
    for amount in ("1", "2", "3", "4", "5"):
        _confirmed_top_up(anna, rub(amount), TopUpMethod.CARD)
    seen, after = [], None
    while True:
        page = anna.balance_ledger(after=after, limit=2)
        seen += [e.amount.amount for e in page.items]
        after = page.next_after
        if after is None:
            break
    assert seen == [5, 4, 3, 2, 1, 10000]


@pytest.mark.usefixtures("world_orders")
def test_payments_name_their_order(anna):
    payments = [e for e in _all(anna) if e.kind is LedgerKind.PAYMENT]
    assert {e.order_number for e in payments} == {
        world.ORDER_ANNA_DELIVERED, world.ORDER_ANNA_LOYALTY, world.ORDER_ANNA_PAID}
    assert all(e.amount.is_negative() for e in payments)
    assert anna.balance().amount == sum(e.amount.amount for e in _all(anna))


def _all(backend):
    return list(backend.balance_ledger(limit=1000).items)


@pytest.mark.parametrize("after", ["abc", "-1", "1.5"])
def test_a_made_up_ledger_position_names_the_field(anna, after):
    with pytest.raises(ValidationError) as caught:
        anna.balance_ledger(after=after)
    assert caught.value.field == "after"


@pytest.mark.parametrize("limit", [0, 1001])
def test_an_impossible_page_size_names_the_field(anna, limit):
    with pytest.raises(ValidationError) as caught:
        anna.points_ledger(limit=limit)
    assert caught.value.field == "limit"


def test_the_points_wallet_and_its_ledger(anna):
    assert anna.points_wallet() == Decimal(100)
    spent, earned = anna.points_ledger().items
    assert (spent.kind, spent.points) == (PointsKind.SPENT, Decimal(-20))
    assert (earned.kind, earned.points, earned.expires_on) == (
        PointsKind.EARNED, Decimal(120), date(2026, 12, 1))
    page = anna.points_ledger(limit=1)
    assert page.items == (spent,)
    assert anna.points_ledger(after=page.next_after, limit=1).items == (earned,)
