"""Choose a month of the order history, each shown with how many orders it holds."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from mlm_tui.formats import month_name
from mlm_tui.i18n import N_, ngettext


class PickMonthScreen(ModalScreen[str | None]):
    """Returns the chosen month ("YYYY-MM"), or None."""

    DEFAULT_CSS = """
    PickMonthScreen { align: center middle; }
    PickMonthScreen > Vertical {
        width: 44; height: auto; max-height: 20; border: round $primary;
        background: $surface; padding: 0 1;
    }
    PickMonthScreen OptionList { height: auto; max-height: 16; border: none; }
    PickMonthScreen #pick-month-title { text-style: bold; }
    """

    BINDINGS = [Binding("escape", "close", N_("Close"), id="pick_month.close")]

    def __init__(self, title: str, months: list[tuple[str, int]], locale: str) -> None:
        super().__init__()
        self.heading = title
        self.months = months
        self.locale = locale

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.heading, id="pick-month-title")
            yield OptionList(*(
                Option(f"{month_name(month, self.locale):<16} "
                       + ngettext("{count} order", "{count} orders", count).format(count=count),
                       id=month)
                for month, count in self.months
            ))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)
