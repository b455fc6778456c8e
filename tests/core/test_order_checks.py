"""The order-type check flags the orders a leader should look at twice, and only those."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from mlm_tui.core.models import (
    MemberKind,
    OrderSource,
    OrderStatus,
    OrderSummary,
)
from mlm_tui.core.money import Money
from mlm_tui.core.order_checks import (
    ENROLMENT_WINDOW_DAYS,
    BuyerFacts,
    FlagReason,
    check_order,
    check_summary,
    correction,
    may_correct,
)

REGISTERED = datetime(2026, 1, 10, 9, 0)


def buyer(kind: MemberKind = MemberKind.CONSULTANT, *, loyalty_since: date | None = None,
          enrolled: bool | None = None) -> BuyerFacts:
    enrolled = loyalty_since is not None if enrolled is None else enrolled
    return BuyerFacts(kind, REGISTERED, enrolled, loyalty_since)


def test_enrolment_order_in_the_first_weeks_is_fine() -> None:
    placed = REGISTERED + timedelta(days=ENROLMENT_WINDOW_DAYS)
    assert check_order(OrderSource.IN, placed, buyer()) is None


def test_enrolment_order_long_after_registration_is_flagged_with_the_days() -> None:
    flag = check_order(OrderSource.IN, datetime(2026, 11, 20, 12), buyer())
    assert flag is not None
    assert flag.reason is FlagReason.LATE_ENROLMENT
    assert flag.days_after_registration == 314


def test_loyalty_order_from_an_enrolled_member_is_fine() -> None:
    assert check_order(OrderSource.AS, datetime(2026, 5, 1), buyer(
        loyalty_since=date(2026, 2, 1))) is None


def test_loyalty_order_without_enrolment_is_flagged() -> None:
    flag = check_order(OrderSource.AS, datetime(2026, 5, 1), buyer())
    assert flag is not None and flag.reason is FlagReason.LOYALTY_NOT_ENROLLED


def test_loyalty_order_placed_before_the_member_enrolled_is_flagged() -> None:
    flag = check_order(OrderSource.AS, datetime(2026, 1, 20), buyer(
        loyalty_since=date(2026, 2, 1)))
    assert flag is not None and flag.reason is FlagReason.LOYALTY_NOT_ENROLLED


def test_enrolled_without_a_known_date_counts_as_enrolled() -> None:
    assert check_order(OrderSource.AS, datetime(2026, 1, 20), buyer(enrolled=True)) is None


def test_customer_internet_order_for_a_consultant_is_flagged() -> None:
    flag = check_order(OrderSource.IO, datetime(2026, 5, 1), buyer(MemberKind.CONSULTANT))
    assert flag is not None and flag.reason is FlagReason.CUSTOMER_ORDER_FOR_CONSULTANT
    assert check_order(OrderSource.IO, datetime(2026, 5, 1), buyer(MemberKind.CUSTOMER)) is None


@pytest.mark.parametrize("kind", list(MemberKind))
def test_a_standard_order_is_never_flagged(kind: MemberKind) -> None:
    assert check_order(OrderSource.SO, datetime(2030, 1, 1), buyer(kind)) is None


def _summary(source: OrderSource, facts: BuyerFacts) -> OrderSummary:
    return OrderSummary(
        id=1, number="R-1", placed_at=datetime(2026, 11, 1, 10), buyer_id=5,
        buyer_name="Klaus Müller", buyer_registration_number="1000005", source=source,
        status=OrderStatus.PAID, points=Decimal(10), total=Money("100", "RUB"),
        invoice_number=None, buyer=facts,
    )


def test_check_summary_reads_source_and_date_from_the_grid_row() -> None:
    flag = check_summary(_summary(OrderSource.IN, buyer()))
    assert flag is not None and flag.reason is FlagReason.LATE_ENROLMENT
    assert check_summary(_summary(OrderSource.IO, buyer(MemberKind.CUSTOMER))) is None


# --- the one correction a flag offers ------------------------------------------------------


@pytest.mark.parametrize("source", [OrderSource.IN, OrderSource.AS, OrderSource.IO])
def test_a_flagged_order_may_become_a_standard_order_and_nothing_else(source):
    flag = check_order(source, datetime(2026, 11, 20, 12), buyer())
    assert flag is not None
    assert correction(flag, OrderStatus.SHIPPED) is OrderSource.SO
    assert [wanted for wanted in OrderSource if may_correct(flag, OrderStatus.PLACED, wanted)
            ] == [OrderSource.SO]


def test_an_order_without_a_flag_may_not_be_changed():
    assert correction(None, OrderStatus.PLACED) is None
    assert not any(may_correct(None, OrderStatus.PLACED, wanted) for wanted in OrderSource)


@pytest.mark.parametrize("status", [OrderStatus.CANCELLED, OrderStatus.CREDITED])
def test_a_settled_order_keeps_its_type_even_when_flagged(status):
    flag = check_order(OrderSource.IO, datetime(2026, 11, 20, 12), buyer())
    assert correction(flag, status) is None
