"""The order-type check: orders whose source code looks wrong, and why.

A leader scanning the history wants the odd ones out, not a verdict: an order is flagged,
never changed. Three rules, each about the buyer as the store knows them today:

- ``IN`` (enrolment order) placed more than ``ENROLMENT_WINDOW_DAYS`` after the buyer
  registered: the enrolment order is a newcomer's first order, not one years later.
- ``AS`` (loyalty order) from a buyer who is not enrolled in the loyalty programme, or who
  enrolled only after the order was placed.
- ``IO`` (internet order at the customer price) bought for a consultant: consultants order
  at the consultant price (``SO``); ``IO`` is the customers' channel.

``SO`` is never flagged: it is the default a consultant may always use. That is also the
one correction each flag offers: a flagged order may become ``SO``, unless it is already
cancelled or credited (its money is settled; its type no longer matters to anyone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from mlm_tui.core.models import (
    BuyerFacts,
    MemberKind,
    Order,
    OrderSource,
    OrderStatus,
    OrderSummary,
)

__all__ = ["BuyerFacts", "FlagReason", "OrderFlag", "check_full_order", "check_order",
           "check_summary", "correction", "may_correct"]

# How long after registration an enrolment order still makes sense.
ENROLMENT_WINDOW_DAYS = 60


class FlagReason(StrEnum):
    LATE_ENROLMENT = "late_enrolment"
    LOYALTY_NOT_ENROLLED = "loyalty_not_enrolled"
    CUSTOMER_ORDER_FOR_CONSULTANT = "customer_order_for_consultant"


@dataclass(frozen=True, slots=True)
class OrderFlag:
    reason: FlagReason
    source: OrderSource
    # LATE_ENROLMENT: days between registration and the order; otherwise None.
    days_after_registration: int | None = None


def check_order(source: OrderSource, placed_at: datetime, buyer: BuyerFacts) -> OrderFlag | None:
    """The first rule the order breaks, or None when its source code looks right."""
    if source is OrderSource.IN:
        days = (placed_at.date() - buyer.registered_at.date()).days
        if days > ENROLMENT_WINDOW_DAYS:
            return OrderFlag(FlagReason.LATE_ENROLMENT, source, days_after_registration=days)
    elif source is OrderSource.AS:
        enrolled_then = buyer.loyalty_enrolled and (
            buyer.loyalty_since is None or buyer.loyalty_since <= placed_at.date()
        )
        if not enrolled_then:
            return OrderFlag(FlagReason.LOYALTY_NOT_ENROLLED, source)
    elif source is OrderSource.IO and buyer.kind is MemberKind.CONSULTANT:
        return OrderFlag(FlagReason.CUSTOMER_ORDER_FOR_CONSULTANT, source)
    return None


# What each flag suggests the order should have been.
CORRECTIONS: dict[FlagReason, OrderSource] = {
    FlagReason.LATE_ENROLMENT: OrderSource.SO,
    FlagReason.LOYALTY_NOT_ENROLLED: OrderSource.SO,
    FlagReason.CUSTOMER_ORDER_FOR_CONSULTANT: OrderSource.SO,
}
# Settled orders keep the type they were settled under.
_SETTLED = frozenset({OrderStatus.CANCELLED, OrderStatus.CREDITED})


def correction(flag: OrderFlag | None, status: OrderStatus) -> OrderSource | None:
    """The source a flagged order may be corrected to, or None when it may not be changed."""
    if flag is None or status in _SETTLED:
        return None
    return CORRECTIONS[flag.reason]


def may_correct(flag: OrderFlag | None, status: OrderStatus, wanted: OrderSource) -> bool:
    return correction(flag, status) is wanted


def check_summary(order: OrderSummary) -> OrderFlag | None:
    """A row of the history: it carries its buyer's facts, so nothing more is asked."""
    return check_order(order.source, order.placed_at, order.buyer)


def check_full_order(order: Order) -> OrderFlag | None:
    return check_order(order.source, order.placed_at, order.buyer_facts)
