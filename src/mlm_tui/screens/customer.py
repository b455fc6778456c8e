"""One member's overview: who they are, who brought them in, and "Volume and Orders".

A downline's contacts come masked from the backend, without passport and birth date;
only one's own are there in full, and even those stay masked until asked for (a key).
The last three months show points, the number of orders and loyalty activity; choosing
a month opens the order history filtered to this member and that month.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static

from mlm_tui.core.dates import format_day
from mlm_tui.core.models import CompanyProfile, Member, MemberOverview, MemberRef
from mlm_tui.core.privacy import (
    mask_address,
    mask_birth_date,
    mask_email,
    mask_passport,
    mask_phone,
)
from mlm_tui.display import data_text
from mlm_tui.formats import format_points, month_name, shown_locale
from mlm_tui.i18n import N_, _
from mlm_tui.messages import Failed
from mlm_tui.screens.base import AppScreen
from mlm_tui.widgets.fitting_table import FittingTable
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.member_text import kind_label, status_label


class CustomerScreen(AppScreen[None]):
    DEFAULT_CSS = """
    CustomerScreen #card { height: auto; padding: 0 2; }
    CustomerScreen #name { text-style: bold; }
    CustomerScreen .section { margin-top: 1; text-style: bold; color: $primary; }
    CustomerScreen #volume { height: auto; max-height: 7; margin: 0 1; }
    CustomerScreen #hint { color: $text-muted; margin: 0 2; }
    CustomerScreen #status { margin: 0 2; }
    CustomerScreen #status.error { color: $error; }
    """

    BINDINGS = [
        Binding("r", "reveal", N_("Show contacts"), id="customer.reveal"),
        Binding("o", "all_orders", N_("All orders"), id="customer.all_orders"),
    ]

    @dataclass
    class Loaded(Message):
        overview: MemberOverview
        company: CompanyProfile

    def __init__(self, member_id: int) -> None:
        super().__init__()
        self.member_id = member_id
        self.revealed = False
        self._overview: MemberOverview | None = None
        self._company: CompanyProfile | None = None

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        with VerticalScroll():
            with Vertical(id="card"):
                yield Static(_("Loading…"), id="name")
                yield Static(id="details")
                yield Static(_("Contacts"), classes="section")
                yield Static(id="contacts")
                yield Static(_("Volume and Orders"), classes="section")
            volume = FittingTable(id="volume", cursor_type="row")
            yield volume
            yield Static(_("Enter: that month's orders"), id="hint")
            yield Static(id="status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Customer")
        self.load()

    def load(self) -> None:
        self.read_with_company(lambda: self.backend.member_overview(self.member_id), self.Loaded,
                               group="overview")

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._overview, self._company = message.overview, message.company
        member = message.overview.member
        self.title = member.full_name
        self.query_one("#name", Static).update(
            data_text(f"{member.full_name}  ·  {member.registration_number}"))
        self.query_one("#details", Static).update(
            data_text(self._details(message.overview), multiline=True))
        self._show_contacts()
        self._show_volume()
        self.refresh_bindings()  # nothing to reveal of a downline's contacts
        self.query_one("#volume", DataTable).focus()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#name", Static).update(_("This member cannot be shown."))
        status = self.query_one("#status", Static)
        status.update(data_text(message.error.message))
        status.add_class("error")

    def _details(self, overview: MemberOverview) -> str:
        member = overview.member
        locale = self._locale
        kind = kind_label(member.kind)
        if member.loyalty_enrolled:
            since = format_day(member.loyalty_since, locale)
            loyalty = _("enrolled since {day}").format(day=since) if since else _("enrolled")
        else:
            loyalty = _("not enrolled")
        lines = [
            f"{kind}, {status_label(member.status)}; "
            + _("registered {day}").format(day=format_day(member.registered_at, locale)),
            _("Enroller: {who}").format(who=_ref(overview.enroller)),
            _("Sponsor: {who}").format(who=_ref(overview.sponsor)),
            _("Loyalty programme: {state}").format(state=loyalty),
        ]
        return "\n".join(lines)

    def _show_contacts(self) -> None:
        assert self._overview is not None
        member = self._overview.member
        rows = _contacts(member, self.revealed, self._locale)
        if member.masked:
            hint = _("(masked: only the member sees them in full)")
        elif self.revealed:
            hint = _("(r hides them again)")
        else:
            hint = _("(masked; r shows them)")
        self.query_one("#contacts", Static).update(
            data_text("\n".join(rows) + f"\n{hint}", multiline=True))

    def _show_volume(self) -> None:
        assert self._overview is not None and self._company is not None
        table = self.query_one("#volume", DataTable)
        table.clear(columns=True)
        table.add_columns(_("Month"), data_text(self._company.points_label), _("Orders"),
                          _("Loyalty (AS)"))
        # Newest month on top: that is the one a leader looks at first.
        for month in reversed(self._overview.volume):
            table.add_row(
                month_name(month.month, self._locale),
                format_points(month.points, self._locale),
                str(month.orders) if month.ordered else _("no order"),
                str(month.loyalty_orders) if month.loyalty_orders else "—",
                key=month.month,
            )

    @property
    def _locale(self) -> str:
        return shown_locale(self._company.locale) if self._company else "en"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reveal":
            return self._overview is None or not self._overview.member.masked
        return True

    def action_reveal(self) -> None:
        if self._overview is None or self._overview.member.masked:
            return
        self.revealed = not self.revealed
        self._show_contacts()

    @on(DataTable.RowSelected, "#volume")
    def _month_chosen(self, event: DataTable.RowSelected) -> None:
        self._open_orders(event.row_key.value)

    def action_all_orders(self) -> None:
        if self._overview is not None:
            self._open_orders(None)

    def _open_orders(self, month: str | None) -> None:
        from mlm_tui.screens.orders import OrdersScreen

        self.app.push_screen(OrdersScreen(member=self.member_id, month=month))



def _ref(ref: MemberRef | None) -> str:
    if ref is None:
        return "—"
    return f"{ref.full_name} ({ref.registration_number})"


def _contacts(member: Member, revealed: bool, locale: str) -> list[str]:
    if member.masked:
        shown = (
            (_("Phone"), member.phone or ""),
            (_("E-mail"), member.email or ""),
            (_("Address"), mask_address(member.address)),
        )
        return [f"{label + ':':<10} {value or '—'}" for label, value in shown]
    if revealed:
        values = (
            member.phone or "",
            member.email or "",
            member.address.one_line() if member.address else "",
            format_day(member.birth_date, locale),
            member.passport or "",
        )
    else:
        values = (
            mask_phone(member.phone),
            mask_email(member.email),
            mask_address(member.address),
            mask_birth_date(member.birth_date),
            mask_passport(member.passport),
        )
    labels = (_("Phone"), _("E-mail"), _("Address"), _("Born"), _("Passport"))
    return [f"{label + ':':<10} {value or '—'}" for label, value in zip(labels, values,
                                                                       strict=True)]
