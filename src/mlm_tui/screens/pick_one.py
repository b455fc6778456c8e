"""A short list to choose one thing from, over the screen that asked.

Enter chooses the highlighted line, Escape closes with None. A dialog built on it says
what its lines are (``choices``) and what a chosen line's id stands for (``chosen``).
"""

from __future__ import annotations

from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

Choice = TypeVar("Choice")


class PickOneScreen(ModalScreen[Choice | None]):
    # A dialog built on it gives its box a width of its own.
    DEFAULT_CSS = """
    PickOneScreen { align: center middle; }
    PickOneScreen > Vertical {
        height: auto; max-height: 20; border: round $primary;
        background: $surface; padding: 0 1;
    }
    PickOneScreen OptionList { height: auto; max-height: 16; border: none; }
    PickOneScreen > Vertical > Label { text-style: bold; }
    """

    def __init__(self, heading: str, heading_id: str) -> None:
        super().__init__()
        self.heading = heading
        self._heading_id = heading_id

    def choices(self) -> list[Option]:
        raise NotImplementedError

    def chosen(self, option_id: str) -> Choice | None:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.heading, id=self._heading_id)
            yield OptionList(*self.choices())

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.chosen(event.option.id or ""))

    def action_close(self) -> None:
        self.dismiss(None)
