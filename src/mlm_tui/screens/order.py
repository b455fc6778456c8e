"""One order: who bought it as which order type, what was in it, what it cost, where it is.

The header line carries the order-type check: when the source code looks wrong for the
buyer, the reason stands right under the number. From here: ``i`` the invoice, ``t`` the
parcel's tracking, ``c`` cancel (or stop the delivery, once shipped; the key shows only to
whoever placed or bought the order), ``r`` a return or claim on the invoice, and ``s``
gives a flagged order the type its flag suggests (the key shows only then).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from mlm_tui.core.changes import ChangeKind
from mlm_tui.core.dates import format_day
from mlm_tui.core.errors import DomainError
from mlm_tui.core.models import (
    CompanyProfile,
    DeliveryStopState,
    Order,
    OrderLine,
    OrderSource,
    OrderStatus,
    Shipment,
)
from mlm_tui.core.order_checks import OrderFlag, check_full_order, correction
from mlm_tui.display import data_text
from mlm_tui.formats import shown_locale
from mlm_tui.i18n import N_, _
from mlm_tui.messages import AccountChanged, Failed, LookForChanges
from mlm_tui.screens.base import AppScreen, back_binding
from mlm_tui.screens.invoice import invoice_cells, invoice_columns
from mlm_tui.widgets.flex_table import ColumnSpec, FlexTable
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.money import money_text, points_number, points_text, right
from mlm_tui.widgets.order_text import (
    FLAG_MARK,
    delivery_label,
    flag_text,
    payment_label,
    shipment_summary,
    source_label,
    status_label,
)
from mlm_tui.widgets.points_column import points_column
from mlm_tui.widgets.status_line import StatusLine


@dataclass(frozen=True, slots=True)
class OrderView:
    """Everything the screen shows, read in one worker."""

    order: Order
    shipment: Shipment | None
    company: CompanyProfile
    flag: OrderFlag | None


def view_of(order: Order, company: CompanyProfile) -> OrderView:
    return OrderView(order, order.shipment, company, check_full_order(order))


def line_columns(company: CompanyProfile | None) -> list[ColumnSpec]:
    """The invoice's columns and the points each line earns."""
    return [*invoice_columns(), points_column(company)]


def line_cells(line: OrderLine, company: CompanyProfile | None) -> list[Any]:
    """The line as the invoice shows it, and the points it earns."""
    return [*invoice_cells(line, company), right(points_number(line.points, company))]


def totals_text(order: Order, company: CompanyProfile) -> str:
    """What the order cost, its points (pending until it is paid) and any cancellation fee."""
    points = points_text(order.points, company)
    if order.points_pending:
        points = _("{points} pending: earned when the order is paid").format(points=points)
    lines = [
        " · ".join((
            _("Retail {amount}").format(amount=money_text(order.retail, company)),
            _("Discount {amount}").format(amount=money_text(-order.discount, company)),
            _("Delivery {amount}").format(amount=money_text(order.delivery_fee, company)),
        )),
        " · ".join((_("Total {amount}").format(amount=money_text(order.total, company)),
                    points)),
    ]
    if order.cancellation_fees:
        lines.append(_("Cancellation fee withheld: {parts}").format(parts=" + ".join(
            f"{_(part.what)} {money_text(part.amount, company)}"
            for part in order.cancellation_fees)))
    return "\n".join(lines)


