"""The order history grid: a virtual list over any number of orders.

A ``ScrollView`` that draws one line at a time (``render_line``) from the rows it holds,
as Toolong draws a huge log. It never holds the whole history: a new query is one request
(``Backend.order_history``) that brings the first page with the number of matching orders
(the grid's height); after that the rows on screen are read page by page by keyset in a
thread worker. Where each month begins (for a jump far away) is one more request,
``order_month_counts``, made only when first needed. How rows far away are reached (End,
a month, a scrollbar drag) without reading everything before them is described in
:mod:`mlm_tui.widgets.order_rows`.

Line 0 is the column header and stays put; row *i* of the list is line ``i + 1``.
Each row may carry a flag mark ("!") from the order-type check
(:mod:`mlm_tui.core.order_checks`); a row carries its buyer's facts, so the mark is drawn
with the row and costs no request.

Messages up: ``OrderSelected`` (Enter), ``Highlighted`` (the cursor moved or its row
arrived), ``Opened`` (a query's first answer), ``Counted``, ``MonthsCounted``, and the
shared ``messages.Failed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events, on, work
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from mlm_tui.core.dates import format_day
from mlm_tui.core.errors import DomainError
from mlm_tui.core.models import (
    CompanyProfile,
    OrderFilter,
    OrderHistory,
    OrderStatus,
    OrderSummary,
    Page,
)
from mlm_tui.core.money import Money
from mlm_tui.core.order_checks import OrderFlag, check_summary
from mlm_tui.display import printable
from mlm_tui.formats import format_money, format_points, shown_locale
from mlm_tui.i18n import N_, _
from mlm_tui.messages import Failed
from mlm_tui.widgets.order_rows import MONTHS_NEEDED, Fetch, OrderRows
from mlm_tui.widgets.order_text import FLAG_MARK, status_label
from mlm_tui.widgets.points_column import points_label

if TYPE_CHECKING:
    from mlm_tui.core.backend import Backend


MAX_NUMBER_WIDTH = 16
TOTAL_WIDTH = 12  # the least the total column takes
MAX_MEMBER_WIDTH = 34  # wider terminals leave the rest blank rather than stretch the gap
TOTAL_WIDTH = 12  # "99 999,99 ₽" and a space before it
CURSOR_BAR_COLUMNS = 3  # the cursor bar: the flag, the date and the order number


@dataclass(frozen=True, slots=True)
class _Column:
    title: str
    width: int  # 0: takes the width that is left
    right: bool = False


class OrderGrid(ScrollView, can_focus=True):
    """Orders matching ``filters``; Enter posts ``OrderSelected`` with the order number."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", N_("Up"), show=False, id="order_grid.up"),
        Binding("down", "cursor_down", N_("Down"), show=False, id="order_grid.down"),
        Binding("pageup", "page_up", N_("Page up"), show=False, id="order_grid.page_up"),
        Binding("pagedown", "page_down", N_("Page down"), show=False,
                id="order_grid.page_down"),
        Binding("home", "first", N_("First order"), show=False, id="order_grid.first"),
        Binding("end", "last", N_("Last order"), show=False, id="order_grid.last"),
        Binding("enter", "select", N_("Open order"), id="order_grid.open"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "order-grid--header",
        "order-grid--cursor",
        "order-grid--placeholder",
        "order-grid--flag",
        "order-grid--source-SO",
        "order-grid--source-IO",
        "order-grid--source-AS",
        "order-grid--source-IN",
        "order-grid--cancelled",
    }

    DEFAULT_CSS = """
    OrderGrid {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: scroll;
        background: $surface;
        & > .order-grid--header { text-style: bold; background: $panel; color: $foreground; }
        & > .order-grid--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .order-grid--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .order-grid--placeholder { color: $text-disabled; }
        & > .order-grid--flag { color: $text-error; text-style: bold; }
        & > .order-grid--source-SO { color: $foreground; }
        & > .order-grid--source-IO { color: $text-primary; text-style: bold; }
        & > .order-grid--source-AS { color: $text-success; text-style: bold; }
        & > .order-grid--source-IN { color: $text-accent; text-style: bold; }
        & > .order-grid--cancelled { color: $text-muted; }
    }
    """

    cursor_row: reactive[int] = reactive(0, repaint=False, init=False)

    # --- messages ------------------------------------------------------------------------
    @dataclass
    class OrderSelected(Message):
        number: str

    @dataclass
    class Highlighted(Message):
        """The order under the cursor (None while its page is still being read)."""

        index: int
        order: OrderSummary | None
        flag: OrderFlag | None

    @dataclass
    class Counted(Message):
        count: int

    @dataclass
    class MonthsCounted(Message):
        """Months of the current filters with their orders, in the grid's order."""

        months: list[tuple[str, int]]

    @dataclass
    class Opened(Message):
        """The first answer of a query (``show``), or of reading it again."""

        history: OrderHistory

    # Private: results of the workers, tagged with the query they belong to.
    @dataclass
    class _Months(Message):
        generation: int
        months: list[tuple[str, int]]

    class _Loaded(Message):
        def __init__(self, generation: int, fetch: Fetch, page: Page[OrderSummary] | None,
                     company: CompanyProfile | None = None,
                     history: OrderHistory | None = None) -> None:
            super().__init__()
            self.generation, self.fetch, self.page = generation, fetch, page
            self.company, self.history = company, history

    # --- life ----------------------------------------------------------------------------
    def __init__(self, backend: Backend, filters: OrderFilter | None = None, *,
                 company: CompanyProfile | None = None,
                 name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.backend = backend
        # The app knows the company already; without it the first answer brings it along.
        self.company = company
        self._generation = 0
        self._rows = OrderRows(filters or OrderFilter())
        # While the rows are read again (the data changed), the rows read before stay on
        # screen: nothing blinks, and a redraw happens only where a row differs.
        self._shown: OrderRows | None = None
        self._reading = False  # one page in flight at a time: pages chain by keyset
        self._pending_month: str | None = None
        self._months_asked = False
        self._strips: LRUCache[tuple[int, int, bool, int], Strip] = LRUCache(1024)
        self._number_width = 9  # grows to the longest order number read so far

    @property
    def filters(self) -> OrderFilter:
        return self._rows.filters

    @property
    def count(self) -> int | None:
        return self._rows.total

    @property
    def cursor_order(self) -> OrderSummary | None:
        return self._rows.row(self.cursor_row)

    def on_mount(self) -> None:
        self._start()

    def show(self, filters: OrderFilter) -> None:
        """Show the orders matching ``filters`` from the top (a new query)."""
        self._generation += 1
        self._rows = OrderRows(filters)
        self._shown = None
        self._reading = False
        self._pending_month = None
        self._months_asked = False
        self._strips.clear()
        self.set_reactive(OrderGrid.cursor_row, 0)
        self.scroll_to(y=0, animate=False, immediate=True)
        self._set_height()
        self.refresh()
        self._start()

    def reload(self) -> None:
        self.show(self.filters)

    def refresh_rows(self) -> None:
        """Read the rows on screen again (orders changed, here or elsewhere), keeping the
        cursor and the scroll where they are; lines are redrawn only where they differ."""
        shown = self._shown or self._rows
        self._generation += 1
        self._rows = OrderRows(self.filters)
        # The rows read before stay drawn until the new first answer places them again.
        self._shown = shown
        self._reading = False
        self._pending_month = None
        self._months_asked = False
        self._start()

    def _start(self) -> None:
        # One request opens the query: the top page with the count (the scrollbar) and
        # the month menu. The rows where the view stands, if it stands deeper (reading
        # again after a change), follow by keyset once it is in.
        fetch = self._rows.plan(0, 2 * self._visible_rows)
        assert isinstance(fetch, Fetch)  # with nothing held, the top run's first page
        self._reading = True
        self._read_history(self._generation, fetch, need_company=self.company is None)

    # --- the rows on screen --------------------------------------------------------------
    @property
    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _window(self) -> tuple[int, int]:
        first = int(self.scroll_offset.y)
        # A screenful of margin below and above, so the next page-down is already held.
        rows = self._visible_rows
        return max(0, first - rows), first + 2 * rows

    def _read_more(self) -> None:
        if self._reading:
            return
        if self._rows.total is None:
            self._start()  # the first answer failed: asked again when the view moves
            return
        first, last = self._window()
        step = self._rows.plan(first, last)
        if step is MONTHS_NEEDED:
            self._ask_months()
            return
        if not isinstance(step, Fetch):
            return
        self._reading = True
        self._read_page(self._generation, step)

    def _ask_months(self) -> None:
        if not self._months_asked:
            self._months_asked = True
            self._read_months(self._generation, self.filters)

    @work(thread=True, exclusive=True, exit_on_error=False, group="order-grid-page")
    def _read_history(self, generation: int, fetch: Fetch, *, need_company: bool) -> None:
        try:
            company = self.backend.company() if need_company else None
            history = self.backend.order_history(fetch.filters, limit=fetch.limit)
        except DomainError as error:
            self.post_message(Failed(error))
            self.post_message(self._Loaded(generation, fetch, None))
            return
        self.post_message(self._Loaded(generation, fetch, history.page, company, history))

    @work(thread=True, exclusive=True, exit_on_error=False, group="order-grid-page")
    def _read_page(self, generation: int, fetch: Fetch) -> None:
        try:
            page = self.backend.orders_page(fetch.filters, after=fetch.after, limit=fetch.limit)
        except DomainError as error:
            self.post_message(Failed(error))
            self.post_message(self._Loaded(generation, fetch, None))
            return
        self.post_message(self._Loaded(generation, fetch, page))

    @work(thread=True, exclusive=True, exit_on_error=False, group="order-grid-months")
    def _read_months(self, generation: int, filters: OrderFilter) -> None:
        try:
            counts = self.backend.order_month_counts(filters)  # every month in one request
        except DomainError as error:
            self.post_message(Failed(error))
            return
        months = [(c.month, c.orders) for c in counts]
        if not filters.newest_first:
            months.reverse()
        self.post_message(self._Months(generation, months))

    @on(_Months)
    def _months_read(self, message: _Months) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._rows.set_month_counts(message.months)
        self.post_message(self.MonthsCounted(message.months))
        if self._pending_month is not None:
            month, self._pending_month = self._pending_month, None
            self.jump_to_month(month)
        self.refresh()
        self._read_more()

    @on(_Loaded)
    def _loaded(self, message: _Loaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._reading = False
        if message.company is not None:
            self.company = message.company
            self._strips.clear()
        if message.page is None:  # failed; Failed was posted, nothing more to read
            return
        if message.history is not None:
            self._shape(message.history)
        if self._rows.accept(message.fetch, message.page):
            widened = self._fit_numbers(message.page.items)
            if widened:
                self._strips.clear()  # the order column widened: every line changes
            first, last = self._window()
            self._rows.trim(first, last)
            if self._rows.total is None:
                self._set_height()
            if widened or self._differs_from_shown():
                self.refresh()
                self._highlight()
        self._read_more()

    def _differs_from_shown(self) -> bool:
        """After reading again: does a row on screen differ from what is drawn? Then the
        cached lines are stale. Always true for a new query (nothing was drawn before)."""
        shown = self._shown
        if shown is None:
            return True
        top = int(self.scroll_offset.y)
        differs = False
        for index in range(top, top + self._visible_rows):
            row = self._rows.row(index)
            if row is not None and row != shown.row(index):
                differs = True
        if self._rows.plan(*self._window()) is None:
            self._shown = None  # the new rows cover the screen: the old ones may go
        if differs:
            self._strips.clear()
        return differs

    def _shape(self, history: OrderHistory) -> None:
        """The count of the query, from its first answer."""
        known = self._shown.total if self._shown is not None else None
        self._rows.set_total(history.total)
        self._set_height()
        self.post_message(self.Opened(history))
        if history.total != known:  # read again after a change: the same count says nothing
            self.post_message(self.Counted(history.total))
        self.refresh()

    def _fit_numbers(self, orders: tuple[OrderSummary, ...]) -> bool:
        """Widen the order column to the longest number; True when it changed."""
        widest = max((cell_len(order.number) for order in orders), default=0)
        width = min(MAX_NUMBER_WIDTH, max(self._number_width, widest))
        changed, self._number_width = width != self._number_width, width
        return changed

    def _set_height(self) -> None:
        total = self._rows.total
        rows = total if total is not None else self._rows.held
        self.virtual_size = Size(0, rows + 1)

    # --- moving --------------------------------------------------------------------------
    def validate_cursor_row(self, row: int) -> int:
        total = self._rows.total
        if total is None and self._shown is not None:
            total = self._shown.total  # reading again: the rows drawn still count
        last = (total if total is not None else self._rows.held) - 1
        return max(0, min(row, last))

    def watch_cursor_row(self, old: int, new: int) -> None:
        top = int(self.scroll_offset.y)
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + self._visible_rows:
            self.scroll_to(y=new - self._visible_rows + 1, animate=False, immediate=True)
        # Row i is line i + 1 (under the header); a scroll above redraws everything anyway.
        self.refresh_line(old + 1)
        self.refresh_line(new + 1)
        self._highlight()
        self._read_more()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._read_more()

    def on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        self._read_more()

    def _highlight(self) -> None:
        order = self._rows.row(self.cursor_row)
        flag = check_summary(order) if order else None
        self.post_message(self.Highlighted(self.cursor_row, order, flag))

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_down(self) -> None:
        self._page(+1)

    def action_page_up(self) -> None:
        self._page(-1)

    def _page(self, direction: int) -> None:
        # The view moves a screenful and the cursor keeps its place on screen; where the
        # view meets either end, the cursor moves on by itself.
        step = self._visible_rows * direction
        top = int(self.scroll_offset.y)
        offset = self.cursor_row - top
        self.scroll_to(y=top + step, animate=False, immediate=True)
        if int(self.scroll_offset.y) - top == step:
            self.cursor_row = int(self.scroll_offset.y) + offset
        else:
            self.cursor_row += step

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        total = self._rows.total
        if total:
            self.cursor_row = total - 1

    def action_select(self) -> None:
        order = self._rows.row(self.cursor_row)
        if order is not None:
            self.post_message(self.OrderSelected(order.number))

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self.cursor_row = int(self.scroll_offset.y) + event.y - 1
            if event.chain == 2:
                self.action_select()

    def jump_to_month(self, month: str) -> None:
        """Put the first order of ``month`` at the top (reading the month table if needed)."""
        if self._rows.months is None:
            self._pending_month = month
            self._ask_months()
            return
        span = self._rows.month_of(month)
        if span is None:
            return
        self.scroll_to(y=span.start, animate=False, immediate=True)
        self.cursor_row = span.start
        self._read_more()

    def count_months(self) -> None:
        """Ask for the month table (posts ``MonthsCounted``): one request, the first time."""
        if self._rows.months is not None:
            self.post_message(self.MonthsCounted(
                [(s.month, s.count) for s in self._rows.months]))
        else:
            self._ask_months()

    # --- drawing -------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def _columns(self) -> list[_Column]:
        label = points_label(self.company)
        return [
            _Column("", 1),
            _Column(_("Date"), 10),
            _Column(_("Order"), self._number_width),
            _Column(_("Member"), 0),
            _Column(_("Src"), 3),
            _Column(label, 6, right=True),
            _Column(_("Total"), self._total_width(), right=True),
            _Column(_("Status"), 10),
        ]

    def _total_width(self) -> int:
        """Room for a five-figure total as the locale shown writes it: ``99 999,99 ₽``,
        and in German ``99.999,99 RUB``."""
        if self.company is None:
            return TOTAL_WIDTH
        locale = shown_locale(self.company.locale)
        return max(TOTAL_WIDTH, _widest_total(self.company.currency, locale))

    def _widths(self, width: int) -> list[int]:
        columns = self._columns()
        fixed = sum(c.width for c in columns) + len(columns) - 1
        member = min(MAX_MEMBER_WIDTH, max(6, width - fixed))
        return [c.width or member for c in columns]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header_strip(width)
        index = int(self.scroll_offset.y) + y - 1
        total = self._rows.total
        if total is not None and index >= total:
            if total == 0 and y == 1:
                return self._message_strip(_("No orders match these filters."), width)
            return Strip.blank(width, self.rich_style)
        order = self._rows.row(index)
        if order is None and self._shown is not None:
            order = self._shown.row(index)
        if order is None:
            if total is None and self._rows.held == 0 and y == 1:
                return self._message_strip(_("Loading orders…"), width)
            return self._message_strip("…" if total is not None else "", width)
        is_cursor = index == self.cursor_row
        key = (index, order.id, is_cursor, width)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._row_strip(order, is_cursor, width)
            self._strips[key] = strip
        return strip

    def _header_strip(self, width: int) -> Strip:
        style = self.get_component_rich_style("order-grid--header")
        cells = [(c.title, c.right) for c in self._columns()]
        return self._strip([(_fit(t, w, r), style) for (t, r), w in
                            zip(cells, self._widths(width), strict=True)], width, style)

    def _message_strip(self, text: str, width: int) -> Strip:
        style = self.get_component_rich_style("order-grid--placeholder")
        return Strip([Segment(_fit(" " + text, width, False), style)], width)

    def _row_strip(self, order: OrderSummary, is_cursor: bool, width: int) -> Strip:
        locale = shown_locale(self.company.locale) if self.company else "en"
        base = self.rich_style
        if order.status is OrderStatus.CANCELLED:
            base = base + self.get_component_rich_style("order-grid--cancelled")
        flag = check_summary(order)
        flag_style = base + self.get_component_rich_style("order-grid--flag")
        source_style = base + self.get_component_rich_style(
            f"order-grid--source-{order.source.value}")
        widths = self._widths(width)
        values = [
            # No flag, no colour of its own: one pen fewer for the row to be written with.
            (FLAG_MARK, False, flag_style) if flag else ("", False, base),
            (format_day(order.placed_at, locale), False, base),
            (order.number, False, base),
            (order.buyer_name, False, base),
            (order.source.value, False, source_style),
            (_points(order.points, locale), True, base),
            (format_money(order.total, locale), True, base),
            (status_label(order.status), False, base),
        ]
        cells = [(_fit(text, w, right), style)
                 for (text, right, style), w in zip(values, widths, strict=True)]
        if not is_cursor:
            return self._strip(cells, width, base)
        # The bar covers the flag, the date and the number, the order's own columns:
        # plain to see, and few cells to write again when it moves, which over a thin
        # link is most of what a step down costs (a whole row, names in Cyrillic at two
        # bytes a letter, three times as much).
        cursor = self.get_component_rich_style("order-grid--cursor")
        bar = "".join(text + " " for text, _style in cells[:CURSOR_BAR_COLUMNS])
        rest = self._strip(cells[CURSOR_BAR_COLUMNS:], max(0, width - cell_len(bar)), base)
        return Strip([Segment(bar, base + cursor), *rest]).crop(0, width).simplify()

    def _strip(self, cells: list[tuple[str, Style]], width: int, fill: Style) -> Strip:
        segments: list[Segment] = []
        for position, (text, style) in enumerate(cells):
            if position:
                segments.append(Segment(" ", fill))
            segments.append(Segment(text, style))
        # Cells of one style as one segment: each segment is written with its own colour
        # codes, and a row is written whole whenever it changes.
        return Strip(segments).adjust_cell_length(width, fill).simplify()


@lru_cache(maxsize=8)
def _widest_total(currency: str, locale: str) -> int:
    return cell_len(format_money(Money(Decimal("99999.99"), currency), locale))


def _fit(text: str, width: int, right: bool) -> str:
    """Exactly ``width`` cells: cut with an ellipsis, padded on the side it aligns away from.

    Cells are drawn as segments, never parsed as markup; their control characters are made
    visible here, where every cell (a buyer's name, the points label) passes.
    """
    if width <= 0:
        return ""
    text = printable(text)
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    padding = " " * (width - cell_len(text))
    return padding + text if right else text + padding


def _points(points: Decimal, locale: str) -> str:
    return format_points(points, locale)
