"""Balance and points: what is on the account, every movement, and a top-up.

Both ledgers are read page by page (keyset): the next page is fetched when the cursor
reaches the last row, so a long history never loads at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Static, TabbedContent, TabPane

from mlm_tui.core.changes import ChangeKind
from mlm_tui.core.dates import format_day
from mlm_tui.core.errors import DomainError, ValidationError
from mlm_tui.core.models import (
    CompanyProfile,
    LedgerEntry,
    LedgerKind,
    Page,
    PaymentRequest,
    PaymentSource,
    PaymentState,
    PointsEntry,
    PointsKind,
    TopUpMethod,
)
from mlm_tui.core.money import Money, amount_example, parse_amount
from mlm_tui.display import data_text
from mlm_tui.formats import format_money, format_points, shown_locale
from mlm_tui.i18n import N_, _
from mlm_tui.messages import AccountChanged, Failed, Refused
from mlm_tui.screens.base import AppScreen
from mlm_tui.widgets.fitting_table import FittingTable
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.table_cursor import cursor_key, move_to_key
from mlm_tui.widgets.text_input import TextInput

PAGE = 50
Entry = TypeVar("Entry", LedgerEntry, PointsEntry)  # a line of one of the two ledgers
MOST_AT_ONCE = 1000  # what a reload reads of a long history scrolled far down


def ledger_kind_label(kind: LedgerKind) -> str:
    return {
        LedgerKind.TOP_UP: _("Top-up"),
        LedgerKind.PAYMENT: _("Payment"),
        LedgerKind.REFUND: _("Refund"),
        LedgerKind.FEE: _("Fee"),
    }[kind]


# Notes the store writes itself (how a top-up was paid, what a payment was for): shown in
# the reader's language. Any other note (an order or claim number) is shown as it is.
STORE_NOTES = (N_("card"), N_("terminal"), N_("transfer"), N_("order payment"))


def note_text(note: str) -> str:
    return _(note) if note else note


def source_label(source: PaymentSource) -> str:
    """Who confirmed that a credit's money arrived."""
    return {
        PaymentSource.PROVIDER: _("payment provider"),
        PaymentSource.STATEMENT: _("bank statement"),
        PaymentSource.SERVICE: _("service"),
        PaymentSource.DEMO: _("demo payment"),
    }[source]


def entry_note(entry: LedgerEntry) -> str:
    """A credit's source first (what a narrow terminal shows), then its reference."""
    note = note_text(entry.note)
    if entry.source is None:
        return note
    return " · ".join(part for part in (source_label(entry.source), note) if part)


def method_label(method: str) -> str:
    return {
        TopUpMethod.CARD.value: _("by card"),
        TopUpMethod.TERMINAL.value: _("at a terminal"),
        TopUpMethod.TRANSFER.value: _("by transfer"),
    }.get(method, method)


def state_label(request: PaymentRequest) -> str:
    if request.state is PaymentState.PENDING:
        return _("pending")
    if request.state is PaymentState.REJECTED:
        return _("refused: {reason}").format(reason=request.note) if request.note else _(
            "refused")
    if request.state is PaymentState.CANCELLED:
        return _("cancelled")
    return _("confirmed")


REQUESTS_SHOWN = 3  # lines of pending top-ups above the top-up row: the ledger keeps the rest


def points_kind_label(kind: PointsKind) -> str:
    return {
        PointsKind.EARNED: _("Earned"),
        PointsKind.SPENT: _("Spent"),
        PointsKind.EXPIRED: _("Expired"),
        PointsKind.CANCELLED: _("Cancelled order"),
    }[kind]