class OrderScreen(AppScreen[None]):
    DEFAULT_CSS = """
    OrderScreen #order-body { padding: 0 1; }
    OrderScreen #order-title { text-style: bold; }
    OrderScreen #order-flag { color: $text-error; height: auto; }
    OrderScreen #order-facts { height: auto; margin-bottom: 1; }
    OrderScreen #order-lines { height: auto; max-height: 12; }
    OrderScreen #order-totals { height: auto; margin-bottom: 1; }
    OrderScreen .section { text-style: bold; color: $primary; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        back_binding("order.back"),
        Binding("i", "invoice", N_("Invoice"), id="order.invoice"),
        Binding("t", "tracking", N_("Tracking"), id="order.tracking"),
        Binding("c", "cancel", N_("Cancel order"), id="order.cancel"),
        Binding("r", "claim", N_("Return / claim"), id="order.claim"),
        Binding("s", "correct_source", N_("Correct type to SO"), id="order.correct_source"),
    ]

    SHOWS = frozenset({ChangeKind.ORDERS})

    @dataclass
    class Loaded(Message):
        view: OrderView

    @dataclass
    class SourceCorrected(Message):
        order: Order

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.view: OrderView | None = None

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        with VerticalScroll(id="order-body"):
            yield Static(_("Loading order {number}…").format(number=self.number),
                         id="order-title", markup=False)
            yield Static("", id="order-flag", markup=False)
            yield Static("", id="order-facts", markup=False)
            yield FlexTable(line_columns(None), id="order-lines", read_only=True)
            yield Static("", id="order-totals", markup=False)
            yield Static(_("Status history"), classes="section")
            yield Static("", id="order-history", markup=False)
        yield StatusLine(id="order-status", hidden_when_empty=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Order {number}").format(number=self.number)
        self.query_one("#order-body").focus()
        self.load()

    def reload_changed(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="order-load")
    def load(self) -> None:
        try:
            company = self.company_profile()
            # One request: the order brings its parcel and its buyer's facts for the check.
            order = self.backend.order(self.number)
        except DomainError as error:
            self.post_message(Failed(error))
            return
        self.post_message(self.Loaded(view_of(order, company)))

    def _show_order(self, order: Order) -> None:
        """An order a write just returned: shown as it is, with no second request."""
        if self.view is not None:
            self.post_message(self.Loaded(view_of(order, self.view.company)))
        else:
            self.load()

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        first = self.view is None
        self.view = view = message.view
        order, company = view.order, view.company
        locale = shown_locale(company.locale)
        self.query_one("#order-title", Static).update(data_text(" · ".join((
            _("Order {number}").format(number=order.number),
            format_day(order.placed_at, locale),
            status_label(order.status),
        ))))
        flag = self.query_one("#order-flag", Static)
        flag.update(f"{FLAG_MARK} {flag_text(view.flag)}" if view.flag else "")
        flag.display = view.flag is not None
        self.query_one("#order-facts", Static).update(
            data_text(self._facts(view), multiline=True))
        table = self.query_one("#order-lines", FlexTable)
        table.set_specs(line_columns(company))
        table.fill([(str(line.line_no), line_cells(line, company)) for line in order.lines])
        self.query_one("#order-totals", Static).update(
            data_text(totals_text(order, company), multiline=True))
        self.query_one("#order-history", Static).update(data_text("\n".join(
            f"{format_day(change.at, locale)} {change.at:%H:%M}  {status_label(change.status)}"
            + (f" — {_(change.note)}"
               if change.note and _(change.note) != status_label(change.status) else "")
            for change in order.history
        ), multiline=True))
        # The correction key shows only for a flagged order, cancel only for one's own.
        self.refresh_bindings()
        # Filling the table scrolls its cursor into view; the reader starts at the top, and
        # stays where they scrolled when the order is read again.
        body = self.query_one("#order-body")
        if first:
            self.call_after_refresh(body.scroll_home, animate=False)
        else:
            scroll_y = body.scroll_y
            self.call_after_refresh(body.scroll_to, y=scroll_y, animate=False)

    def _facts(self, view: OrderView) -> str:
        order, company = view.order, view.company
        pickup = next((p.name for p in company.pickup_points if p.code == order.pickup_point),
                      order.pickup_point)
        delivery = delivery_label(order.delivery_method) + (f": {pickup}" if pickup else "")
        rows: tuple[tuple[str, str], ...] = (
            (_("Source"), f"{order.source.value} {source_label(order.source)}"),
            (_("Buyer"), f"{order.buyer.full_name} ({order.buyer.registration_number})"),
            (_("Placed by"),
             f"{order.placed_by.full_name} ({order.placed_by.registration_number})"),
            (_("Catalog"), order.period),
            (_("Payment"), payment_label(order.payment_method)),
            (_("Delivery"), delivery),
            (_("Invoice"), order.invoice_number or _("none yet")),
            (_("Shipment"), self._shipment_text(view)),
        )
        if order.delivery_stop is not None:
            rows = (*rows, (_("Delivery stop"), self._stop_text(view)))
        width = max(len(label) for label, _value in rows) + 2
        return "\n".join(f"{label + ':':<{width}}{value}" for label, value in rows)

    @staticmethod
    def _stop_text(view: OrderView) -> str:
        """Where the service's decision on the stop stands, as the member follows it."""
        stop, company = view.order.delivery_stop, view.company
        assert stop is not None
        if stop.state is DeliveryStopState.CREDITED and stop.credit is not None:
            text = _("credited: {amount}").format(amount=money_text(stop.credit, company))
        elif stop.state is DeliveryStopState.REFUSED:
            text = _("refused: {reason}").format(reason=stop.note)
        elif stop.returned:
            text = _("the parcel came back; the service checks it")
        else:
            text = _("requested on {day}; the service asks the carrier").format(
                day=format_day(stop.requested_at.date(), shown_locale(company.locale)))
        return text

    @staticmethod
    def _shipment_text(view: OrderView) -> str:
        if view.shipment is None and view.order.status is OrderStatus.DELIVERED:
            return _("handed over without a parcel")
        if view.shipment is None and view.order.status is OrderStatus.CANCELLED:
            return "—"
        return shipment_summary(view.shipment, shown_locale(view.company.locale))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.own_write_refused(ChangeKind.ORDERS)
        self._status(message.error.message, error=True)
        if self.view is None:
            self.query_one("#order-title", Static).update(
                data_text(_("Order {number} cannot be shown.").format(number=self.number)))

    # --- actions ---------------------------------------------------------------------------
    def action_invoice(self) -> None:
        if self.view is None:
            return
        number = self.view.order.invoice_number
        if not number:
            self._status(_("This order has no invoice yet."), error=True)
            return
        from mlm_tui.screens.invoice import InvoiceScreen

        self.app.push_screen(InvoiceScreen(number))

    def action_tracking(self) -> None:
        if self.view is None:
            return
        if self.view.shipment is None:
            self._status(_("This order is not shipped yet: there is nothing to track."),
                         error=True)
            return
        from mlm_tui.screens.tracking import TrackingScreen

        self.app.push_screen(TrackingScreen(self.number))

    def action_cancel(self) -> None:
        if self.view is None:
            return
        status = self.view.order.status
        if status not in (OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.SHIPPED):
            self._status(_("An order that is {status} cannot be cancelled.").format(
                status=status_label(status)), error=True)
            return
        from mlm_tui.screens.cancel import CancelScreen

        self.app.push_screen(CancelScreen(self.number), self._after_cancel)

    def _after_cancel(self, order: Order | None) -> None:
        if order is None:
            return
        self._status(_("Order {number} is now {status}.").format(
            number=order.number, status=status_label(order.status)))
        self.post_message(AccountChanged())
        self._show_order(order)

    def action_claim(self) -> None:
        if self.view is None:
            return
        number = self.view.order.invoice_number
        if not number:
            self._status(_("A claim needs an invoice; this order has none yet."), error=True)
            return
        from mlm_tui.screens.claim import ClaimScreen

        self.app.push_screen(ClaimScreen(number))

    def _correction(self) -> OrderSource | None:
        if self.view is None:
            return None
        return correction(self.view.flag, self.view.order.status)

    def _may_cancel(self) -> bool:
        """Only whoever placed the order, or its buyer, may cancel it (the store refuses
        anyone else): a leader looking at a downline's order is not offered the key."""
        session = self.mlm_app.session
        if self.view is None or session is None:
            return False
        order = self.view.order
        return session.member_id in (order.buyer.id, order.placed_by.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "correct_source":
            return self._correction() is not None
        if action == "cancel":
            return self._may_cancel()
        return True

    def action_correct_source(self) -> None:
        target = self._correction()
        if target is None:
            return
        number = self.number
        self.shown_own_write(ChangeKind.ORDERS)  # the corrected order comes back with it
        self.in_background(
            lambda: self.SourceCorrected(self.backend.correct_order_source(number, target)),
            group="order-correct")

    @on(SourceCorrected)
    def _source_corrected(self, message: SourceCorrected) -> None:
        order = message.order
        self._status(_("Order {number} is now {source} {label}.").format(
            number=order.number, source=order.source.value, label=source_label(order.source)))
        self.post_message(LookForChanges())  # the history behind this screen shows it now
        self._show_order(order)

    def _status(self, text: str, *, error: bool = False) -> None:
        self.query_one("#order-status", StatusLine).show(text, error=error)
