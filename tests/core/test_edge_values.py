"""Values no form would offer, as a script, a tampered request or a slip of the finger
sends them: each is refused with a field error, and the store stays as it was."""

from __future__ import annotations

import base64
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from mlm_tui.core.errors import ValidationError
from mlm_tui.core.models import (
    Checkout,
    DeliveryMethod,
    OrderFilter,
    PaymentMethod,
    TopUpMethod,
)
from mlm_tui.core.money import Money
from tests.core.test_checkout import snapshot


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize("after", [
    _cursor("2026-11-20T12:00:00|99999999999999999999"),  # beyond any row id
    _cursor("2026-11-20T12:00:00|-1"),
    "not a cursor at all",
])
def test_a_tampered_order_page_cursor_is_refused(anna, world_orders, after):
    with pytest.raises(ValidationError) as refused:
        anna.orders_page(OrderFilter(), after=after, limit=10)
    assert refused.value.field == "after"


@pytest.mark.parametrize("after", ["99999999999999999999", "²", "-3"])
def test_a_tampered_ledger_cursor_is_refused(anna, after):
    for ledger in (anna.balance_ledger, anna.points_ledger):
        with pytest.raises(ValidationError) as refused:
            ledger(after=after)
        assert refused.value.field == "after"


def test_the_last_month_a_date_can_have_is_just_empty(anna, world_orders):
    assert anna.orders_page(OrderFilter(month="9999-12"), limit=10).items == ()
    assert anna.order_months(OrderFilter(month="9999-12")) == []


def test_month_zero_of_year_zero_is_refused(anna, world_orders):
    with pytest.raises(ValidationError) as refused:
        anna.orders_page(OrderFilter(month="0000-01"), limit=10)
    assert refused.value.field == "month"


@pytest.mark.parametrize("amount", ["1e30", "1e999999", "12345678901234567890123456789.5"])
def test_a_top_up_far_too_large_is_refused_as_such(anna, amount):
    before = anna.balance_ledger()
    with pytest.raises(ValidationError) as refused:
        anna.top_up(Money(Decimal(amount), "RUB"), TopUpMethod.CARD)
    assert refused.value.field == "amount"
    assert "One top-up is at most" in refused.value.message
    assert anna.balance_ledger() == before


@pytest.mark.parametrize(("field", "change"), [
    ("source", {"source": "ZZ"}),
    ("payment_method", {"payment_method": "barter"}),
    ("delivery_method", {"delivery_method": "drone"}),
])
def test_an_order_with_an_unknown_choice_is_refused_and_nothing_changes(anna, field, change):
    anna.add_to_cart("32548", 1)
    before = snapshot(anna)
    chosen = Checkout(DeliveryMethod.PICKUP_POINT, PaymentMethod.BALANCE, "key-1",
                      pickup_point="PP-MSK-2")
    with pytest.raises(ValidationError) as refused:
        anna.place_order(replace(chosen, **change))
    assert refused.value.field == field
    assert snapshot(anna) == before


def test_choices_given_as_plain_text_are_taken(anna):
    anna.add_to_cart("32548", 1)
    sent: dict[str, Any] = {  # as a request over the wire or a script spells them
        "delivery_method": "pickup_point", "payment_method": "balance",
        "idempotency_key": "key-1", "pickup_point": "PP-MSK-2", "source": "AS"}
    order = anna.place_order(Checkout(**sent))
    assert order.source.value == "AS"
    assert anna.balance().amount == Decimal(10000) - order.total.amount
