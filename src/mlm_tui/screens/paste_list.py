"""Paste (or type) a list of codes and quantities; Ctrl+S takes it into the quick order.

For terminals where a paste does not reach a code field whole, and for typing a list
line by line. Dismisses with the text, or ``None`` on Escape.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from mlm_tui.i18n import N_, _


class PasteListScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    PasteListScreen { align: center middle; }
    PasteListScreen > Vertical {
        width: 64; max-width: 100%; height: 18; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    PasteListScreen TextArea { height: 1fr; }
    PasteListScreen .hint { color: $text-muted; height: auto; }
    """

    BINDINGS = [
        Binding("ctrl+s", "take", N_("Take the list"), id="paste.take"),
        Binding("escape", "cancel", N_("Cancel"), id="paste.cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = _("Paste a list")
            yield Static(_("One code and quantity per line, or separated by commas: "
                           "“32548 2”, “33012 x1”."), classes="hint")
            yield TextArea(id="paste-text", soft_wrap=True, show_line_numbers=True)
            yield Static(_("Ctrl+S takes the list, Escape cancels."), classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one(TextArea))

    def action_take(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
