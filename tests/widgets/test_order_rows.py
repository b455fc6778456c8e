"""The grid's row store reads few pages, lands every jump on the right rows, and stays small."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import example, given, settings
from hypothesis import strategies as st

from mlm_tui.core.models import OrderFilter, OrderSource
from mlm_tui.widgets.order_rows import MONTHS_NEEDED, Fetch, OrderRows
from tests.widgets.history import History, make_orders

ORDERS = make_orders(12_000)  # about 33 months of orders
SHARED = History(ORDERS)  # its per-filter caches make the property test fast


def settle(rows: OrderRows, history: History, first: int, last: int) -> int:
    """Read pages until rows first..last are held, as the widget's workers do; pages read."""
    before = len(history.pages)
    for _ in range(200):
        step = rows.plan(first, last)
        if step is None:
            rows.trim(first, last)
            return len(history.pages) - before
        if step is MONTHS_NEEDED:
            months = history.order_months(rows.filters)
            if not rows.filters.newest_first:
                months.reverse()
            rows.set_month_counts([
                (m, history.count_orders(replace(rows.filters, month=m))) for m in months])
            continue
        assert isinstance(step, Fetch)
        page = history.orders_page(step.filters, after=step.after, limit=step.limit)
        assert rows.accept(step, page)
        rows.trim(first, last)
    raise AssertionError("never settled")


def opened(history: History, filters: OrderFilter | None = None, **kw) -> OrderRows:
    filters = filters or OrderFilter()
    rows = OrderRows(filters, **kw)
    rows.set_total(history.count_orders(filters))
    return rows


def shown(rows: OrderRows, first: int, last: int) -> list[str | None]:
    return [o.number if (o := rows.row(i)) else None for i in range(first, last + 1)]


def truth(history: History, filters: OrderFilter, first: int, last: int) -> list[str]:
    return [o.number for o in history.matching(filters)[first:last + 1]]


def test_the_first_screen_is_one_page() -> None:
    history = History(ORDERS)
    rows = opened(history)
    assert settle(rows, history, 0, 21) == 1
    assert shown(rows, 0, 21) == truth(history, OrderFilter(), 0, 21)


def test_rows_can_be_read_before_the_count_is_known() -> None:
    history = History(ORDERS)
    rows = OrderRows(OrderFilter())
    assert settle(rows, history, 0, 21) == 1
    assert shown(rows, 0, 21) == truth(history, OrderFilter(), 0, 21)


def test_scrolling_down_extends_the_same_run_page_by_page() -> None:
    history = History(ORDERS)
    rows = opened(history)
    settle(rows, history, 0, 21)
    assert settle(rows, history, 22, 43) == 0, "still inside the first page"
    assert settle(rows, history, 100, 121) == 1
    assert history.pages[-1][1] is not None, "continued by keyset, not a fresh query"
    assert shown(rows, 100, 121) == truth(history, OrderFilter(), 100, 121)


def test_end_is_one_reversed_query_at_any_size() -> None:
    history = History(ORDERS)
    rows = opened(history)
    last = len(ORDERS) - 1
    assert settle(rows, history, last - 21, last) == 1
    filters, after, _ = history.pages[-1]
    assert filters.newest_first is False and after is None
    assert shown(rows, last - 21, last) == truth(history, OrderFilter(), last - 21, last)
    # Page up from the end grows the same reversed run upwards.
    assert settle(rows, history, last - 150, last - 129) == 1
    assert shown(rows, last - 150, last - 129) == truth(history, OrderFilter(), last - 150,
                                                        last - 129)


def test_a_far_row_asks_for_the_months_then_reads_from_its_month() -> None:
    history = History(ORDERS)
    rows = opened(history)
    assert rows.plan(6000, 6021) is MONTHS_NEEDED
    pages = settle(rows, history, 6000, 6021)
    assert shown(rows, 6000, 6021) == truth(history, OrderFilter(), 6000, 6021)
    assert all(f.month is not None for f, _, _ in history.pages[-pages:])
    assert pages <= 2, "a month holds ~360 orders: one skip page and at most one more"


