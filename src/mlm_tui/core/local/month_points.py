"""Points of the month: the one rule behind every month figure (header, alerts, team).

An order's points count for the calendar month it was placed in, and only once it is paid:
an order earns its points when paid (``core.rules.payment``; the store sets ``paid_at`` and
the status together). One waiting for its money still counts as ordered in that month but
adds no points; a cancelled or credited order stopped being a purchase and adds nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, Connection, Table, case, func, select

from mlm_tui.core.local import schema as t
from mlm_tui.core.models import OrderStatus

# Orders that are no purchase at all: they never count, not even as ordered.
UNDONE = (OrderStatus.CANCELLED.value, OrderStatus.CREDITED.value)
# A standing order still waiting to be paid: counted as ordered, no points yet.
UNPAID = OrderStatus.PLACED.value


def standing(orders: Table = t.orders) -> ColumnElement[bool]:
    """The orders a month counts at all (as ordered)."""
    return orders.c.status.not_in(UNDONE)


def earned_points(orders: Table = t.orders) -> ColumnElement[Decimal]:
    """An order's points as the month counts them: its points once paid, else nothing.

    Use it under :func:`standing`, which leaves out the undone orders.
    """
    return case((orders.c.status == UNPAID, 0), else_=orders.c.points)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(first_day: date) -> date:
    return date(first_day.year + first_day.month // 12, first_day.month % 12 + 1, 1)


def month_bounds(day: date) -> tuple[str, str]:
    """The calendar month of ``day`` as the half-open range of ``placed_at`` text."""
    first = month_start(day)
    return first.isoformat(), next_month(first).isoformat()


def points_in_month(conn: Connection, buyer_id: int, day: date) -> Decimal:
    """What a member's own orders earned in the month of ``day``."""
    o = t.orders
    start, end = month_bounds(day)
    total = conn.execute(
        select(func.coalesce(func.sum(earned_points(o), type_=o.c.points.type), 0)).where(
            o.c.buyer_id == buyer_id, o.c.placed_at >= start, o.c.placed_at < end, standing(o)
        )
    ).scalar_one()
    return Decimal(total)
