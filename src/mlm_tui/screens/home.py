"""Home: what needs doing today.

Own points short of the monthly target, wallet points about to expire, first-level
members near the retention cut-off, and those who have not ordered for three months.
A member named in an alert opens their overview with Enter.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from mlm_tui.core.dates import format_day
from mlm_tui.core.models import Alert, AlertKind, CompanyProfile
from mlm_tui.display import data_text
from mlm_tui.formats import format_points, shown_locale
from mlm_tui.i18n import N_, _, ngettext
from mlm_tui.messages import Failed
from mlm_tui.screens.base import AppScreen
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader


def alert_text(alert: Alert, company: CompanyProfile) -> str:
    """One alert in a sentence, in the interface language."""
    locale, label = shown_locale(company.locale), company.points_label
    day = format_day(alert.due_on, locale)
    days = alert.days_left or 0
    if alert.kind is AlertKind.POINTS_SHORTFALL:
        return ngettext(
            "{points} {label} short of this month's target of {target}: {days} day left.",
            "{points} {label} short of this month's target of {target}: {days} days left.",
            days,
        ).format(points=format_points(alert.points, locale), label=label, days=days,
                 target=format_points(company.monthly_points_target, locale))
    if alert.kind is AlertKind.POINTS_EXPIRING:
        return _("{points} {label} in your wallet expire on {day}: spend them in the cart."
                 ).format(points=format_points(alert.points, locale), label=label, day=day)
    if alert.kind is AlertKind.INACTIVITY_CUTOFF and days <= 0:
        return ngettext(
            "{count} member of your first level is already due for removal; "
            "an order keeps the account:",
            "{count} members of your first level are already due for removal; "
            "an order keeps the account:",
            alert.count,
        ).format(count=alert.count)
    if alert.kind is AlertKind.INACTIVITY_CUTOFF:
        return ngettext(
            "{count} member of your first level is due for removal on {day}; "
            "an order keeps the account:",
            "{count} members of your first level are due for removal from {day}; "
            "an order keeps the account:",
            alert.count,
        ).format(count=alert.count, day=day)
    return ngettext(
        "{count} member of your first level has not ordered for three months:",
        "{count} members of your first level have not ordered for three months:",
        alert.count,
    ).format(count=alert.count)


class HomeScreen(AppScreen[None]):
    DEFAULT_CSS = """
    HomeScreen #greeting { padding: 0 1; height: auto; text-style: bold; }
    HomeScreen #alerts { height: 1fr; margin: 0 1; }
    """

    BINDINGS = [
        Binding("r", "refresh", N_("Refresh"), id="home.refresh"),
    ]

    class Loaded(Message):
        def __init__(self, name: str, alerts: list[Alert], company: CompanyProfile) -> None:
            super().__init__()
            self.greeting_name, self.alerts, self.company = name, alerts, company

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        yield Static(_("Loading…"), id="greeting")
        yield OptionList(id="alerts")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Home")
        self.load()

    def action_refresh(self) -> None:
        self.load()

    def load(self) -> None:
        def ask() -> Message:
            company = self.company_profile()
            # The greeting's name comes with the session: the alerts are the one request.
            session = self.mlm_app.session
            name = session.full_name if session else self.backend.me().full_name
            alerts = self.backend.alerts()
            return self.Loaded(name, alerts, company)

        self.in_background(ask, group="home")

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.query_one("#greeting", Static).update(
            data_text(_("Hello, {name}!").format(name=message.greeting_name)))
        options = self.query_one("#alerts", OptionList)
        options.clear_options()
        if not message.alerts:
            options.add_option(Option(_("Nothing needs doing today."), disabled=True))
        for index, alert in enumerate(message.alerts):
            if index:
                options.add_option(None)
            options.add_option(Option(Text("! ", style="bold") + data_text(
                alert_text(alert, message.company)), disabled=True))
            for member in alert.members:
                options.add_option(Option(
                    data_text(f"   {member.full_name}  {member.registration_number}"),
                    id=f"{alert.kind.value}:{member.id}"))
            if alert.count > len(alert.members):
                options.add_option(Option(
                    "   " + _("… and {more} more").format(more=alert.count - len(alert.members)),
                    disabled=True))
        options.focus()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#greeting", Static).update(data_text(message.error.message))

    @on(OptionList.OptionSelected, "#alerts")
    def _open_member(self, event: OptionList.OptionSelected) -> None:
        if not event.option.id:
            return
        from mlm_tui.screens.customer import CustomerScreen

        member_id = int(event.option.id.rsplit(":", 1)[1])
        self.app.push_screen(CustomerScreen(member_id))
