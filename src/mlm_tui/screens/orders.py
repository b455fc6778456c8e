"""The order history: every order of the team, however old, filtered and sorted at once.

The grid is virtual (:class:`mlm_tui.widgets.order_grid.OrderGrid`): a filter is a new
query and the first rows show as soon as their page is read. Filters: month, source code,
status and member (a name or registration number; several matches ask which one).
Under the grid: the order under the cursor with its source code spelt out and, when its
source looks wrong, why; then the legend of the source codes.

Keys: Enter opens the order; ``i`` its invoice and ``t`` its tracking straight away;
``s`` flips the sort; ``j`` jumps to a month; ``x`` exports what is shown to CSV.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.lazy import Lazy
from textual.message import Message
from textual.widgets import Input, Select, Static
from textual.worker import get_current_worker

from mlm_tui.core.errors import DomainError
from mlm_tui.core.models import (
    CompanyProfile,
    MemberMatch,
    OrderFilter,
    OrderSource,
    OrderStatus,
)
from mlm_tui.display import data_text, printable
from mlm_tui.formats import format_points, month_name, shown_locale
from mlm_tui.i18n import N_, _, ngettext
from mlm_tui.messages import DataChanged, Failed
from mlm_tui.screens.base import AppScreen, back_binding
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.money import points_text
from mlm_tui.widgets.order_grid import OrderGrid
from mlm_tui.widgets.order_text import (
    FLAG_MARK,
    flag_text,
    source_label,
    source_short_label,
    status_label,
)
from mlm_tui.widgets.outbox_lines import OutboxLines
from mlm_tui.widgets.status_line import StatusLine
from mlm_tui.widgets.text_input import TextInput


class ExportStopped(Exception):
    """The screen was left while exporting: the partial file is removed."""


class OrdersScreen(AppScreen[None]):
    DEFAULT_CSS = """
    OrdersScreen #order-filters, OrdersScreen #order-filter-controls { height: 1; }
    OrdersScreen #order-filters Select { width: 18; margin-right: 1; }
    OrdersScreen #order-filters #filter-source { width: 22; }
    OrdersScreen #order-filters Input { width: 1fr; }
    OrdersScreen #orders-info { height: 1; padding: 0 1; color: $text-muted; }
    OrdersScreen #orders-current { height: auto; max-height: 2; padding: 0 1; }
    OrdersScreen #orders-current.-flagged { color: $text-error; }
    OrdersScreen #orders-legend { height: auto; max-height: 2; padding: 0 1;
                                  color: $text-muted; }
    OrdersScreen #orders-status { max-height: 3; }  /* a long path still shows whole */
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Back and Tracking stay out of the footer (there is no room at 80 columns); the
        # help screen lists them.
        back_binding("orders.back", show=False),
        Binding("i", "invoice", N_("Invoice"), id="orders.invoice"),
        Binding("t", "tracking", N_("Tracking"), show=False, id="orders.tracking"),
        Binding("s", "sort", N_("Sort"), id="orders.sort"),
        Binding("j", "jump", N_("Jump to month"), id="orders.jump"),
        Binding("x", "export", N_("Export CSV"), id="orders.export"),
        Binding("f", "filters", N_("Filters"), show=False, id="orders.filters"),
        Binding("r", "reload", N_("Reload"), show=False, id="orders.reload"),
    ]

    # --- messages from the workers ---------------------------------------------------------
    class Members(Message):
        def __init__(self, typed: str, matches: list[MemberMatch]) -> None:
            super().__init__()
            self.typed, self.matches = typed, matches

    class Exported(Message):
        def __init__(self, rows: int, path: str | None, done: bool) -> None:
            super().__init__()
            self.rows, self.path, self.done = rows, path, done

    def __init__(self, member: int | None = None, month: str | None = None) -> None:
        super().__init__()
        self._initial = OrderFilter(member_id=member, month=month)
        self._member_label = ""
        self._exporting = False
        self._current_lines: tuple[bool, bool] | None = None  # the order line's height

    @property
    def company(self) -> CompanyProfile | None:
        grid_company = self.grid.company if self.is_mounted else None
        return grid_company or self.mlm_app.company

    @property
    def grid(self) -> OrderGrid:
        return self.query_one(OrderGrid)

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        with Horizontal(id="order-filters"):
            # The controls arrive a frame after the rows: the rows are what one comes for,
            # and the three menus cost more to mount than the rest of the screen.
            yield Lazy(self._filter_controls())
        yield OutboxLines()  # orders checked out offline, apart from the server's
        yield Static(_("Counting orders…"), id="orders-info", markup=False)
        yield OrderGrid(self.backend, self._initial, company=self.mlm_app.company)
        yield Static("", id="orders-current", markup=False)
        yield Static("", id="orders-legend", markup=False)
        yield StatusLine(id="orders-status", hidden_when_empty=True)
        yield KeysFooter()

    def _filter_controls(self) -> Horizontal:
        month = self._initial.month
        months = [(month, month)] if month else []
        return Horizontal(
            Select[str](months, prompt=_("All months"), id="filter-month", compact=True,
                        value=month or Select.NULL),
            Select[str](
                [(f"{s.value} {source_short_label(s)}", s.value) for s in OrderSource],
                prompt=_("All sources"), id="filter-source", compact=True),
            Select[str](
                [(status_label(s), s.value) for s in OrderStatus],
                prompt=_("All statuses"), id="filter-status", compact=True),
            TextInput(placeholder=_("Name or number"), id="filter-member", compact=True),
            id="order-filter-controls",
        )

    def _with_filters(self, change: Callable[[], object]) -> None:
        """Run ``change`` on the filter controls, once they are mounted."""
        try:
            change()
        except NoMatches:
            self.call_after_refresh(self._with_filters, change)

    def on_mount(self) -> None:
        self.title = _("Order history")
        self._paint_legend()
        # The grid's colours follow the theme; so must the key to them.
        self.app.theme_changed_signal.subscribe(
            self, lambda _theme: self.call_after_refresh(self._paint_legend))
        self.grid.focus()

    # --- filters ---------------------------------------------------------------------------
    def _filters_from_inputs(self) -> OrderFilter:
        def chosen(select_id: str) -> str | None:
            value = self.query_one(select_id, Select).value
            return value if isinstance(value, str) else None

        source, status = chosen("#filter-source"), chosen("#filter-status")
        return replace(
            self.grid.filters,
            month=chosen("#filter-month"),
            source=OrderSource(source) if source else None,
            status=OrderStatus(status) if status else None,
        )

    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        filters = self._filters_from_inputs()
        if filters != self.grid.filters:
            self._show(filters)
            self.grid.focus()  # the next Enter opens an order, not the menu again

    def _show(self, filters: OrderFilter) -> None:
        self.query_one("#orders-info", Static).update(_("Counting orders…"))
        self.grid.show(filters)

    @on(OrderGrid.Opened)
    def _opened(self, message: OrderGrid.Opened) -> None:
        """A query's first answer names the months for the menu and whose orders these are:
        a filter change is one request, however much of the screen it changes."""
        history = message.history
        months = list(history.months)
        self._with_filters(lambda: self._show_months(months))
        member = history.member
        if member is not None and self.grid.filters.member_id == member.id:
            self._set_member_label(f"{member.full_name} ({member.registration_number})")
        self._show_info()

    def _show_months(self, found: list[str]) -> None:
        select = self.query_one("#filter-month", Select)
        current = select.value
        locale = self._locale
        months = list(found)
        if isinstance(current, str) and current not in months:
            months.append(current)  # keep the chosen month even when it holds no order
        with self.prevent(Select.Changed):
            select.set_options((month_name(m, locale), m) for m in months)
            if isinstance(current, str):
                select.value = current

    @on(Input.Submitted, "#filter-member")
    def _member_typed(self, event: Input.Submitted) -> None:
        typed = event.value.strip()
        if typed == self._member_label and typed:
            self.grid.focus()
            return
        if not typed:
            self._member_label = ""
            filters = replace(self.grid.filters, member_id=None)
            self._show(filters)
            self.grid.focus()
            return
        self.find_members(typed)

    def find_members(self, typed: str) -> None:
        def ask() -> Message:
            matches = self.backend.search_members(typed, limit=20)
            if typed.isdigit():
                exact = [m for m in matches if m.registration_number == typed]
                matches = exact or matches
            return self.Members(typed, matches)

        self.in_background(ask, group="orders-member")

    @on(Members)
    def _members(self, message: Members) -> None:
        if not message.matches:
            self._status(_("Nobody in your team matches “{typed}”.").format(
                typed=message.typed), error=True)
            return
        if len(message.matches) == 1:
            self._choose_member(message.matches[0])
            return
        from mlm_tui.screens.pick_member import PickMemberScreen

        self.app.push_screen(PickMemberScreen(message.matches, self._locale),
                             self._choose_member)

    def _choose_member(self, match: MemberMatch | None) -> None:
        if match is None:
            return
        self._set_member_label(f"{match.full_name} ({match.registration_number})")
        filters = replace(self.grid.filters, member_id=match.id)
        self._show(filters)
        self.grid.focus()

    def _set_member_label(self, label: str) -> None:
        # Shown in the member field: a field shows its value as it is, so made printable.
        label = printable(label)
        self._member_label = label
        self._with_filters(lambda: setattr(self.query_one("#filter-member", Input), "value",
                                           label))

    def action_filters(self) -> None:
        self._with_filters(lambda: self.query_one("#filter-month", Select).focus())

    def action_sort(self) -> None:
        filters = self.grid.filters
        self._show(replace(filters, newest_first=not filters.newest_first))

    def action_reload(self) -> None:
        self._show(self.grid.filters)

    @on(DataChanged)
    def _data_changed(self, message: DataChanged) -> None:
        from mlm_tui.core.changes import ChangeKind

        if ChangeKind.ORDERS in message.kinds:
            self.grid.refresh_rows()

    # --- what the grid says ----------------------------------------------------------------
    @on(OrderGrid.Counted)
    def _counted(self, message: OrderGrid.Counted) -> None:
        self._show_info()

    def _show_info(self) -> None:
        """``1 234 orders · newest first · ноябрь 2026 · Ольга Иванова (1000002)``."""
        count = self.grid.count
        if count is None:
            return
        filters = self.grid.filters
        parts = [ngettext("{count} order", "{count} orders", count).format(
            count=format_points(Decimal(count), self._locale))]
        parts.append(_("newest first") if filters.newest_first else _("oldest first"))
        if filters.month:
            parts.append(month_name(filters.month, self._locale))
        if filters.member_id is not None and self._member_label:
            parts.append(self._member_label)
        self.query_one("#orders-info", Static).update(data_text(" · ".join(parts)))

    @on(OrderGrid.Highlighted)
    def _highlighted(self, message: OrderGrid.Highlighted) -> None:
        current = self.query_one("#orders-current", Static)
        order = message.order
        if order is None:
            current.update("")
            current.remove_class("-flagged")
            return
        text = (f"{order.number} · {order.source.value} {source_label(order.source)} · "
                f"{points_text(order.points, self.company)}")
        if message.flag is not None:
            text += f"\n{FLAG_MARK} {flag_text(message.flag)}"
        # The screen is laid out again only when the line's height may change: moving the
        # cursor then redraws this line alone, not the scroll bar beside the list as well.
        lines = (message.flag is not None, cell_len(text) > current.content_size.width)
        current.update(data_text(text, multiline=True), layout=lines != self._current_lines)
        self._current_lines = lines
        current.set_class(message.flag is not None, "-flagged")

    @on(OrderGrid.OrderSelected)
    def _open_order(self, message: OrderGrid.OrderSelected) -> None:
        from mlm_tui.screens.order import OrderScreen

        self.app.push_screen(OrderScreen(message.number))

    @on(OrderGrid.MonthsCounted)
    def _months_counted(self, message: OrderGrid.MonthsCounted) -> None:
        if not message.months:
            self._status(_("No months to jump to."), error=True)
            return
        from mlm_tui.screens.pick_month import PickMonthScreen

        self.app.push_screen(
            PickMonthScreen(_("Jump to month"), message.months, self._locale),
            self._jump_to)

    @on(Failed)  # the screen's own workers' and the grid's
    def _failed(self, message: Failed) -> None:
        self._status(message.error.message, error=True)

    def action_jump(self) -> None:
        self._status(_("Counting the orders of each month…"))
        self.grid.count_months()

    def _jump_to(self, month: str | None) -> None:
        self._status("")
        if month is not None:
            self.grid.jump_to_month(month)
            self.grid.focus()

    def action_invoice(self) -> None:
        order = self.grid.cursor_order
        if order is None:
            return
        if not order.invoice_number:
            self._status(_("Order {number} has no invoice yet.").format(number=order.number),
                         error=True)
            return
        from mlm_tui.screens.invoice import InvoiceScreen

        self.app.push_screen(InvoiceScreen(order.invoice_number))

    def action_tracking(self) -> None:
        order = self.grid.cursor_order
        if order is not None:
            from mlm_tui.screens.tracking import TrackingScreen

            self.app.push_screen(TrackingScreen(order.number))

    # --- export ----------------------------------------------------------------------------
    def action_export(self) -> None:
        if self._exporting:
            self._status(_("An export is already running."))
            return
        self._exporting = True
        self._status(_("Exporting…"))
        self.export(self.grid.filters)

    @work(thread=True, exclusive=True, exit_on_error=False, group="orders-export")
    def export(self, filters: OrderFilter) -> None:
        from mlm_tui.core.export import export_orders
        worker = get_current_worker()

        def progress(rows: int) -> None:
            if worker.is_cancelled:
                raise ExportStopped
            self.post_message(self.Exported(rows, None, False))

        try:
            result = export_orders(self.backend, filters, self.mlm_app.settings.exports_dir,
                                   progress=progress, company=self.company_profile(),
                                   translate=_)
        except ExportStopped:
            return
        except DomainError as error:
            self.post_message(Failed(error))
            self.post_message(self.Exported(0, None, True))
            return
        except OSError as error:
            self.post_message(Failed(DomainError(
                _("The export could not be written: {error}").format(error=error))))
            self.post_message(self.Exported(0, None, True))
            return
        self.post_message(self.Exported(result.rows, str(result.path), True))

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        count = format_points(Decimal(message.rows), self._locale)  # as the count above
        if not message.done:
            self._status(_("Exporting… {count} orders written").format(count=count))
            return
        self._exporting = False
        if message.path is not None:
            self._status(ngettext("Exported {count} order to {path}",
                                  "Exported {count} orders to {path}", message.rows).format(
                count=count, path=message.path))

    # --- helpers ---------------------------------------------------------------------------
    def _paint_legend(self) -> None:
        """``SO standard · IO customer online · ... · ! check type``, each code in the style
        the grid draws it with, so the legend is the key to the grid's colours."""
        grid = self.grid
        parts: list[str | tuple[str, Style]] = []
        for source in OrderSource:
            parts.append((source.value, grid.get_component_rich_style(
                f"order-grid--source-{source.value}", partial=True)))
            parts.append(f" {source_short_label(source)} · ")
        parts.append((FLAG_MARK, grid.get_component_rich_style("order-grid--flag",
                                                               partial=True)))
        parts.append(" " + _("check type"))
        self.query_one("#orders-legend", Static).update(Text.assemble(*parts))

    @property
    def _locale(self) -> str:
        company = self.company
        return shown_locale(company.locale) if company else "en"

    def _status(self, text: str, *, error: bool = False) -> None:
        self.query_one("#orders-status", StatusLine).show(text, error=error)
