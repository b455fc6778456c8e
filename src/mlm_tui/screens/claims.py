"""My claims: every return or claim of the signed-in member, newest first.

Each shows its number, the day it was filed, the invoice, where it stands, the day the
decision is due and, once decided, the credit. Enter shows a claim's products, reason and
the service's decision below the list. Claims are filed from an order (``r`` Return /
claim); the decision arrives in the inbox, and this list shows it when opened again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static

from mlm_tui.core.dates import format_day
from mlm_tui.core.errors import DomainError
from mlm_tui.core.models import Claim, ClaimStatus, CompanyProfile, Invoice
from mlm_tui.display import data_text
from mlm_tui.formats import format_money, shown_locale
from mlm_tui.i18n import N_, _, ngettext
from mlm_tui.messages import AccountChanged, Failed
from mlm_tui.notice_text import decision_text
from mlm_tui.screens.base import AppScreen
from mlm_tui.screens.claim import claim_status_label
from mlm_tui.widgets.flex_table import ColumnSpec, FlexTable
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.money import right


def short_status(status: ClaimStatus) -> str:
    """The status in a list column (the due day stands next to it)."""
    return {
        ClaimStatus.SUBMITTED: _("awaiting"),
        ClaimStatus.ACCEPTED: _("accepted"),
        ClaimStatus.REJECTED: _("rejected"),
    }[status]


def claims_columns() -> list[ColumnSpec]:
    return [
        ColumnSpec("number", _("Claim"), 14),
        ColumnSpec("date", _("Filed"), 10),
        ColumnSpec("invoice", _("Invoice"), 15),
        ColumnSpec("status", _("Status"), None),
        ColumnSpec("due", _("Decision by"), 11),
        ColumnSpec("credit", _("Credit"), 11, "right", wide=14),
    ]


def claim_cells(claim: Claim, locale: str) -> list[Any]:
    decided = claim.status is not ClaimStatus.SUBMITTED
    return [
        data_text(claim.number),
        format_day(claim.submitted_at, locale),
        data_text(claim.invoice_number),
        Text(short_status(claim.status), no_wrap=True, overflow="ellipsis",
             style={ClaimStatus.ACCEPTED: "green", ClaimStatus.REJECTED: "red"}.get(
                 claim.status, "")),
        Text(format_day(claim.decision_due, locale), style="dim" if decided else ""),
        right(format_money(claim.credit, locale) if claim.credit else ""),
    ]


def claim_detail(claim: Claim, invoice: Invoice | None, locale: str) -> str:
    """What the pane below the list says about one claim."""
    names = {line.product_code: line.product_name for line in invoice.lines} if invoice else {}
    returned = "\n".join(
        "  " + (_("{code}  {name} × {quantity}") if line.product_code in names
                else _("{code} × {quantity}")).format(
            code=line.product_code, name=names.get(line.product_code, ""),
            quantity=line.quantity)
        for line in claim.lines)
    if claim.status is ClaimStatus.SUBMITTED:
        outcome = _("Awaiting the decision, due by {day}; it will arrive in your inbox.").format(
            day=format_day(claim.decision_due, locale))
    else:
        when = (_("Decided on {day}:").format(day=format_day(claim.decided_at, locale))
                if claim.decided_at else _("Decided:"))
        outcome = f"{when} {decision_text(claim, locale) or claim_status_label(claim.status)}"
    return "\n".join((
        _("Products returned:"),
        returned,
        _("Reason: {reason}").format(reason=claim.reason),
        outcome,
    ))


class ClaimsScreen(AppScreen[None]):
    DEFAULT_CSS = """
    ClaimsScreen #claims-summary { height: auto; padding: 0 1; color: $text-muted; }
    ClaimsScreen #claims-table { height: 1fr; }
    ClaimsScreen #claims-detail { height: 9; border-top: solid $primary; padding: 0 1; }
    ClaimsScreen #claims-detail-title { text-style: bold; }
    ClaimsScreen #claims-detail.-empty #claims-detail-body { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "show", N_("Show claim"), id="claims.show"),
    ]

    @dataclass
    class Loaded(Message):
        claims: list[Claim]
        company: CompanyProfile

    @dataclass
    class DetailLoaded(Message):
        claim: Claim
        invoice: Invoice | None

    def __init__(self) -> None:
        super().__init__()
        self._claims: dict[str, Claim] = {}
        self._locale = "en"
        self._invoices: dict[str, Invoice | None] = {}
        self._shown: str | None = None
        self._credited: set[str] = set()

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        yield Static(_("Loading claims…"), id="claims-summary", markup=False)
        yield FlexTable(claims_columns(), id="claims-table")
        with VerticalScroll(id="claims-detail"):
            yield Static("", id="claims-detail-title", markup=False)
            yield Static("", id="claims-detail-body", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("My claims")
        self.query_one("#claims-table").focus()

    def on_screen_resume(self) -> None:
        # A decision may have arrived while this screen was left: read again on return.
        self.load()

    def load(self) -> None:
        self.read_with_company(lambda: self.backend.claims(), self.Loaded, group="claims-load")

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._locale = shown_locale(message.company.locale)
        self._claims = {claim.number: claim for claim in message.claims}
        self.query_one("#claims-table", FlexTable).fill(
            [(c.number, claim_cells(c, self._locale)) for c in message.claims])
        self.query_one("#claims-summary", Static).update(_summary(message.claims))
        credited = {claim.number for claim in message.claims if claim.credit}
        if credited != self._credited:  # a credit the header's balance may not show yet
            self._credited = credited
            self.post_message(AccountChanged())
        if not message.claims:
            self._detail(_("How to file a claim"), _(
                "To return products, open a delivered order (Orders, then Enter)\n"
                "and press r  Return / claim.\n"
                "The decision arrives in your inbox within a week."),
                empty=True)
        elif self._shown in self._claims:
            self._show(self._shown)  # keep the open claim, now with any decision
        else:
            self._detail("", _("Enter shows a claim: its products, reason and decision."),
                         empty=True)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#claims-summary", Static).update(
            data_text(f"✗ {message.error.message}"))

    @on(DataTable.RowSelected, "#claims-table")
    def action_show(self) -> None:
        number = self.query_one("#claims-table", FlexTable).current_key
        if number in self._claims:
            self._show(number)

    def _show(self, number: str) -> None:
        self._shown = number
        claim = self._claims[number]
        if claim.invoice_number in self._invoices:
            self._show_detail(claim, self._invoices[claim.invoice_number])
            return
        self._show_detail(claim, None)  # product codes at once, their names when read
        self.load_invoice(claim)

    @work(thread=True, exclusive=True, exit_on_error=False, group="claims-invoice")
    def load_invoice(self, claim: Claim) -> None:
        try:
            invoice: Invoice | None = self.backend.invoice(claim.invoice_number)
        except DomainError:
            invoice = None  # the codes alone still say what went back
        self.post_message(self.DetailLoaded(claim, invoice))

    @on(DetailLoaded)
    def _detail_loaded(self, message: DetailLoaded) -> None:
        self._invoices[message.claim.invoice_number] = message.invoice
        if self._shown == message.claim.number:
            self._show_detail(self._claims.get(self._shown, message.claim), message.invoice)

    def _show_detail(self, claim: Claim, invoice: Invoice | None) -> None:
        title = _("Claim {number} · invoice {invoice}").format(
            number=claim.number, invoice=claim.invoice_number)
        if invoice is not None:
            title += " · " + _("order {order}").format(order=invoice.order_number)
        self._detail(title, claim_detail(claim, invoice, self._locale))

    def _detail(self, title: str, body: str, *, empty: bool = False) -> None:
        self.query_one("#claims-detail-title", Static).update(data_text(title))
        self.query_one("#claims-detail-body", Static).update(data_text(body, multiline=True))
        self.query_one("#claims-detail").set_class(empty, "-empty")


def _summary(claims: list[Claim]) -> str:
    if not claims:
        return _("No claims yet.")
    waiting = sum(1 for claim in claims if claim.status is ClaimStatus.SUBMITTED)
    text = ngettext("{count} claim", "{count} claims", len(claims)).format(count=len(claims))
    return text + " · " + ngettext("{count} awaiting a decision",
                                   "{count} awaiting a decision", waiting).format(count=waiting)
