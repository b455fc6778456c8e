"""The two header lines every screen of the app shows.

Line one: the screen's title, the company, where the data lives and whether it is
reachable. Line two: who is signed in (name and registration number), the balance and
the points (this month's and the wallet's, labelled as the company calls them).

The header only reads: it watches the app's ``company``, ``account``, ``location`` and
``online`` attributes and the screen's title, so nothing has to tell it to redraw.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from mlm_tui.display import data_text
from mlm_tui.i18n import _
from mlm_tui.widgets.money import money_text, points_text

WATCHED = ("company", "account", "location", "online")


def location_text(location: str) -> str:
    """``local: /path/store.db`` -> "local store"; a server URL stays as it is."""
    if not location:
        return ""
    if location.startswith("local"):
        return _("local store")
    return location.removeprefix("https://").removeprefix("http://").rstrip("/")


class AccountHeader(Widget):
    DEFAULT_CSS = """
    AccountHeader {
        dock: top;
        height: 2;
        background: $panel;
        color: $foreground;
    }
    """

    def on_mount(self) -> None:
        for name in WATCHED:
            if hasattr(self.app, name):
                self.watch(self.app, name, self._changed, init=False)
        self.watch(self.screen, "title", self._changed, init=False)

    def _changed(self, _value: object = None) -> None:
        self.refresh()

    def render(self) -> RenderableType:
        app = self.app
        company = getattr(app, "company", None)
        account = getattr(app, "account", None)
        where = location_text(getattr(app, "location", ""))
        online = getattr(app, "online", True)

        grid = Table.grid(expand=True, padding=(0, 1))
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)

        place = [part for part in (company.name if company else "", where) if part]
        if where:
            place.append(_("online") if online else _("OFFLINE"))
        # The title may be a member's name (their overview), the place the company's.
        grid.add_row(data_text(self.screen.title, style="bold"), data_text(" · ".join(place)))

        if account is None:
            grid.add_row(Text(_("Not logged in"), style="italic"), Text(""))
        else:
            member = account.member
            who = data_text(member.full_name, style="bold")
            who.append(" " + _("No. {number}").format(number=member.registration_number))
            figures = " · ".join((
                _("Balance {amount}").format(amount=money_text(account.balance, company)),
                _("Month {points}").format(points=points_text(account.points_this_month, company)),
                _("Wallet {points}").format(points=points_text(account.points, company)),
            ))
            grid.add_row(who, data_text(figures))
        return grid
