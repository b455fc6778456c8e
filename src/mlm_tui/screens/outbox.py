"""The outbox: orders checked out offline, each with its state and last error.

An order that needs a decision shows, below the list, what the consultant saw beside
what the server would charge now, line by line and in total; she confirms it at the new
figures (c), or drops it (d). ``s`` sends what waits at once (the app does so by itself
when the server is back).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Static

from mlm_tui.core.models import Cart, CompanyProfile
from mlm_tui.core.offline.outbox import STATE_LABELS, Outbox, OutboxState, QueuedOrder
from mlm_tui.display import data_text
from mlm_tui.formats import shown_locale
from mlm_tui.i18n import N_, _
from mlm_tui.messages import Failed
from mlm_tui.screens.base import AppScreen, back_binding
from mlm_tui.widgets.flex_table import ColumnSpec, FlexTable
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.money import money_text, right
from mlm_tui.widgets.status_line import StatusLine


def outbox_columns() -> list[ColumnSpec]:
    return [
        ColumnSpec("number", _("Order"), 14),
        ColumnSpec("queued", _("Queued"), 12, wide=16),
        ColumnSpec("total", _("Total"), 13, justify="right"),
        ColumnSpec("state", _("State"), None),
    ]


def outbox_cells(order: QueuedOrder, company: CompanyProfile | None) -> list[Any]:
    locale = shown_locale(company.locale) if company else "en"
    state = _(STATE_LABELS[order.state])
    return [
        order.order_number or order.number,
        order.queued_at.strftime("%d.%m. %H:%M") if locale != "en"
        else order.queued_at.strftime("%m/%d %H:%M"),
        right(money_text(order.prepared.seen.to_pay, company)),
        data_text(state, no_wrap=True, overflow="ellipsis"),
    ]


def side_by_side(order: QueuedOrder, company: CompanyProfile | None) -> Table:
    """What was seen and what the server would charge now, line by line and in total."""
    table = Table(box=None, expand=True, padding=(0, 1), show_edge=False)
    table.add_column(_("Product"), ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column(_("Seen"), justify="right", no_wrap=True)
    table.add_column(_("Now"), justify="right", no_wrap=True)
    now = _by_code(order.server_cart)
    for line in order.seen_cart.lines:
        then_amount = _("free") if line.is_gift else money_text(line.to_pay, company)
        current = now.pop(line.product.code, None)
        if current is None:
            now_amount = _("—")
        else:
            now_amount = _("free") if current.is_gift else money_text(current.to_pay, company)
        style = "bold" if now_amount != then_amount else ""
        table.add_row(data_text(f"{line.quantity} × {line.product.code} {line.product.name}"),
                      then_amount, Text(now_amount, style=style))
    for line in now.values():  # what the server would add (a gift)
        table.add_row(data_text(f"{line.quantity} × {line.product.code} {line.product.name}"),
                      _("—"), Text(_("free") if line.is_gift else
                                   money_text(line.to_pay, company), style="bold"))
    total_now = (money_text(order.server_cart.to_pay, company) if order.server_cart
                 else _("unknown"))
    table.add_row(Text(_("To pay"), style="bold"),
                  money_text(order.seen_cart.to_pay, company), Text(total_now, style="bold"))
    return table


def _by_code(cart: Cart | None) -> dict[str, Any]:
    return {} if cart is None else {line.product.code: line for line in cart.lines}


class OutboxScreen(AppScreen[None]):
    DEFAULT_CSS = """
    OutboxScreen #outbox-info { height: auto; padding: 0 1; color: $text-muted; }
    OutboxScreen #outbox-table { height: 1fr; }
    OutboxScreen #outbox-decision { height: auto; max-height: 12; padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        back_binding("outbox.back"),
        Binding("c", "confirm", N_("Confirm"), id="outbox.confirm"),
        Binding("d", "drop", N_("Drop"), id="outbox.drop"),
        Binding("s", "send", N_("Send now"), id="outbox.send"),
    ]

    @dataclass
    class Sent(Message):
        sent: int
        waiting: int
        offline: bool

    def __init__(self) -> None:
        super().__init__()
        self._orders: dict[str, QueuedOrder] = {}

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        yield Static("", id="outbox-info", markup=False)
        yield FlexTable(outbox_columns(), id="outbox-table")
        yield Static("", id="outbox-decision")
        yield StatusLine(id="outbox-status", hidden_when_empty=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Outbox")
        self.query_one("#outbox-table").focus()
        self.reload()

    @dataclass
    class Listed(Message):
        orders: list[QueuedOrder]

    def reload(self) -> None:
        """Read the outbox again, in a worker: the screen fills when it has read."""
        self.in_background(lambda: self.Listed(self.mlm_app.read_outbox_orders()),
                           group="outbox-read")

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        orders = list(reversed(message.orders))  # newest first
        self._orders = {str(order.id): order for order in orders}
        company = self.mlm_app.company
        table = self.query_one("#outbox-table", FlexTable)
        table.fill([(key, outbox_cells(order, company)) for key, order in self._orders.items()])
        self.query_one("#outbox-info", Static).update(_summary(orders))
        self.mlm_app.refresh_outbox_counts()
        self._show_decision()

    def _current(self) -> QueuedOrder | None:
        key = self.query_one("#outbox-table", FlexTable).current_key
        return self._orders.get(key) if key else None

    @on(DataTable.RowHighlighted, "#outbox-table")
    def _show_decision(self) -> None:
        order = self._current()
        decision = self.query_one("#outbox-decision", Static)
        if order is None or order.state is not OutboxState.WAITING:
            decision.display = False
            return
        decision.update(side_by_side(order, self.mlm_app.company))
        decision.display = True
        if order.last_error is not None:
            self._say(order.last_error.message, error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.query_one("#outbox-status", StatusLine).show(text, error=error)

    @dataclass
    class Decided(Message):
        said: str
        send: bool

    def _decide(self, decision: Callable[[Outbox, QueuedOrder], object],
                said: Callable[[QueuedOrder], str], *, send: bool = False) -> None:
        """Apply ``decision`` to the order under the cursor, in a worker (it writes the
        outbox file); then say ``said(order)`` and read the outbox again. An outbox that
        refuses it says why on the status line."""
        order = self._current()
        if order is None:
            return

        def ask() -> Message:
            self.mlm_app.with_own_outbox(lambda outbox: decision(outbox, order))
            return self.Decided(said(order), send)

        self.in_background(ask, group="outbox-decide")

    @on(Decided)
    def _decided(self, message: Decided) -> None:
        self._say(message.said)
        self.reload()
        if message.send:
            self.action_send()

    def action_confirm(self) -> None:
        self._decide(Outbox.confirm,
                     lambda _order: _("Confirmed at the new figures: it is sent with the next "
                                      "sync."), send=True)

    def action_drop(self) -> None:
        self._decide(Outbox.drop,
                     lambda order: _("Order {number} dropped.").format(number=order.number))

    def action_send(self) -> None:
        def ask() -> Message:
            report = self.mlm_app.sync_outbox()
            return self.Sent(len(report.sent), len(report.waiting), report.offline)

        self.in_background(ask, group="outbox-send")

    @on(Sent)
    def _sent(self, message: Sent) -> None:
        self.reload()
        if message.offline:
            self._say(_("The server cannot be reached: the orders stay queued."), error=True)
        else:
            self._say(_("Sent: {sent}; waiting for your decision: {waiting}.").format(
                sent=message.sent, waiting=message.waiting))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._say(message.error.message, error=True)


def _summary(orders: list[QueuedOrder]) -> str:
    if not orders:
        return _("Nothing was checked out offline.")
    waiting = sum(1 for o in orders if o.state is OutboxState.WAITING)
    queued = sum(1 for o in orders if o.state in (OutboxState.QUEUED, OutboxState.SENDING))
    return _("{queued} to send · {waiting} waiting for your decision").format(
        queued=queued, waiting=waiting)
