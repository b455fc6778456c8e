"""Choose one of several members whose name matched: the city, number and last order tell
people with the same name apart."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets.option_list import Option

from mlm_tui.core.dates import format_day
from mlm_tui.core.models import MemberMatch
from mlm_tui.display import data_text
from mlm_tui.i18n import N_, _
from mlm_tui.screens.pick_one import PickOneScreen


class PickMemberScreen(PickOneScreen[MemberMatch]):
    DEFAULT_CSS = "PickMemberScreen > Vertical { width: 76; }"

    BINDINGS = [Binding("escape", "close", N_("Close"), id="pick_member.close")]

    def __init__(self, matches: list[MemberMatch], locale: str) -> None:
        super().__init__(_("Several members match: which one?"), "pick-member-title")
        self.matches = {str(m.id): m for m in matches}
        self.locale = locale

    def choices(self) -> list[Option]:
        return [Option(data_text(self._describe(m)), id=key) for key, m in self.matches.items()]

    def _describe(self, match: MemberMatch) -> str:
        last = (_("last order {day}").format(day=format_day(match.last_order_at, self.locale))
                if match.last_order_at else _("no order yet"))
        return f"{match.full_name} · {match.registration_number} · {match.city} · {last}"

    def chosen(self, option_id: str) -> MemberMatch | None:
        return self.matches.get(option_id)
