"""Asks before work is thrown away: a question, Y (or Enter) goes ahead, N or Escape not.

Dismisses with True to go ahead, False to stay.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from mlm_tui.i18n import N_, _


class ConfirmScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 60; max-width: 100%; height: auto; max-height: 100%;
        border: round $warning; background: $surface; padding: 0 1;
    }
    ConfirmScreen .hint { color: $text-muted; margin-top: 1; }
    """

    BINDINGS = [
        Binding("y,enter", "answer(True)", N_("Yes"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", N_("No"), id="confirm.no"),
    ]

    def __init__(self, question: str, yes: str) -> None:
        super().__init__()
        self.question, self.yes = question, yes

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = _("Are you sure?")
            yield Static(self.question, id="confirm-question", markup=False)
            yield Static(_("Y: {yes} · N or Escape: stay").format(yes=self.yes),
                         classes="hint", markup=False)

    def action_answer(self, go_ahead: bool) -> None:
        self.dismiss(go_ahead)