def test_jumping_to_a_month_lands_on_its_first_order_and_reads_on_into_the_next() -> None:
    history = History(ORDERS)
    rows = opened(history)
    settle(rows, history, 6000, 6021)  # loads the month table
    span = rows.month_of("2025-06")
    assert span is not None
    settle(rows, history, span.start, span.start + 21)
    first = rows.row(span.start)
    assert first is not None and first.placed_at.strftime("%Y-%m") == "2025-06"
    before = rows.row(span.start - 1)
    assert before is None or before.placed_at.strftime("%Y-%m") == "2025-07"
    # Scrolling past the month's end continues into May exactly.
    settle(rows, history, span.end - 10, span.end + 11)
    assert shown(rows, span.end - 10, span.end + 11) == truth(
        history, OrderFilter(), span.end - 10, span.end + 11)


def test_oldest_first_and_filters_keep_the_same_guarantees() -> None:
    history = History(ORDERS)
    filters = OrderFilter(source=OrderSource.AS, newest_first=False)
    rows = opened(history, filters)
    total = history.count_orders(filters)
    for first in (0, total // 2, total - 22):
        settle(rows, history, first, first + 21)
        assert shown(rows, first, first + 21) == truth(history, filters, first, first + 21)


def test_memory_stays_bounded_while_walking_the_whole_history() -> None:
    history = History(ORDERS)
    rows = opened(history, capacity=1000)
    for first in range(0, len(ORDERS) - 22, 97):
        settle(rows, history, first, first + 21)
        assert rows.held <= 1000 + 200
    assert shown(rows, 0, 21) != truth(history, OrderFilter(), 0, 21), "the top was dropped"
    settle(rows, history, 0, 21)
    assert shown(rows, 0, 21) == truth(history, OrderFilter(), 0, 21), "and is read again"


def test_a_page_for_rows_already_moved_past_is_refused() -> None:
    history = History(ORDERS)
    rows = opened(history)
    step = rows.plan(0, 21)
    assert isinstance(step, Fetch)
    page = history.orders_page(step.filters, after=step.after, limit=step.limit)
    assert rows.accept(step, page)
    assert not rows.accept(step, page), "the same page twice would duplicate rows"


def test_an_empty_history_needs_no_page() -> None:
    rows = OrderRows(OrderFilter())
    rows.set_total(0)
    assert rows.plan(0, 21) is None


def test_rows_vanishing_after_the_count_do_not_loop() -> None:
    history = History(ORDERS[:50])
    rows = opened(history)
    rows.set_total(60)  # counted before ten orders were removed
    settle(rows, history, 40, 59)
    assert shown(rows, 50, 59) == [None] * 10


@settings(max_examples=40, deadline=None)
@given(windows=st.lists(st.integers(0, len(ORDERS) - 22), min_size=1, max_size=8),
       newest_first=st.booleans())
# Found by this test: back near the top after the far rows filled the memory, the run read
# towards the screen was the small one and was dropped whole after every page it read.
@example(windows=[1079, 3179, 200], newest_first=False)
def test_any_sequence_of_jumps_shows_exactly_the_right_rows(windows: list[int],
                                                            newest_first: bool) -> None:
    history = SHARED
    filters = OrderFilter(newest_first=newest_first)
    rows = opened(history, filters, capacity=3000)
    for first in windows:
        settle(rows, history, first, first + 21)
        assert shown(rows, first, first + 21) == truth(history, filters, first, first + 21)


def test_the_rows_carry_order_and_invoice_numbers_as_the_store_gives_them():
    from mlm_tui.core.rules import numbers

    newest, oldest = ORDERS[0], ORDERS[-1]
    assert newest.number == numbers.order_number("ru", newest.placed_at, newest.id)
    assert newest.number.startswith("RU-2611-")
    assert oldest.invoice_number == numbers.invoice_number(oldest.placed_at, oldest.id)
