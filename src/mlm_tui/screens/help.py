"""Every key of the screen underneath, then the keys that work everywhere.

Built from the live bindings (``Screen.active_bindings``), so it is never out of date:
a binding shows here when it has a description and belongs to the screen, to the app,
or carries an id (the widgets of this app give theirs ids; Textual's own editing keys
inside an input are left out).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from mlm_tui.i18n import N_, _
from mlm_tui.messages import SignOutRequested

LOG_OUT_KEY = "l"


@dataclass(frozen=True, slots=True)
class KeyHelp:
    keys: str  # "F1 / ?"
    description: str
    everywhere: bool  # an app binding rather than this screen's


def bindings_of(screen: Any) -> list[KeyHelp]:
    """The keys of ``screen`` (and of its focused widget), then the app's.

    Every binding with an id and a description, also those not usable right now (say,
    Checkout with an empty cart): this is the list of what the screen can do.
    """
    app = screen.app
    signed_in = getattr(app, "session", True) is not None
    keymap: dict[str, str] = getattr(app, "keymap", {})  # [keys] of config.toml
    merged: dict[tuple[str, bool], tuple[list[str], str]] = {}
    help_keys: list[str] = []
    # The nodes from the focused widget up to the app, and each node's own bindings.
    # Private in Textual, which is pinned exactly: active_bindings would leave out what is
    # disabled at the moment, and keys like "a" while a text field would take them.
    for node, _usable in screen._modal_binding_chain:
        everywhere = node is app
        bindings = node._bindings.copy()
        if keymap:
            bindings.apply_keymap(keymap)  # the keys in force, as the footer shows them
        for _key, binding in bindings:
            if binding.id == "app.help":
                help_keys.append(app.get_key_display(binding))
            if not binding.id or not binding.description:
                continue
            if everywhere and binding.action.startswith("go(") and not signed_in:
                continue  # the destinations open after logging in
            keys, _description = merged.setdefault(
                (binding.action, everywhere), ([], _(binding.description)))
            shown = app.get_key_display(binding)
            if shown not in keys:
                keys.append(shown)
    rows = [KeyHelp(" / ".join(keys), description, everywhere)
            for (_action, everywhere), (keys, description) in merged.items()]
    rows.append(KeyHelp(_("tab, shift+tab"), _("Next, previous field"), True))
    if signed_in:
        # Logging out is not worth a key of its own on every screen, where a slip would
        # end the session: it is one key here, in the help every screen opens.
        rows.append(KeyHelp(_("{help}, then {key}").format(
                                help=(help_keys or ["f1"])[0], key=LOG_OUT_KEY),
                            _("Log out"), True))
    return sorted(rows, key=lambda row: row.everywhere)


def _section(rows: list[KeyHelp]) -> Table:
    """Two keys to a line, so the whole list fits an 80x24 terminal."""
    table = Table.grid(padding=(0, 1), expand=True)
    for _pair in range(2):
        table.add_column(no_wrap=True, style="bold", min_width=14)
        table.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
    for index in range(0, len(rows), 2):
        cells: list[str] = []
        for row in rows[index:index + 2]:
            cells += [row.keys, row.description]
        table.add_row(*cells)
    return table


def _keys(rows: list[KeyHelp]) -> Group:
    parts: list[Text | Table] = []
    for everywhere in (False, True):
        section = [row for row in rows if row.everywhere is everywhere]
        if section:
            title = _("Everywhere") if everywhere else _("On this screen")
            parts += [Text(title, style="bold underline"), _section(section), Text("")]
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 72; max-width: 100%; height: auto; max-height: 90%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    HelpScreen #help-hint { color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "close", N_("Close"), id="help.close"),
        Binding("q", "close", N_("Close"), show=False, id="help.close_q"),
        Binding(LOG_OUT_KEY, "logout", N_("Log out"), id="help.logout"),
    ]

    def __init__(self, rows: list[KeyHelp]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = _("Keys")
            yield Static(_keys(self.rows), id="help-keys")
            yield Static(_("Escape closes this help. Ctrl+P finds any command by name."),
                         id="help-hint")

    def action_close(self) -> None:
        self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "logout":
            return getattr(self.app, "session", None) is not None
        return True

    def action_logout(self) -> None:
        self.dismiss()
        self.app.post_message(SignOutRequested())
