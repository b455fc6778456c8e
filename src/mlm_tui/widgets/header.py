"""The two header lines every screen of the app shows.

Line one: the screen's title, the company, where the data lives and whether it is
reachable. Line two: who is signed in (name and registration number), the balance and
the points (this month's and the wallet's, labelled as the company calls them).

The header only reads: it watches the app's ``company``, ``account``, ``location``,
``online`` and ``outbox_counts`` (orders checked out offline) attributes and the
screen's title, so nothing has to tell it to redraw.
"""

from __future__ import annotations

from datetime import datetime

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from mlm_tui.display import data_text
from mlm_tui.formats import shown_locale
from mlm_tui.i18n import _

WATCHED = ("company", "account", "location", "online", "outbox_counts", "prices_as_of")


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

        offline = bool(where) and not online
        state = [_("online") if online else _("OFFLINE")] if where else []
        to_send, waiting = getattr(app, "outbox_counts", (0, 0))
        if to_send:
            state.append(_("{count} queued").format(count=to_send))
        if waiting:
            state.append(_("{count} waiting").format(count=waiting))
        as_of = getattr(app, "prices_as_of", None)
        if offline and as_of is not None:  # last: the counts matter more
            state.append(_("prices as of {time}").format(
                time=as_of_text(as_of, datetime.now(), company.locale if company else "en")))
        # The title may be a member's name (their overview), the place the company's.
        heading = data_text(self.screen.title, style="bold")
        width = self.size.width
        names = [company.name if company else "", where]
        if offline:
            # The state says what offline work needs; the screen's title stays whole
            # before the server's address, then the company's name, are shown.
            names = _names_that_fit(heading, names, state, width)
        place = [part for part in names if part] + state
        title = (heading, data_text(" · ".join(place)))

        if account is None:
            return _lines(title, (Text(_("Not logged in"), style="italic"), Text("")),
                          apart=offline)
        from mlm_tui.widgets.money import money_text, points_text  # signed in: not at start

        member = account.member
        figures = data_text(" · ".join((
            _("Balance {amount}").format(amount=money_text(account.balance, company)),
            _("Month {points}").format(points=points_text(account.points_this_month, company)),
            _("Wallet {points}").format(points=points_text(account.points, company)),
        )))
        # The figures are what the line is for; who is signed in takes what is left.
        room = width - figures.cell_len - _GAP
        return _lines(title, (who_text(member.full_name, member.registration_number, room),
                              figures), width=width, apart=offline)


def as_of_text(when: datetime, now: datetime, locale: str) -> str:
    """"14:05" today; the date too when the prices were read on another day."""
    from babel.dates import format_date

    shown = when.strftime("%H:%M")
    if when.date() == now.date():
        return shown
    return f"{format_date(when.date(), 'short', locale=shown_locale(locale))} {shown}"


def _names_that_fit(heading: Text, names: list[str], state: list[str],
                    width: int) -> list[str]:
    """``names`` (the company's, the server's address) as far as line one has room for
    them beside the title and the state: the address goes first, then the company."""
    names = list(names)
    for dropped in (1, 0):
        place = " · ".join([part for part in names if part] + state)
        if not width or heading.cell_len + _GAP + Text(place).cell_len <= width:
            break
        names[dropped] = ""
    return names


def _lines(first: tuple[Text, Text], second: tuple[Text, Text], *, width: int = 0,
           apart: bool = False) -> RenderableType:
    """The two lines, each left part taking the room its right part leaves. In one grid
    the right column is as wide as the wider right part: when that would cut the title
    (the figures of line two are long in German), or ``apart`` (offline, the place is
    long and would squeeze who is signed in), each line is a grid of its own."""
    title, place = first
    fits = not width or title.cell_len + _GAP + max(place.cell_len, second[1].cell_len) <= width
    if fits and not apart:
        return _grid(first, second)
    return Group(_grid(first), _grid(second))


def _grid(*rows: tuple[Text, Text]) -> Table:
    grid = Table.grid(expand=True, padding=(0, 1))
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(justify="right", no_wrap=True)
    for row in rows:
        grid.add_row(*row)
    return grid


_GAP = 2  # between the two columns, as the grid pads them


def who_text(full_name: str, number: str, room: int) -> Text:
    """The signed-in member in ``room`` cells: her name and number; when they do not fit,
    her name shortened and the number whole (the number is what a consultant quotes);
    then the number alone."""
    who = data_text(full_name, style="bold")
    label = _("No. {number}").format(number=number)
    if who.cell_len + 1 + len(label) <= room:
        return who.append(" " + label)
    name_room = room - 1 - len(label)
    if name_room >= _SHORTEST_NAME:
        who.truncate(name_room, overflow="ellipsis")
        return who.append(" " + label)
    return Text(number if len(number) <= room else "")


_SHORTEST_NAME = 4  # three letters and the ellipsis still say whose it is
