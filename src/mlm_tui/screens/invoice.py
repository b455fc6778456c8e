"""An invoice: its lines (item number, name, quantity, unit price, total), totals, points.

``p`` has the backend make the PDF (a team server's too) and saves it in the exports folder
of the app's settings, showing the path; ``e`` has the backend e-mail the PDF to the buyer
(over its mail server, else into its local mail folder, which is named). Both run in
workers; a failure is shown as it is and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from mlm_tui.core.dates import format_day
from mlm_tui.core.errors import DomainError
from mlm_tui.core.models import CompanyProfile, Invoice, OrderLine
from mlm_tui.core.privacy import mask_email
from mlm_tui.display import data_text
from mlm_tui.formats import shown_locale
from mlm_tui.i18n import N_, _
from mlm_tui.messages import Failed
from mlm_tui.screens.base import AppScreen, back_binding
from mlm_tui.widgets.flex_table import ColumnSpec, FlexTable
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.money import money_text, points_text, right
from mlm_tui.widgets.status_line import StatusLine


def invoice_columns() -> list[ColumnSpec]:
    return [
        ColumnSpec("code", _("Item no."), 8),
        ColumnSpec("name", _("Product"), None),
        ColumnSpec("quantity", _("Qty"), 4, "right"),
        ColumnSpec("price", _("Unit price"), 11, "right"),
        ColumnSpec("total", _("Total"), 12, "right"),
    ]


def invoice_cells(line: OrderLine, company: CompanyProfile | None) -> list[Any]:
    name = line.product_name + (f" ({_('gift')})" if line.is_gift else "")
    return [
        data_text(line.product_code),
        data_text(name, no_wrap=True, overflow="ellipsis"),
        right(str(line.quantity)),
        right(money_text(line.unit_price, company)),
        right(money_text(line.total, company)),
    ]


class InvoiceScreen(AppScreen[None]):
    DEFAULT_CSS = """
    InvoiceScreen #invoice-body { padding: 0 1; }
    InvoiceScreen #invoice-title { text-style: bold; }
    InvoiceScreen #invoice-lines { height: auto; max-height: 14; margin: 1 0; }
    InvoiceScreen #invoice-totals { height: auto; }
    InvoiceScreen #invoice-status { max-height: 3; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        back_binding("invoice.back"),
        Binding("p", "save_pdf", N_("Save PDF"), id="invoice.save_pdf"),
        Binding("e", "email", N_("E-mail to buyer"), id="invoice.email"),
    ]

    @dataclass
    class Loaded(Message):
        invoice: Invoice
        company: CompanyProfile

    @dataclass
    class Done(Message):
        text: str

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.invoice: Invoice | None = None
        self.company: CompanyProfile | None = None
        self._busy = False

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        with VerticalScroll(id="invoice-body"):
            yield Static(_("Loading invoice {number}…").format(number=self.number),
                         id="invoice-title", markup=False)
            yield Static("", id="invoice-facts", markup=False)
            yield FlexTable(invoice_columns(), id="invoice-lines", read_only=True)
            yield Static("", id="invoice-totals", markup=False)
        yield StatusLine(id="invoice-status", hidden_when_empty=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Invoice {number}").format(number=self.number)
        self.query_one("#invoice-body").focus()
        self.load()

    def load(self) -> None:
        self.read_with_company(lambda: self.backend.invoice(self.number), self.Loaded,
                               group="invoice-load")

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        invoice, company = message.invoice, message.company
        self.invoice, self.company = invoice, company
        locale = shown_locale(company.locale)
        self.query_one("#invoice-title", Static).update(data_text(
            _("Invoice {number} of {day}").format(
                number=invoice.number, day=format_day(invoice.issued_at, locale))))
        # Masked as the customer overview masks it: one rule for a contact on screen.
        email = mask_email(invoice.buyer_email) or _("no e-mail address on file")
        self.query_one("#invoice-facts", Static).update(data_text("\n".join((
            _("Order: {number}").format(number=invoice.order_number),
            _("Buyer: {name} ({number}), {email}").format(
                name=invoice.buyer.full_name, number=invoice.buyer.registration_number,
                email=email),
        )), multiline=True))
        self.query_one("#invoice-lines", FlexTable).fill(
            [(str(line.line_no), invoice_cells(line, company)) for line in invoice.lines])
        self.query_one("#invoice-totals", Static).update(
            data_text(_totals(invoice, company), multiline=True))
        self.call_after_refresh(self.query_one("#invoice-body").scroll_home, animate=False)

    # --- PDF and e-mail --------------------------------------------------------------------
    def action_save_pdf(self) -> None:
        if self._start(_("Writing the PDF…")):
            self.save_pdf()

    def action_email(self) -> None:
        if self.invoice is not None and not self.invoice.buyer_email:
            self._status(_("{name} has no e-mail address on file.").format(
                name=self.invoice.buyer.full_name), error=True)
            return
        if self._start(_("Sending the invoice…")):
            self.send_email()

    def _start(self, text: str) -> bool:
        if self.invoice is None or self._busy:
            return False
        self._busy = True
        self._status(text)
        return True

    @work(thread=True, exclusive=True, exit_on_error=False, group="invoice-file")
    def save_pdf(self) -> None:
        from mlm_tui.core.invoice_pdf import invoice_filename, save_pdf

        assert self.invoice is not None
        # Made by the backend (a team server's, when the app talks to one), saved here.
        try:
            document = self.backend.invoice_pdf(self.number)
        except DomainError as error:
            self.post_message(Failed(error))
            return
        try:
            path = save_pdf(document, self.mlm_app.settings.exports_dir
                            / invoice_filename(self.invoice))
        except OSError as error:
            self.post_message(Failed(DomainError(
                _("The PDF could not be written: {error}").format(error=error))))
            return
        self.post_message(self.Done(_("Saved to {path}").format(path=path)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="invoice-file")
    def send_email(self) -> None:
        try:
            mailed = self.backend.email_invoice(self.number)
        except DomainError as error:
            self.post_message(Failed(error))
            return
        if mailed.kept_in is not None:
            text = _("No mail server is set: the e-mail to {email} is kept in {folder}").format(
                email=mask_email(mailed.recipient), folder=mailed.kept_in)
        else:
            text = _("Sent to {email}").format(email=mask_email(mailed.recipient))
        self.post_message(self.Done(text))

    @on(Done)
    def _done(self, message: Done) -> None:
        self._busy = False
        self._status(message.text, done=True)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._busy = False
        self._status(message.error.message, error=True)
        if self.invoice is None:
            self.query_one("#invoice-title", Static).update(
                data_text(_("Invoice {number} cannot be shown.").format(number=self.number)))

    def _status(self, text: str, *, error: bool = False, done: bool = False) -> None:
        self.query_one("#invoice-status", StatusLine).show(text, error=error, done=done)


def _totals(invoice: Invoice, company: CompanyProfile) -> str:
    rows = (
        (_("Retail value"), money_text(invoice.retail, company)),
        (_("Discount"), money_text(-invoice.discount, company)),
        (_("Delivery"), money_text(invoice.delivery_fee, company)),
        (_("Total to pay"), money_text(invoice.total, company)),
        *vat_rows(invoice, company),
        (_("Points"), points_text(invoice.points, company)),
    )
    width = max(len(label) for label, _value in rows) + 2
    return "\n".join(f"{label + ':':<{width}}{value:>14}" for label, value in rows)


def vat_rows(invoice: Invoice, company: CompanyProfile) -> list[tuple[str, str]]:
    """Per rate: the net amount and the VAT in the total (prices are gross)."""
    rows = []
    for line in invoice.vat:
        rate = format_rate(line.rate, company)
        rows.append((_("Net at {rate}").format(rate=rate), money_text(line.net, company)))
        rows.append((_("VAT {rate}").format(rate=rate), money_text(line.vat, company)))
    return rows


def format_rate(rate: Decimal, company: CompanyProfile) -> str:
    from babel.numbers import format_percent

    return format_percent(rate, locale=shown_locale(company.locale))