class WalletScreen(AppScreen[None]):
    DEFAULT_CSS = """
    WalletScreen .total { padding: 0 1; text-style: bold; height: 1; }
    WalletScreen DataTable { height: 1fr; }
    WalletScreen #top-up { height: 1; margin-top: 1; padding: 0 1; }
    WalletScreen #top-up Static { width: auto; margin-right: 1; }
    WalletScreen #amount { width: 16; margin-right: 1; }
    WalletScreen #top-up Button { margin-right: 1; }
    WalletScreen #top-up-result { padding: 0 1; height: auto; }
    WalletScreen #top-up-result.error { color: $error; }
    WalletScreen #top-up-result.success { color: $success; }
    WalletScreen #requests { height: auto; padding: 0 1; }
    WalletScreen #requests-text { width: 1fr; height: auto; color: $warning; }
    WalletScreen #demo-pay { margin-left: 1; }
    """

    BINDINGS = [
        Binding("t", "top_up", N_("Top up"), id="wallet.top_up"),
        Binding("p", "show_points", N_("Points"), id="wallet.points"),
        Binding("b", "show_balance", N_("Balance"), id="wallet.balance"),
    ]

    SHOWS = frozenset({ChangeKind.ACCOUNT, ChangeKind.PAYMENTS})

    class BalanceLoaded(Message):
        def __init__(self, balance: Money | None, page: Page[LedgerEntry],
                     company: CompanyProfile, first: bool,
                     requests: tuple[PaymentRequest, ...] | None = None) -> None:
            super().__init__()
            self.balance, self.page, self.company, self.first = balance, page, company, first
            self.requests = requests

    @dataclass
    class PointsLoaded(Message):
        points: Decimal | None
        page: Page[PointsEntry]
        company: CompanyProfile
        first: bool

    @dataclass
    class ToppedUp(Message):
        request: PaymentRequest

    @dataclass
    class DemoPaid(Message):
        request: PaymentRequest

    def __init__(self) -> None:
        super().__init__()
        self._company: CompanyProfile | None = None
        self._balance_after: str | None = None
        self._points_after: str | None = None
        # What the balance tab shows: a top-up is added to it, not read again.
        self._balance: Money | None = None
        self._ledger: list[LedgerEntry] = []
        self._requests: tuple[PaymentRequest, ...] = ()
        self._announced: str | None = None  # the top-up the result line speaks of
        self._loading: set[str] = set()

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        with TabbedContent(id="tabs"):
            with TabPane(_("Balance"), id="balance-tab"), Vertical():
                yield Static(_("Loading…"), id="balance", classes="total")
                ledger = FittingTable(id="ledger", cursor_type="row")
                ledger.add_columns(_("Date"), _("Entry"), _("Amount"), _("Order"), _("Note"))
                yield ledger
                with Horizontal(id="requests"):
                    yield Static("", id="requests-text")
                    yield Button(_("Demo payment"), id="demo-pay", compact=True)
                with Horizontal(id="top-up"):
                    yield Static(_("Top up:"))
                    yield TextInput(placeholder=_("amount"), id="amount", compact=True)
                    yield Button(_("By card"), id="card", compact=True)
                    yield Button(_("At a terminal"), id="terminal", compact=True)
                    yield Button(_("By transfer"), id="transfer", compact=True)
                yield Static("", id="top-up-result")
            with TabPane(_("Points"), id="points-tab"), Vertical():
                yield Static(_("Loading…"), id="points", classes="total")
                history = FittingTable(id="points-ledger", cursor_type="row")
                history.add_columns(_("Date"), _("Entry"), _("Points"), _("Expires"),
                                    _("Note"))
                yield history
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Balance and points")
        self.query_one("#requests").display = False
        self.load_wallet()
        self.query_one("#ledger", DataTable).focus()

    # --- reading ---------------------------------------------------------------------------
    def reload_changed(self) -> None:
        # As many rows as are shown, so the cursor keeps its row however far down it is.
        rows = max(self.query_one(table_id, DataTable).row_count
                   for table_id in ("#ledger", "#points-ledger"))
        self.load_wallet(min(max(PAGE, rows), MOST_AT_ONCE))

    @work(thread=True, exclusive=True, exit_on_error=False, group="wallet")
    def load_wallet(self, limit: int = PAGE) -> None:
        """Both tabs from the top, in one request."""
        try:
            company = self.company_profile()
            wallet = self.backend.wallet_overview(limit=limit)
        except DomainError as error:
            self.post_message(Failed(error))
            return
        self.post_message(self.BalanceLoaded(wallet.balance, wallet.ledger, company, first=True,
                                             requests=wallet.payment_requests))
        self.post_message(self.PointsLoaded(wallet.points, wallet.points_ledger, company,
                                            first=True))

    @work(thread=True, exit_on_error=False, group="balance")
    def load_balance(self, after: str) -> None:
        """The next page of the balance ledger (the amount above it stands as it was read)."""
        self._next_page(lambda: self.backend.balance_ledger(after=after, limit=PAGE),
                        self.BalanceLoaded)

    @work(thread=True, exit_on_error=False, group="points")
    def load_points(self, after: str) -> None:
        """The next page of the points ledger."""
        self._next_page(lambda: self.backend.points_ledger(after=after, limit=PAGE),
                        self.PointsLoaded)

    def _next_page(self, read: Callable[[], Page[Entry]],
                   loaded: Callable[[None, Page[Entry], CompanyProfile, bool], Message]) -> None:
        """In a worker: ``read`` a further page of a ledger, its total left as it is."""
        try:
            company = self.company_profile()
            page = read()
        except DomainError as error:
            self.post_message(Failed(error))
            return
        self.post_message(loaded(None, page, company, False))

    @on(BalanceLoaded)
    def _balance_loaded(self, message: BalanceLoaded) -> None:
        self._loading.discard("balance")
        self._company = message.company
        locale = shown_locale(message.company.locale)
        if message.balance is not None:
            self._balance = message.balance
            self.query_one("#balance", Static).update(_("On your account: {amount}").format(
                amount=format_money(message.balance, locale)))
        table = self.query_one("#ledger", DataTable)
        current = cursor_key(table)
        if message.first:
            table.clear()
            self._ledger = []
        self._ledger += message.page.items
        for entry in message.page.items:
            table.add_row(
                format_day(entry.at, locale),
                ledger_kind_label(entry.kind),
                format_money(entry.amount, locale),
                data_text(entry.order_number, end=""),
                data_text(entry_note(entry), end=""),
                key=f"b{entry.id}",
            )
        if message.first:
            move_to_key(table, current)
        self._balance_after = message.page.next_after
        if message.requests is not None:
            self._show_requests(message.requests)

    def _show_requests(self, requests: tuple[PaymentRequest, ...]) -> None:
        """The top-ups asked for that are not in the ledger: pending, or refused lately."""
        self._requests = requests
        if self._announced and self._announced not in {
                r.reference for r in requests if r.state is PaymentState.PENDING}:
            # Decided since: the result line's "pending" is no longer true.
            self._announced = None
            self._top_up_result("")
        locale = shown_locale(self._company.locale) if self._company else "en"
        lines = [
            "  ".join((request.reference, format_money(request.amount, locale),
                       method_label(request.method), state_label(request)))
            for request in requests[:REQUESTS_SHOWN]
        ]
        if len(requests) > REQUESTS_SHOWN:
            lines.append(_("and {count} more").format(count=len(requests) - REQUESTS_SHOWN))
        self.query_one("#requests-text", Static).update(data_text("\n".join(lines), end=""))
        self.query_one("#requests").display = bool(requests)
        self.query_one("#demo-pay").display = bool(
            self._company and self._company.demo_payments and self._pending())

    def _pending(self) -> PaymentRequest | None:
        return next((r for r in self._requests if r.state is PaymentState.PENDING), None)

    @on(PointsLoaded)
    def _points_loaded(self, message: PointsLoaded) -> None:
        self._loading.discard("points")
        locale, label = shown_locale(message.company.locale), message.company.points_label
        if message.points is not None:
            self.query_one("#points", Static).update(data_text(
                _("Points in your wallet: {points} {label}").format(
                    points=format_points(message.points, locale), label=label)))
        table = self.query_one("#points-ledger", DataTable)
        current = cursor_key(table)
        if message.first:
            table.clear()
        for entry in message.page.items:
            table.add_row(
                format_day(entry.at, locale),
                points_kind_label(entry.kind),
                format_points(entry.points, locale),
                format_day(entry.expires_on, locale),
                data_text(note_text(entry.note), end=""),
                key=f"p{entry.id}",
            )
        if message.first:
            move_to_key(table, current)
        self._points_after = message.page.next_after

    @on(DataTable.RowHighlighted)
    def _maybe_next_page(self, event: DataTable.RowHighlighted) -> None:
        table = event.data_table
        if event.cursor_row < table.row_count - 1:
            return
        if table.id == "ledger" and self._balance_after and "balance" not in self._loading:
            self._loading.add("balance")
            self.load_balance(self._balance_after)
        elif table.id == "points-ledger" and self._points_after and "points" not in self._loading:
            self._loading.add("points")
            self.load_points(self._points_after)

    # --- top-up ----------------------------------------------------------------------------
    def action_top_up(self) -> None:
        self.action_show_balance()
        self.query_one("#amount", Input).focus()

    @on(Input.Submitted, "#amount")
    def _amount_entered(self) -> None:
        self._top_up(TopUpMethod.CARD)

    @on(Button.Pressed, "#card")
    def _by_card(self) -> None:
        self._top_up(TopUpMethod.CARD)

    @on(Button.Pressed, "#terminal")
    def _at_terminal(self) -> None:
        self._top_up(TopUpMethod.TERMINAL)

    @on(Button.Pressed, "#transfer")
    def _by_transfer(self) -> None:
        self._top_up(TopUpMethod.TRANSFER)

    def _top_up(self, method: TopUpMethod) -> None:
        if self._company is None:
            return
        text = self.query_one("#amount", Input).value
        locale = shown_locale(self._company.locale)
        try:
            amount = parse_amount(text, locale)
        except ValueError:
            self._top_up_result(_("Enter an amount, e.g. 1500 or {example}.").format(
                example=amount_example(locale)), error=True)
            return
        self._top_up_result(_("Requesting the top-up…"))
        self.top_up(Money(amount, self._company.currency), method)

    def top_up(self, amount: Money, method: TopUpMethod) -> None:
        def ask() -> Message:
            return self.ToppedUp(self.backend.top_up(amount, method))

        self.shown_own_write(ChangeKind.PAYMENTS)  # the pending request is shown from it
        self.in_background(ask, group="top-up", refused=True)

    @on(ToppedUp)
    def _topped_up(self, message: ToppedUp) -> None:
        request = message.request
        locale = shown_locale(self._company.locale) if self._company else "en"
        self.query_one("#amount", Input).value = ""
        amount = format_money(request.amount, locale)
        if request.method == TopUpMethod.TRANSFER.value:
            text = _("Transfer {amount} quoting {reference}: your balance grows when the "
                     "bank's statement shows it.")
        else:
            text = _("Top-up {reference} of {amount} is pending: your balance grows when "
                     "the payment is confirmed.")
        self._top_up_result(text.format(amount=amount, reference=request.reference))
        self._announced = request.reference
        # Nothing is credited yet: the balance and ledger stand; the request is listed.
        self._show_requests((request, *self._requests))

    # --- the demo store's payment step -----------------------------------------------------
    @on(Button.Pressed, "#demo-pay")
    def _demo_pay(self) -> None:
        pending = self._pending()
        if pending is None:
            return
        reference = pending.reference

        def ask() -> Message:
            return self.DemoPaid(self.backend.confirm_demo_payment(reference))

        # Its answer reloads the screen: the change coming back is not read again.
        self.shown_own_write(ChangeKind.ACCOUNT, ChangeKind.PAYMENTS)
        self.in_background(ask, group="top-up", refused=True)

    @on(DemoPaid)
    def _demo_paid(self, message: DemoPaid) -> None:
        self._announced = None  # this line now says what became of it
        locale = shown_locale(self._company.locale) if self._company else "en"
        self._top_up_result(_("Demo payment: {reference} confirmed, {amount} credited. No "
                              "money moved.").format(
            reference=message.request.reference,
            amount=format_money(message.request.amount, locale)))
        self.load_wallet()
        self.post_message(AccountChanged())  # the header shows the balance too

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.own_write_refused(ChangeKind.ACCOUNT, ChangeKind.PAYMENTS)
        self._top_up_result(message.error.message, error=True)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        if isinstance(message.error, ValidationError):
            self._top_up_result(message.error.message, error=True)
        else:
            self.query_one("#balance", Static).update(data_text(message.error.message))

    def _top_up_result(self, text: str, *, error: bool = False) -> None:
        result = self.query_one("#top-up-result", Static)
        result.update(data_text(text))
        result.set_classes("error" if error else "success")

    # --- tabs ------------------------------------------------------------------------------
    def action_show_points(self) -> None:
        self.query_one("#tabs", TabbedContent).active = "points-tab"
        self.query_one("#points-ledger", DataTable).focus()

    def action_show_balance(self) -> None:
        self.query_one("#tabs", TabbedContent).active = "balance-tab"
        self.query_one("#ledger", DataTable).focus()
