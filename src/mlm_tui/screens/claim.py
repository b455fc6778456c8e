"""A return or claim on one invoice: products and quantities, then the reason, then submit.

``+`` and ``-`` set how many of the highlighted product go back (never more than were
invoiced); the reason says what is wrong. The claim's number, status and the day the
decision is due show at once, and earlier claims on the invoice are listed with theirs.
The decision itself arrives in the inbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.console import RenderableType
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Static

from mlm_tui.core.dates import format_day
from mlm_tui.core.models import (
    Claim,
    ClaimLine,
    ClaimStatus,
    CompanyProfile,
    Invoice,
    OrderStatus,
)
from mlm_tui.display import data_text, printable
from mlm_tui.formats import shown_locale
from mlm_tui.i18n import N_, _
from mlm_tui.messages import Failed
from mlm_tui.notice_text import decision_text
from mlm_tui.screens.base import AppScreen, back_binding
from mlm_tui.widgets.flex_table import ColumnSpec, FlexTable
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.money import right
from mlm_tui.widgets.order_text import status_label
from mlm_tui.widgets.status_line import StatusLine
from mlm_tui.widgets.text_input import TextInput


def claim_status_label(status: ClaimStatus) -> str:
    labels = {
        ClaimStatus.SUBMITTED: _("awaiting decision"),
        ClaimStatus.ACCEPTED: _("accepted"),
        ClaimStatus.REJECTED: _("rejected"),
    }
    return labels[status]


def claim_line(claim: Claim, locale: str) -> str:
    return " · ".join((
        claim.number,
        _("submitted {day}").format(day=format_day(claim.submitted_at, locale)),
        claim_status_label(claim.status),
        _("decision by {day}").format(day=format_day(claim.decision_due, locale))
        if claim.status is ClaimStatus.SUBMITTED else (decision_text(claim, locale) or ""),
    )).rstrip(" ·")


@dataclass(frozen=True, slots=True)
class ClaimContext:
    invoice: Invoice
    order_status: OrderStatus
    company: CompanyProfile
    earlier: tuple[Claim, ...]


class ClaimScreen(AppScreen[None]):
    DEFAULT_CSS = """
    ClaimScreen #claim-body { padding: 0 1; }
    ClaimScreen #claim-title { text-style: bold; }
    ClaimScreen .section { text-style: bold; color: $primary; margin-top: 1; }
    ClaimScreen #claim-lines { height: auto; max-height: 10; }
    ClaimScreen .field-error { color: $text-error; height: auto; display: none; }
    ClaimScreen .field-error.-shown { display: block; }
    ClaimScreen #claim-earlier { height: auto; color: $text-muted; }
    ClaimScreen #claim-warning { height: auto; color: $text-warning; }
    ClaimScreen #submit { margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        back_binding("claim.back"),
        Binding("plus,equals_sign", "more", N_("One more"), id="claim.more"),
        Binding("minus", "fewer", N_("One fewer"), id="claim.fewer"),
        Binding("ctrl+s", "submit", N_("Submit claim"), id="claim.submit"),
    ]

    @dataclass
    class Loaded(Message):
        context: ClaimContext

    @dataclass
    class Submitted(Message):
        claim: Claim

    def __init__(self, invoice_number: str) -> None:
        super().__init__()
        self.invoice_number = invoice_number
        self.context: ClaimContext | None = None
        self.quantities: dict[str, int] = {}
        self._busy = False

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        with VerticalScroll(id="claim-body"):
            yield Static(_("Loading invoice {number}…").format(number=self.invoice_number),
                         id="claim-title", markup=False)
            yield Static("", id="claim-warning", markup=False)
            yield Static("", id="claim-earlier", markup=False)
            yield Static(_("1. Products and quantities (+ / − on a line)"), classes="section")
            yield FlexTable(self._columns(), id="claim-lines")
            yield Static("", id="error-lines", classes="field-error", markup=False)
            yield Static(_("2. Reason"), classes="section")
            yield TextInput(placeholder=_("What is wrong: damaged, wrong product, allergy…"),
                            id="reason", max_length=2000)
            yield Static("", id="error-reason", classes="field-error", markup=False)
            yield Button(_("3. Submit claim"), id="submit", variant="primary")
        yield StatusLine(id="claim-status", hidden_when_empty=True)
        yield KeysFooter()

    def _columns(self) -> list[ColumnSpec]:
        return [
            ColumnSpec("code", _("Item no."), 8),
            ColumnSpec("name", _("Product"), None),
            ColumnSpec("bought", _("Bought"), 6, "right"),
            ColumnSpec("back", _("Return"), 6, "right"),
        ]

    def on_mount(self) -> None:
        self.title = _("Return / claim")
        for empty in ("#claim-warning", "#claim-earlier"):
            self.query_one(empty).display = False
        self.query_one("#claim-lines").focus()
        self.load()

    def load(self) -> None:
        def ask() -> Message:
            company = self.company_profile()
            found = self.backend.claimable_invoice(self.invoice_number)  # one request
            return self.Loaded(ClaimContext(found.invoice, found.order_status, company,
                                            found.earlier))

        self.in_background(ask, group="claim-load")

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.context = context = message.context
        invoice = context.invoice
        if not self.quantities:
            self.quantities = {line.product_code: 0 for line in invoice.lines}
        self.query_one("#claim-title", Static).update(data_text(
            _("Invoice {number} · order {order} · {buyer}").format(
                number=invoice.number, order=invoice.order_number,
                buyer=invoice.buyer.full_name)))
        warning = self.query_one("#claim-warning", Static)
        delivered = context.order_status is OrderStatus.DELIVERED
        warning.update("" if delivered else _(
            "The order is {status}: only a delivered order can be claimed."
        ).format(status=status_label(context.order_status)))
        warning.display = not delivered
        locale = shown_locale(context.company.locale)
        earlier = self.query_one("#claim-earlier", Static)
        # One line per claim: a line feed in a claim's text shows as a mark.
        earlier.update(data_text("\n".join(
            printable(_("Earlier: {claim}").format(claim=claim_line(c, locale)))
            for c in context.earlier), multiline=True))
        earlier.display = bool(context.earlier)
        self._show_lines()

    def _bought(self) -> dict[str, int]:
        assert self.context is not None
        bought: dict[str, int] = {}
        for line in self.context.invoice.lines:
            bought[line.product_code] = bought.get(line.product_code, 0) + line.quantity
        return bought

    def _show_lines(self) -> None:
        assert self.context is not None
        table = self.query_one("#claim-lines", FlexTable)
        cursor = table.cursor_row
        names: dict[str, str] = {}
        for line in self.context.invoice.lines:
            names.setdefault(line.product_code, line.product_name)
        rows: list[tuple[str, list[RenderableType]]] = []
        for code, bought in self._bought().items():
            chosen = self.quantities.get(code, 0)
            rows.append((code, [
                data_text(code),
                data_text(names[code], no_wrap=True, overflow="ellipsis"),
                right(str(bought)),
                right(str(chosen), "bold" if chosen else "dim"),
            ]))
        table.fill(rows)
        if rows:
            table.move_cursor(row=min(max(cursor, 0), len(rows) - 1), animate=False)

    def _change(self, step: int) -> None:
        if self.context is None:
            return
        code = self.query_one("#claim-lines", FlexTable).current_key
        if code is None:
            return
        bought = self._bought().get(code, 0)
        self.quantities[code] = max(0, min(bought, self.quantities.get(code, 0) + step))
        self._field_error("lines", "")
        self._show_lines()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Typing "-" in the reason is text, not a quantity.
        return not (action in {"more", "fewer"} and isinstance(self.focused, Input))

    def action_more(self) -> None:
        self._change(+1)

    def action_fewer(self) -> None:
        self._change(-1)

    @on(Button.Pressed, "#submit")
    @on(Input.Submitted, "#reason")
    def action_submit(self) -> None:
        if self.context is None or self._busy:
            return
        lines = [ClaimLine(code, quantity) for code, quantity in self.quantities.items()
                 if quantity]
        reason = self.query_one("#reason", Input).value
        for field in ("lines", "reason"):
            self._field_error(field, "")
        self._busy = True
        self._status(_("Submitting…"))
        self.submit(lines, reason)

    def submit(self, lines: list[ClaimLine], reason: str) -> None:
        def ask() -> Message:
            claim = self.backend.submit_claim(self.invoice_number, lines, reason)
            return self.Submitted(claim)

        self.in_background(ask, group="claim-submit")

    @on(Submitted)
    def _submitted(self, message: Submitted) -> None:
        self._busy = False
        claim = message.claim
        locale = shown_locale(self.context.company.locale) if self.context else "en"
        self._status(_("Claim {number} submitted; decision by {day}. It will arrive in your "
                       "inbox.").format(number=claim.number,
                                        day=format_day(claim.decision_due, locale)),
                     done=True)
        self.quantities = {}
        self.query_one("#reason", Input).value = ""
        self.load()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._busy = False
        error = message.error
        if error.field in {"lines", "reason"}:
            self._field_error(error.field, error.message)
            self._status("")
            target = "#claim-lines" if error.field == "lines" else "#reason"
            self.query_one(target).focus()
            return
        self._status(error.message, error=True)

    def _field_error(self, field: str, text: str) -> None:
        shown = self.query_one(f"#error-{field}", Static)
        shown.update(data_text(f"✗ {text}" if text else ""))
        shown.set_class(bool(text), "-shown")

    def _status(self, text: str, *, error: bool = False, done: bool = False) -> None:
        self.query_one("#claim-status", StatusLine).show(text, error=error, done=done)
