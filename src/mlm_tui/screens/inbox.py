"""The inbox: claim decisions, shipping news, promotions, account messages.

Unread messages are marked; opening one shows its text and marks it read. ``u`` shows
only the unread ones.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static

from mlm_tui.core.changes import ChangeKind
from mlm_tui.core.dates import format_day
from mlm_tui.core.errors import DomainError
from mlm_tui.core.models import Notification
from mlm_tui.display import data_text
from mlm_tui.formats import shown_locale
from mlm_tui.i18n import N_, _, ngettext
from mlm_tui.messages import Failed
from mlm_tui.notice_text import notice_text, notification_kind_label
from mlm_tui.screens.base import AppScreen
from mlm_tui.widgets.fitting_table import FittingTable
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.table_cursor import cursor_key, move_to_key


class InboxScreen(AppScreen[None]):
    DEFAULT_CSS = """
    InboxScreen #summary { padding: 0 1; height: 1; color: $text-muted; }
    InboxScreen #messages { height: 1fr; margin: 0 1; }
    InboxScreen #reader { height: 8; border-top: solid $primary; padding: 0 1; }
    InboxScreen #reader-title { text-style: bold; }
    """

    BINDINGS = [
        Binding("u", "toggle_unread", N_("Unread only"), id="inbox.unread_only"),
    ]

    SHOWS = frozenset({ChangeKind.INBOX})

    class Loaded(Message):
        def __init__(self, notifications: list[Notification], locale: str, *,
                     again: bool = False) -> None:
            super().__init__()
            self.notifications, self.locale, self.again = notifications, locale, again

    def __init__(self) -> None:
        super().__init__()
        self.unread_only = False
        self._notifications: dict[str, Notification] = {}
        self._locale = "en"

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        yield Static(_("Loading…"), id="summary")
        table = FittingTable(id="messages", cursor_type="row")
        table.add_columns("", _("Date"), _("About"), _("Title"))
        yield table
        with VerticalScroll(id="reader"):
            yield Static("", id="reader-title")
            yield Static(_("Enter opens a message."), id="reader-body")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Inbox")
        self.load()

    def load(self, unread_only: bool = False, *, again: bool = False) -> None:
        def ask() -> Message:
            locale = shown_locale(self.company_profile().locale)
            notifications = self.backend.notifications(unread_only=unread_only)
            return self.Loaded(notifications, locale, again=again)

        self.in_background(ask, group="inbox")

    def reload_changed(self) -> None:
        self.load(self.unread_only, again=True)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._locale = message.locale
        notifications = message.notifications
        table = self.query_one("#messages", DataTable)
        current = None
        if message.again:
            current = cursor_key(table)
            if self.unread_only:
                # Read while listed here: it stays in the list until the filter is changed,
                # so the message being read does not vanish under the cursor.
                listed = {str(n.id) for n in notifications}
                notifications = sorted(
                    [*notifications, *(n for key, n in self._notifications.items()
                                       if n.read and key not in listed)],
                    key=lambda n: n.id, reverse=True)
        self._notifications = {str(n.id): n for n in notifications}
        table.clear()
        for notification in notifications:
            table.add_row(*self._cells(notification), key=str(notification.id))
        self._summarise()
        move_to_key(table, current)
        if not message.again:
            table.focus()

    def _cells(self, notification: Notification) -> tuple[str, str, str, Text]:
        title, _body = notice_text(notification, self._locale)
        return (
            "" if notification.read else "●",
            format_day(notification.at, self._locale),
            notification_kind_label(notification.kind),
            data_text(title, end=""),
        )

    def _summarise(self) -> None:
        unread = sum(1 for n in self._notifications.values() if not n.read)
        if not self._notifications:
            text = _("No unread messages.") if self.unread_only else _("No messages yet.")
        else:
            text = ngettext("{count} unread", "{count} unread", unread).format(count=unread)
            if self.unread_only:
                text += "  " + _("(unread only; u shows all)")
        self.query_one("#summary", Static).update(text)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#summary", Static).update(data_text(message.error.message))

    @on(DataTable.RowSelected, "#messages")
    def _open(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value or ""
        notification = self._notifications[key]
        title, body = notice_text(notification, self._locale)
        self.query_one("#reader-title", Static).update(data_text(title))
        self.query_one("#reader-body", Static).update(data_text(body, multiline=True))
        if not notification.read:
            notification = replace(notification, read=True)
            self._notifications[key] = notification
            table = self.query_one("#messages", DataTable)
            table.update_cell(key, table.ordered_columns[0].key, "")
            self._summarise()
            self.mark_read(notification.id)

    @work(thread=True, exit_on_error=False, group="inbox-read")
    def mark_read(self, notification_id: int) -> None:
        try:
            self.backend.mark_notification_read(notification_id)
        except DomainError as error:
            self.post_message(Failed(error))

    def action_toggle_unread(self) -> None:
        self.unread_only = not self.unread_only
        self.load(self.unread_only)
