"""Choose one of several members whose name matched: the city, number and last order tell
people with the same name apart."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from mlm_tui.core.dates import format_day
from mlm_tui.core.models import MemberMatch
from mlm_tui.display import data_text
from mlm_tui.i18n import N_, _


class PickMemberScreen(ModalScreen[MemberMatch | None]):
    DEFAULT_CSS = """
    PickMemberScreen { align: center middle; }
    PickMemberScreen > Vertical {
        width: 76; height: auto; max-height: 20; border: round $primary;
        background: $surface; padding: 0 1;
    }
    PickMemberScreen OptionList { height: auto; max-height: 16; border: none; }
    PickMemberScreen #pick-member-title { text-style: bold; }
    """

    BINDINGS = [Binding("escape", "close", N_("Close"), id="pick_member.close")]

    def __init__(self, matches: list[MemberMatch], locale: str) -> None:
        super().__init__()
        self.matches = {str(m.id): m for m in matches}
        self.locale = locale

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Several members match: which one?"), id="pick-member-title")
            yield OptionList(*(Option(data_text(self._describe(m)), id=key)
                               for key, m in self.matches.items()))

    def _describe(self, match: MemberMatch) -> str:
        last = (_("last order {day}").format(day=format_day(match.last_order_at, self.locale))
                if match.last_order_at else _("no order yet"))
        return f"{match.full_name} · {match.registration_number} · {match.city} · {last}"

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.matches.get(event.option.id or ""))

    def action_close(self) -> None:
        self.dismiss(None)
