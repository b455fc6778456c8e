"""Which orders the history grid holds, and which page it must read next.

The grid shows row *i* of a list it never holds whole. The Backend serves that list only by
keyset (``orders_page(filters, after=...)``): a page continues where the previous one ended,
and there is no "row 500 000" to ask for. So the rows held are a few **runs**, each a stretch
of consecutive rows read by one chain of keyset pages, anchored where the chain began:

- the **top run** starts at row 0 with the grid's filters; scrolling down extends it.
- a **bottom run** starts at the last row (``count - 1``) with the sort order reversed
  (``newest_first`` flipped); it grows upwards, so End is one page away at any size.
- a **month run** starts at the first row of a month (filters plus ``month=...``), or at its
  last row with the order reversed, whichever is nearer to the wanted row. Where a month
  begins is the sum of the orders of the months before it (``order_month_counts``, one
  request, read once when first needed); when a month run reaches the end of its month,
  the next month starts a new run at the next row.

To reach a row, extending a run whose end lies within ``REACH`` rows is cheapest; otherwise
a new run is anchored (top, bottom or month), and the month table is asked for
(``MONTHS_NEEDED``) if it is not known yet. No cursor token is ever made up: every page
comes from a token the Backend gave, or from a fresh query.

Memory stays bounded: beyond ``CAPACITY`` rows, the runs farthest from the rows on screen
are dropped (and re-read if the user scrolls back).

Nothing here imports Textual; the widget (:mod:`mlm_tui.widgets.order_grid`) asks ``plan``
what to read, reads it in a thread worker, and hands the page to ``accept``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Final

from mlm_tui.core.models import OrderFilter, OrderSummary, Page

PAGE_SIZE: Final = 100  # rows read per page while scrolling
MAX_PAGE: Final = 1000  # rows read per page while skipping towards a far row
REACH: Final = 2000  # extend a run this far; beyond it, a new anchor is cheaper
CAPACITY: Final = 20_000  # rows kept in memory


class _MonthsNeeded:
    def __repr__(self) -> str:
        return "MONTHS_NEEDED"


MONTHS_NEEDED: Final = _MonthsNeeded()


@dataclass(frozen=True, slots=True)
class MonthSpan:
    month: str  # "YYYY-MM"
    start: int  # its first row in the grid's order
    count: int

    @property
    def end(self) -> int:
        """Its last row."""
        return self.start + self.count - 1


@dataclass(eq=False)
class Run:
    """Consecutive rows from one chain of keyset pages.

    ``step`` is +1 when rows go downwards from ``start`` (the grid's own order) and -1 when
    the query runs in the reverse order, so its k-th row sits at ``start - k``.
    """

    id: int
    start: int
    step: int
    filters: OrderFilter
    rows: list[OrderSummary] = field(default_factory=list)
    next_after: str | None = None
    exhausted: bool = False  # it reads no further: its end, or rows at its frontier dropped
    anchor: tuple[int, int, OrderFilter] | None = None  # None once trimmed

    @property
    def frontier(self) -> int:
        """The row the next page begins with."""
        return self.start + self.step * len(self.rows)

    def covers(self, index: int) -> bool:
        return 0 <= (index - self.start) * self.step < len(self.rows)

    def row(self, index: int) -> OrderSummary:
        return self.rows[(index - self.start) * self.step]


@dataclass(frozen=True, slots=True)
class Fetch:
    """One page to read: ``orders_page(filters, after=after, limit=limit)`` for run ``run_id``."""

    run_id: int
    filters: OrderFilter
    after: str | None
    limit: int


class OrderRows:
    """The rows of one query (one set of filters) that the grid holds."""

    def __init__(self, filters: OrderFilter, *, page_size: int = PAGE_SIZE,
                 capacity: int = CAPACITY) -> None:
        self.filters = filters
        self.page_size = page_size
        self.capacity = capacity
        self.total: int | None = None  # count_orders, once known
        self.months: list[MonthSpan] | None = None
        self._runs: list[Run] = []
        self._next_id = 1

    # --- reading -------------------------------------------------------------------------
    def row(self, index: int) -> OrderSummary | None:
        for run in self._runs:
            if run.covers(index):
                return run.row(index)
        return None

    @property
    def held(self) -> int:
        return sum(len(run.rows) for run in self._runs)

    def month_of(self, month: str) -> MonthSpan | None:
        return next((s for s in self.months or () if s.month == month), None)

    def span_at(self, index: int) -> MonthSpan | None:
        return next((s for s in self.months or () if s.start <= index <= s.end), None)

    # --- learning the shape ---------------------------------------------------------------
    def set_total(self, total: int) -> None:
        self.total = total

    def set_month_counts(self, counts: list[tuple[str, int]]) -> None:
        """Months with their order counts, in the grid's order (newest first or oldest)."""
        spans, start = [], 0
        for month, count in counts:
            if count:
                spans.append(MonthSpan(month, start, count))
                start += count
        self.months = spans

    # --- what to read next ----------------------------------------------------------------
    def plan(self, first: int, last: int) -> Fetch | _MonthsNeeded | None:
        """The page to read so rows ``first..last`` can be drawn, or None when they are held."""
        if self.total is None:
            # Until the count is known only the top run can read: there is no bottom yet.
            last = max(last, first)
            run = self._run_at_anchor(0, 1, self.filters) or self._new_run(0, 1, self.filters)
            if run.exhausted or run.frontier > last:
                return None
            return self._extend(run, last - run.frontier + 1)
        last = min(last, self.total - 1)
        for index in range(max(first, 0), last + 1):
            if self.row(index) is not None:
                continue
            fetch = self._plan_row(index, first, last)
            if fetch is not None:
                return fetch
        return None

    def _plan_row(self, index: int, first: int, last: int) -> Fetch | _MonthsNeeded | None:
        reachable = [
            run for run in self._runs
            if not run.exhausted and 0 <= (index - run.frontier) * run.step <= REACH
        ]
        if reachable:
            run = min(reachable, key=lambda r: abs(index - r.frontier))
            wanted = (last - run.frontier + 1) if run.step > 0 else (run.frontier - first + 1)
            return self._extend(run, wanted)
        assert self.total is not None
        if index < REACH:
            return self._anchor(0, 1, self.filters)
        if self.total - 1 - index < REACH:
            return self._anchor(self.total - 1, -1, _reversed(self.filters))
        if self.months is None:
            return MONTHS_NEEDED
        span = self.span_at(index)
        if span is None:
            return None  # the count and the months disagree (orders changed meanwhile)
        month_filters = replace(self.filters, month=span.month)
        if index - span.start <= span.end - index:
            return self._anchor(span.start, 1, month_filters)
        return self._anchor(span.end, -1, _reversed(month_filters))

    def _anchor(self, start: int, step: int, filters: OrderFilter) -> Fetch | None:
        existing = self._run_at_anchor(start, step, filters)
        if existing is not None:
            # Read to its end and still short of the row: the store changed since the count.
            return None if existing.exhausted else self._extend(existing, self.page_size)
        return self._extend(self._new_run(start, step, filters), self.page_size)

    def _run_at_anchor(self, start: int, step: int, filters: OrderFilter) -> Run | None:
        key = (start, step, filters)
        return next((run for run in self._runs if run.anchor == key), None)

    def _new_run(self, start: int, step: int, filters: OrderFilter) -> Run:
        run = Run(self._next_id, start, step, filters, anchor=(start, step, filters))
        self._next_id += 1
        self._runs.append(run)
        return run

    def _extend(self, run: Run, wanted: int) -> Fetch:
        limit = min(max(wanted, self.page_size), MAX_PAGE)
        return Fetch(run.id, run.filters, run.next_after, limit)

    # --- taking a page in -----------------------------------------------------------------
    def accept(self, fetch: Fetch, page: Page[OrderSummary]) -> bool:
        """Add a page read for ``fetch``; False when it no longer fits (dropped or stale)."""
        run = next((r for r in self._runs if r.id == fetch.run_id), None)
        if run is None or run.exhausted or run.next_after != fetch.after:
            return False
        run.rows.extend(page.items)
        run.next_after = page.next_after
        run.exhausted = page.next_after is None or not page.items
        return True

    def trim(self, first: int, last: int) -> None:
        """Forget rows far from ``first..last`` once more than ``capacity`` are held.

        The rows dropped first are those farthest from the screen, whichever end of a run
        they are at; nothing within a margin of the screen is dropped. A run cut at its
        start is no longer where it was anchored; a run cut at its frontier can read no
        further (its next page would begin past the rows dropped), so a new run is anchored
        when those rows are wanted again. Both matter: the run read towards the screen may
        be the small one, and dropping it whole, as the farthest run, undid every read.
        """
        excess = self.held - self.capacity
        margin = max(self.page_size, last - first + 1)
        low, high = first - margin, last + margin
        while excess > 0:
            run, at_start, beyond = max(
                ((run, at_start, _beyond(run, at_start, low, high))
                 for run in self._runs for at_start in (True, False)),
                key=lambda end: end[2], default=(None, True, 0))
            if run is None or beyond == 0:
                return  # every row held is near the screen
            drop = min(beyond, excess)
            excess -= drop
            if drop == len(run.rows):
                self._runs.remove(run)
            elif at_start:
                del run.rows[:drop]
                run.start += run.step * drop
                run.anchor = None
            else:
                del run.rows[len(run.rows) - drop:]
                run.exhausted, run.next_after, run.anchor = True, None, None


def _beyond(run: Run, at_start: bool, low: int, high: int) -> int:
    """How many rows at one end of ``run`` lie outside ``low..high``."""
    held = len(run.rows)
    end = run.start if at_start else run.start + run.step * (held - 1)
    # The way the run's rows go from this end into the run: down the grid or up.
    inwards = run.step if at_start else -run.step
    outside = (low - end) if inwards > 0 else (end - high)
    return max(0, min(outside, held))


def _reversed(filters: OrderFilter) -> OrderFilter:
    return replace(filters, newest_first=not filters.newest_first)
