"""Choose a month of the order history, each shown with how many orders it holds."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets.option_list import Option

from mlm_tui.formats import month_name
from mlm_tui.i18n import N_, ngettext
from mlm_tui.screens.pick_one import PickOneScreen


class PickMonthScreen(PickOneScreen[str]):
    """Returns the chosen month ("YYYY-MM"), or None."""

    DEFAULT_CSS = "PickMonthScreen > Vertical { width: 44; }"

    BINDINGS = [Binding("escape", "close", N_("Close"), id="pick_month.close")]

    def __init__(self, title: str, months: list[tuple[str, int]], locale: str) -> None:
        super().__init__(title, "pick-month-title")
        self.months = months
        self.locale = locale

    def choices(self) -> list[Option]:
        return [
            Option(f"{month_name(month, self.locale):<16} "
                   + ngettext("{count} order", "{count} orders", count).format(count=count),
                   id=month)
            for month, count in self.months
        ]

    def chosen(self, option_id: str) -> str | None:
        return option_id
