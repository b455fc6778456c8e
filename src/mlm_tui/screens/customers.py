"""Customers: find a member of the team by name as you type, then open their overview.

Common names give several matches; each row shows what tells them apart (registration
number, city, masked phone, last order). The search runs in a worker, one at a time:
a newer keystroke cancels the older search, and a late answer for an old query is dropped.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from mlm_tui.core.dates import format_day
from mlm_tui.core.models import MemberMatch
from mlm_tui.display import data_text
from mlm_tui.formats import shown_locale
from mlm_tui.i18n import N_, _, ngettext
from mlm_tui.messages import Failed
from mlm_tui.screens.base import AppScreen, back_binding
from mlm_tui.widgets.fitting_table import FittingTable
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.member_text import status_label
from mlm_tui.widgets.text_input import TextInput

SEARCH_LIMIT = 50


class CustomersScreen(AppScreen[None]):
    """Name search over self and the downline."""

    DEFAULT_CSS = """
    CustomersScreen #search { margin: 0 1; }
    CustomersScreen #status { margin: 0 2; color: $text-muted; height: 1; }
    CustomersScreen #status.error { color: $error; }
    CustomersScreen DataTable { height: 1fr; margin: 0 1; }
    """

    BINDINGS = [
        back_binding("customers.back"),
        Binding("down", "to_matches", N_("Matches"), show=False, id="customers.to_matches"),
        Binding("ctrl+f", "to_search", N_("Search"), id="customers.search"),
    ]

    class Found(Message):
        def __init__(self, query: str, matches: list[MemberMatch], locale: str) -> None:
            super().__init__()
            self.query = query
            self.matches = matches
            self.locale = locale

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self._initial_query = query
        self._matches: list[MemberMatch] = []

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        with Vertical():
            yield TextInput(self._initial_query, placeholder=_("Name, e.g. Иванова"), id="search")
            yield Static(_("Type a name to search your team."), id="status")
            # Cities, then names give up width: the status must stay on the screen.
            table = FittingTable(id="matches", cursor_type="row", zebra_stripes=True,
                                 shrink={"city": 10, "name": 8})
            table.add_columns((_("Reg. no."), "number"), (_("Name"), "name"),
                              (_("City"), "city"), (_("Phone"), "phone"),
                              (_("Last order"), "last_order"), (_("Status"), "status"))
            yield table
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Customers")
        self.query_one("#search", Input).focus()
        if self._initial_query:
            self.search(self._initial_query)

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        query = event.value.strip()
        if not query:
            self.workers.cancel_group(self, "search")
            self._show([], "")
            self._status(_("Type a name to search your team."))
            return
        self.search(query)

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        table = self.query_one("#matches", DataTable)
        if table.row_count == 1:
            self._open(0)
        elif table.row_count:
            table.focus()

    def search(self, query: str) -> None:
        def ask() -> Message:
            locale = shown_locale(self.company_profile().locale)
            matches = self.backend.search_members(query, limit=SEARCH_LIMIT)
            return self.Found(query, matches, locale)

        self.in_background(ask, group="search")

    @on(Found)
    def _found(self, message: Found) -> None:
        if message.query != self.query_one("#search", Input).value.strip():
            return  # the user typed on; a newer search is on its way
        self._show(message.matches, message.locale)
        count = len(message.matches)
        if count == 0:
            self._status(_("Nobody in your team is called “{query}”.").format(
                query=message.query))
        elif count >= SEARCH_LIMIT:
            self._status(_("The first {count} matches; type more of the name.").format(
                count=count))
        else:
            self._status(ngettext("{count} match: Enter opens the overview.",
                                  "{count} matches: choose one, Enter opens the overview.",
                                  count).format(count=count))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._status(message.error.message, error=True)

    def _show(self, matches: list[MemberMatch], locale: str) -> None:
        self._matches = matches
        table = self.query_one("#matches", DataTable)
        table.clear()
        for match in matches:
            table.add_row(
                data_text(match.registration_number, end=""),
                data_text(match.full_name, end="", overflow="ellipsis"),
                data_text(match.city, end="", overflow="ellipsis"),
                data_text(match.phone_masked, end=""),
                format_day(match.last_order_at, locale) or _("never"),
                status_label(match.status),
                key=str(match.id),
            )

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(data_text(text))
        status.set_class(error, "error")

    @on(DataTable.RowSelected, "#matches")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.cursor_row)

    def _open(self, row: int) -> None:
        from mlm_tui.screens.customer import CustomerScreen

        self.app.push_screen(CustomerScreen(self._matches[row].id))

    def action_to_matches(self) -> None:
        table = self.query_one("#matches", DataTable)
        if table.row_count:
            # At once, not after the next refresh: the Down keys typed right after this one
            # must reach the list, not the search box.
            self.set_focus(table)

    def action_to_search(self) -> None:
        self.query_one("#search", Input).focus()

    async def action_back(self) -> None:
        if self.query_one("#matches", DataTable).has_focus:
            self.action_to_search()
        else:
            await self.app.run_action("back")

