"""SSH keys: the public keys a member signs in with over SSH.

She pastes the line of her ``.pub`` file and presses Enter; the key is checked as OpenSSH
reads it, and a private key, another format or a key already registered is refused at
the field with what was pasted kept. The list shows each key's fingerprint, as
``ssh-keygen -l`` prints it, so she can tell her laptop's key from her phone's; Delete
removes the one under the cursor, after asking, and connections made with it end at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from mlm_tui.core.dates import format_day
from mlm_tui.core.models import SshKey
from mlm_tui.display import data_text
from mlm_tui.formats import shown_locale
from mlm_tui.i18n import N_, _, ngettext
from mlm_tui.messages import Failed, Refused
from mlm_tui.screens.base import AppScreen
from mlm_tui.widgets.fitting_table import FittingTable
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.table_cursor import cursor_key
from mlm_tui.widgets.text_input import TextInput


class SshKeysScreen(AppScreen[None]):
    DEFAULT_CSS = """
    SshKeysScreen #adding { height: auto; padding: 0 1; }
    SshKeysScreen #intro { height: auto; }
    SshKeysScreen #key-line { margin-top: 1; }
    SshKeysScreen #key-error { color: $error; height: auto; }
    SshKeysScreen #key-error.-empty { display: none; }
    SshKeysScreen #summary { padding: 0 1; height: 1; margin-top: 1; color: $text-muted; }
    SshKeysScreen #keys { height: 1fr; margin: 0 1; }
    """

    BINDINGS = [
        Binding("ctrl+s", "add", N_("Add key"), id="ssh_keys.add"),
        Binding("delete", "remove", N_("Remove key"), id="ssh_keys.remove"),
    ]

    @dataclass
    class Loaded(Message):
        keys: list[SshKey]
        locale: str

    @dataclass
    class Added(Message):
        key: SshKey

    @dataclass
    class Removed(Message):
        key: SshKey

    def __init__(self) -> None:
        super().__init__()
        self._keys: dict[str, SshKey] = {}
        self._locale = "en"

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        with Vertical(id="adding"):
            yield Static(_("Sign in over SSH with a key instead of a password: paste the "
                           "line of your public key file (such as ~/.ssh/id_ed25519.pub) "
                           "and press Enter."), id="intro")
            yield TextInput(id="key-line", placeholder=_("ssh-ed25519 AAAA… you@laptop"))
            yield Static("", id="key-error", classes="-empty", markup=False)
        yield Static(_("Loading…"), id="summary")
        table = FittingTable(id="keys", cursor_type="row")
        table.add_columns(_("Comment"), _("Fingerprint"), _("Added"), _("Type"))
        yield table
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("SSH keys")
        self.query_one("#key-line", Input).focus()
        self.load()

    def load(self) -> None:
        def ask() -> Message:
            locale = shown_locale(self.company_profile().locale)
            return self.Loaded(self.backend.ssh_keys(), locale)

        self.in_background(ask, group="ssh-keys")

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._locale = message.locale
        self._show(message.keys)

    def _show(self, keys: list[SshKey]) -> None:
        self._keys = {key.fingerprint: key for key in keys}
        table = self.query_one("#keys", DataTable)
        table.clear()
        for key in keys:
            table.add_row(data_text(key.comment, end=""), key.fingerprint,
                          format_day(key.added_at, self._locale),
                          data_text(key.key_type, end=""), key=key.fingerprint)
        if keys:
            text = ngettext("{count} key. Delete removes the one under the cursor.",
                            "{count} keys. Delete removes the one under the cursor.",
                            len(keys)).format(count=len(keys))
        else:
            text = _("No keys yet: you sign in with your password only.")
        self.query_one("#summary", Static).update(text)

    @on(Input.Submitted, "#key-line")
    def action_add(self) -> None:
        line = self.query_one("#key-line", Input).value
        self._say_at_field("")

        def ask() -> Message:
            return self.Added(self.backend.add_ssh_key(line))

        self.in_background(ask, group="ssh-keys-add", refused=True)

    @on(Added)
    def _added(self, message: Added) -> None:
        self.query_one("#key-line", Input).value = ""
        self._show([*self._keys.values(), message.key])

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self._say_at_field(message.error.message)
        self.query_one("#key-line", Input).focus()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#summary", Static).update(data_text(message.error.message))

    def _say_at_field(self, text: str) -> None:
        label = self.query_one("#key-error", Static)
        label.update(data_text("✗ " + text) if text else "")
        label.set_class(not text, "-empty")

    def action_remove(self) -> None:
        key = self._keys.get(cursor_key(self.query_one("#keys", DataTable)) or "")
        if key is None:
            return
        from mlm_tui.screens.confirm import ConfirmScreen

        def answered(go_ahead: bool | None) -> None:
            if go_ahead:
                self._remove(key)

        question = _("Remove the key {fingerprint} ({comment})? Connections made with it "
                     "end at once.").format(fingerprint=key.fingerprint,
                                            comment=key.comment or key.key_type)
        self.app.push_screen(ConfirmScreen(question, _("remove it")), answered)

    def _remove(self, key: SshKey) -> None:
        def ask() -> Message:
            self.backend.remove_ssh_key(key.fingerprint)
            return self.Removed(key)

        self.in_background(ask, group="ssh-keys-remove")

    @on(Removed)
    def _removed(self, message: Removed) -> None:
        self._show([k for k in self._keys.values() if k.fingerprint != message.key.fingerprint])
