"""Cancel an order, with what it costs shown before anything happens.

Not shipped: the order is cancelled and what was paid from the balance comes back, less
the round-trip fee, both shown before confirming. Shipped: nothing can be cancelled any
more; instead the parcel is stopped with the carrier and a credit is requested; the steps
are listed so nobody is surprised. Returns the order as it is afterwards, or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Static

from mlm_tui.core.models import CancellationQuote, CompanyProfile, FeePart, Order
from mlm_tui.display import data_text
from mlm_tui.i18n import N_, _
from mlm_tui.messages import Failed
from mlm_tui.screens.base import AppModalScreen
from mlm_tui.widgets.money import money_text


def quote_text(quote: CancellationQuote, company: CompanyProfile) -> str:
    """What happens and what it costs, in the words the dialog shows."""
    fee, refund = money_text(quote.fee, company), money_text(quote.refund, company)
    if not quote.shipped:
        lines = [_("Order {number} is not shipped yet and can be cancelled.").format(
            number=quote.order_number), ""]
        if quote.fee or quote.refund:
            lines += [
                _("Cancellation fee withheld: {fee}").format(fee=fee),
                *fee_part_lines(quote.fee_parts, company),
                _("Refund to the balance:     {refund}").format(refund=refund),
            ]
            if quote.fee:
                lines.append(_("No delivery is charged: the order was never shipped."))
        else:
            lines.append(_("Nothing was paid from the balance: there is no fee and nothing "
                           "to refund."))
        return "\n".join(lines)
    lines = [_("Order {number} is already shipped: it cannot be cancelled any more.").format(
        number=quote.order_number), _("Instead, the delivery is stopped:"), ""]
    lines += [f"{step_no}. {_(step)}" for step_no, step in enumerate(quote.steps, 1)]
    lines.append("")
    if quote.fee or quote.refund:
        lines.append(_("Credit when the parcel is back: {refund} (fee {fee})").format(
            refund=refund, fee=fee))
        lines += fee_part_lines(quote.fee_parts, company)
    else:
        lines.append(_("Nothing was paid from the balance: there is nothing to credit."))
    return "\n".join(lines)


def fee_part_lines(parts: tuple[FeePart, ...], company: CompanyProfile) -> list[str]:
    """One indented line per part of the fee: what it pays for and how much."""
    return [f"  – {_(part.what)}: {money_text(part.amount, company)}" for part in parts]


class CancelScreen(AppModalScreen[Order | None]):
    DEFAULT_CSS = """
    CancelScreen { align: center middle; }
    CancelScreen > Vertical {
        width: 72; height: auto; border: round $error; background: $surface; padding: 0 1;
    }
    CancelScreen #cancel-title { text-style: bold; }
    CancelScreen #cancel-quote { height: auto; margin: 1 0; }
    CancelScreen #cancel-error { color: $text-error; height: auto; }
    CancelScreen Horizontal { height: auto; align-horizontal: right; }
    CancelScreen Button { margin-left: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "keep", N_("Keep the order"), id="cancel.keep"),
        Binding("n", "keep", N_("Keep the order"), show=False, id="cancel.no"),
        Binding("y", "confirm", N_("Confirm"), id="cancel.confirm"),
    ]

    @dataclass
    class Quoted(Message):
        quote: CancellationQuote
        company: CompanyProfile

    @dataclass
    class Done(Message):
        order: Order

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.quote: CancellationQuote | None = None
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("Cancel order {number}").format(number=self.number),
                         id="cancel-title", markup=False)
            yield Static(_("Working out the fee…"), id="cancel-quote", markup=False)
            yield Static("", id="cancel-error", markup=False)
            with Horizontal():
                yield Button(_("Keep the order"), id="keep")
                yield Button(_("Cancel order"), id="confirm", variant="error", disabled=True)

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()
        self.load_quote()

    def load_quote(self) -> None:
        self.read_with_company(lambda: self.backend.cancellation_quote(self.number), self.Quoted,
                               group="cancel-quote")

    @on(Quoted)
    def _quoted(self, message: Quoted) -> None:
        self.quote = message.quote
        self.query_one("#cancel-quote", Static).update(
            data_text(quote_text(message.quote, message.company), multiline=True))
        confirm = self.query_one("#confirm", Button)
        confirm.label = (_("Request stop and credit") if message.quote.shipped
                         else _("Cancel order"))
        confirm.disabled = False
        if message.quote.shipped:
            self.query_one("#cancel-title", Static).update(
                _("Stop the delivery of order {number}").format(number=self.number))

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        if self.quote is None or self._busy:
            return
        self._busy = True
        self.query_one("#confirm", Button).disabled = True
        self.carry_out(self.quote.shipped)

    def carry_out(self, shipped: bool) -> None:
        def ask() -> Message:
            if shipped:
                order = self.backend.request_delivery_stop(self.number)
            else:
                order = self.backend.cancel_order(self.number)
            return self.Done(order)

        self.in_background(ask, group="cancel-do")

    @on(Done)
    def _done(self, message: Done) -> None:
        self.dismiss(message.order)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._busy = False
        self.query_one("#cancel-error", Static).update(data_text("✗ " + message.error.message))
        if self.quote is None:
            self.query_one("#cancel-quote", Static).update("")
        else:
            self.query_one("#confirm", Button).disabled = False

    @on(Button.Pressed, "#keep")
    def action_keep(self) -> None:
        self.dismiss(None)
