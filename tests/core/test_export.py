"""CSV export streams the history page by page and leaves a complete file or none."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from mlm_tui.core.company import demo_company
from mlm_tui.core.export import export_filename, export_orders
from mlm_tui.core.models import (
    BuyerFacts,
    MemberKind,
    OrderFilter,
    OrderSource,
    OrderStatus,
    OrderSummary,
    Page,
)
from mlm_tui.core.money import Money

STAMP = datetime(2026, 11, 20, 12, 0, 0)


OLGA = BuyerFacts(MemberKind.CONSULTANT, datetime(2021, 6, 1, 9), loyalty_enrolled=False)
CUSTOMER = BuyerFacts(MemberKind.CUSTOMER, datetime(2024, 2, 1, 9), loyalty_enrolled=True)


class PagedOrders:
    """Just the part of a Backend the export reads: numbered orders, served by keyset.

    It has no ``member``: the rows carry what the order-type check needs about the buyer,
    so the export asks one page at a time and nothing per row."""

    def __init__(self, count: int) -> None:
        self.orders = [
            OrderSummary(
                id=i, number=f"R-{i:06d}", placed_at=datetime(2026, 11, 1) - timedelta(hours=i),
                buyer_id=2 if i % 2 else 3, buyer_name="Ольга Иванова",
                buyer_registration_number="1000002" if i % 2 else "1000003",
                source=OrderSource.IN if i == 1 else OrderSource.SO, status=OrderStatus.PAID,
                points=Decimal("12.50"), total=Money(Decimal("1234.5"), "RUB"),
                invoice_number=f"INV-{i:06d}", buyer=OLGA if i % 2 else CUSTOMER,
            )
            for i in range(1, count + 1)
        ]
        self.calls: list[tuple[str | None, int]] = []

    def company(self):
        return demo_company("ru")

    def orders_page(self, filters: OrderFilter, *, after: str | None = None, limit: int = 100):
        self.calls.append((after, limit))
        start = int(after) if after else 0
        items = tuple(self.orders[start:start + limit])
        end = start + len(items)
        return Page(items, str(end) if end < len(self.orders) else None)


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_every_order_is_written_reading_one_page_at_a_time(tmp_path: Path) -> None:
    backend = PagedOrders(25)
    seen: list[int] = []
    result = export_orders(backend, OrderFilter(), tmp_path, stamp=STAMP, page_size=10,
                           progress=seen.append)
    assert result.rows == 25
    assert backend.calls == [(None, 10), ("10", 10), ("20", 10)]
    assert seen == [10, 20, 25]
    rows = _read(result.path)
    assert rows[0][:6] == ["Date", "Order", "Member number", "Member", "Source", "BB"]
    assert len(rows) == 26
    assert rows[1] == ["2026-10-31 23:00", "R-000001", "1000002", "Ольга Иванова", "IN", "12.5",
                       "1234.50", "RUB", "paid", "INV-000001", "late_enrolment"]
    assert rows[2][-1] == "", "a standard order (SO) is never flagged"


def test_the_file_starts_with_a_byte_order_mark_for_spreadsheets(tmp_path: Path) -> None:
    result = export_orders(PagedOrders(1), OrderFilter(), tmp_path, stamp=STAMP)
    assert result.path.read_bytes().startswith(b"\xef\xbb\xbf")


class Stopped(Exception):
    pass


def test_a_stopped_export_leaves_no_file(tmp_path: Path) -> None:
    def stop(rows: int) -> None:
        if rows >= 20:
            raise Stopped

    exports = tmp_path / "exports"
    with pytest.raises(Stopped):
        export_orders(PagedOrders(50), OrderFilter(), exports, stamp=STAMP, page_size=10,
                      progress=stop)
    assert list(exports.iterdir()) == []


def test_the_name_says_what_was_exported_and_never_overwrites(tmp_path: Path) -> None:
    filters = OrderFilter(member_id=2, month="2026-11", source=OrderSource.AS)
    assert export_filename(filters, STAMP) == "orders-m2-2026-11-AS-20261120-120000.csv"
    first = export_orders(PagedOrders(1), OrderFilter(), tmp_path / "x", stamp=STAMP)
    second = export_orders(PagedOrders(2), OrderFilter(), tmp_path / "x", stamp=STAMP)
    assert first.path != second.path
    assert len(_read(first.path)) == 2 and len(_read(second.path)) == 3


def test_an_empty_history_gives_just_the_header(tmp_path: Path) -> None:
    result = export_orders(PagedOrders(0), OrderFilter(), tmp_path, stamp=STAMP)
    assert result.rows == 0
    assert len(_read(result.path)) == 1


@pytest.mark.usefixtures("world_orders")
def test_a_real_export_asks_once_per_page_never_once_per_row(anna, tmp_path: Path) -> None:
    """Over HTTP a call is a round trip: the export's calls follow its pages, and the flag
    column needs no look-up of the buyer (the rows carry what the check needs)."""
    from tests import world
    from tests.counting import CountingBackend

    counting = CountingBackend(anna)
    result = export_orders(counting, OrderFilter(), tmp_path, stamp=STAMP, page_size=3)
    team = [o for o in world.WORLD_ORDERS if o.buyer is not world.PETR]
    assert result.rows == len(team)
    pages = -(-len(team) // 3)
    assert counting.take() == {"company": 1, "orders_page": pages}
    flags = {row[1]: row[-1] for row in _read(result.path)[1:]}
    assert flags[world.ORDER_KLAUS_ENROLMENT] == "late_enrolment"
    assert flags[world.ORDER_ANNA_PAID] == ""


def test_the_headings_are_in_the_readers_language_and_the_columns_stay(tmp_path: Path) -> None:
    from mlm_tui.i18n import _, install

    english = export_orders(PagedOrders(1), OrderFilter(), tmp_path / "en", stamp=STAMP)
    install("de")
    german = export_orders(PagedOrders(1), OrderFilter(), tmp_path / "de", stamp=STAMP,
                           translate=_)
    [en_header, en_row], [de_header, de_row] = (
        list(csv.reader(result.path.open(encoding="utf-8-sig"))) for result in (english,
                                                                                german))
    assert en_header[:3] == ["Date", "Order", "Member number"]
    assert de_header[:3] == ["Datum", "Bestellung", "Mitgliedsnummer"]
    assert len(de_header) == len(en_header) and de_row == en_row
