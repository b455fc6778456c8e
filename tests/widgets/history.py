"""An in-memory order history served the way a Backend serves it: by keyset, per filter.

Used to test the grid's paging without a store: it counts the pages asked for, so a test
can say how much reading a jump costs.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from mlm_tui.core.models import (
    BuyerFacts,
    MemberKind,
    MonthCount,
    OrderFilter,
    OrderHistory,
    OrderSource,
    OrderStatus,
    OrderSummary,
    Page,
)
from mlm_tui.core.money import Money
from mlm_tui.core.rules import numbers

SOURCES = (OrderSource.SO, OrderSource.IO, OrderSource.AS, OrderSource.IN)


NAMES = ("Ольга Иванова", "Ирина Иванова", "Klaus Müller")
BUYERS = (
    BuyerFacts(MemberKind.CONSULTANT, datetime(2021, 6, 1, 9), loyalty_enrolled=True),
    BuyerFacts(MemberKind.CONSULTANT, datetime(2022, 3, 1, 9), loyalty_enrolled=False),
    BuyerFacts(MemberKind.CUSTOMER, datetime(2026, 8, 1, 9), loyalty_enrolled=False),
)


def make_orders(count: int, *, newest: datetime = datetime(2026, 11, 20, 12),
                spacing: timedelta = timedelta(hours=2)) -> list[OrderSummary]:
    """``count`` orders, newest first, one every ``spacing`` (so months hold ~360 each)."""
    return [
        OrderSummary(
            id=count - i, number=numbers.order_number("ru", newest - spacing * i, count - i),
            placed_at=newest - spacing * i,
            buyer_id=2 + i % 3, buyer_name=NAMES[i % 3],
            buyer_registration_number=str(1_000_002 + i % 3), source=SOURCES[i % 4],
            status=OrderStatus.DELIVERED, points=Decimal(i % 50), total=Money(Decimal(
                1000 + i % 700), "RUB"),
            invoice_number=numbers.invoice_number(newest - spacing * i, count - i),
            buyer=BUYERS[i % 3],
        )
        for i in range(count)
    ]


class History:
    def __init__(self, orders: list[OrderSummary]) -> None:
        self.orders = orders  # newest first
        self.pages: list[tuple[OrderFilter, str | None, int]] = []
        self._matching: dict[OrderFilter, list[OrderSummary]] = {}
        self._positions: dict[OrderFilter, dict[int, int]] = {}

    def matching(self, filters: OrderFilter) -> list[OrderSummary]:
        if filters not in self._matching:
            self._matching[filters] = self._select(filters)
            self._positions[filters] = {o.id: i for i, o in enumerate(self._matching[filters])}
        return self._matching[filters]

    def _select(self, filters: OrderFilter) -> list[OrderSummary]:
        rows = [
            o for o in self.orders
            if (filters.month is None or o.placed_at.strftime("%Y-%m") == filters.month)
            and (filters.source is None or o.source == filters.source)
            and (filters.status is None or o.status == filters.status)
            and (filters.member_id is None or o.buyer_id == filters.member_id)
        ]
        return rows if filters.newest_first else rows[::-1]

    def orders_page(self, filters: OrderFilter, *, after: str | None = None,
                    limit: int = 100) -> Page[OrderSummary]:
        self.pages.append((filters, after, limit))
        rows = self.matching(filters)
        start = 0
        if after is not None:  # the keyset: the id of the last row handed out
            start = self._positions[filters][int(after)] + 1
        items = tuple(rows[start:start + limit])
        more = start + limit < len(rows)
        return Page(items, str(items[-1].id) if more and items else None)

    def order_history(self, filters: OrderFilter, *, limit: int = 100) -> OrderHistory:
        page = self.orders_page(filters, limit=limit)
        months = tuple(self.order_months(replace(filters, month=None)))
        return OrderHistory(page, self.count_orders(filters), months, None)

    def order_month_counts(self, filters: OrderFilter) -> list[MonthCount]:
        return [MonthCount(m, self.count_orders(replace(filters, month=m)))
                for m in self.order_months(filters)]

    def count_orders(self, filters: OrderFilter) -> int:
        return len(self.matching(filters))

    def order_months(self, filters: OrderFilter) -> list[str]:
        months = {o.placed_at.strftime("%Y-%m") for o in self.matching(filters)}
        return sorted(months, reverse=True)
