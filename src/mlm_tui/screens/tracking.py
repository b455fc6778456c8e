"""Where a parcel is: carrier, tracking number, ship date, status, stations, delivery window.

The tracking number is a terminal hyperlink to the carrier's page (the URL comes from the
carrier's template in the company profile); the address is printed below it as well, for
terminals that do not follow links.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from mlm_tui.core.changes import ChangeKind
from mlm_tui.core.dates import format_day
from mlm_tui.core.models import CompanyProfile, Shipment
from mlm_tui.display import data_text, link_target
from mlm_tui.formats import shown_locale
from mlm_tui.i18n import N_, _, ngettext
from mlm_tui.messages import Failed
from mlm_tui.screens.base import AppScreen, back_binding
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.order_text import delivery_window, shipment_status_label
from mlm_tui.widgets.status_line import StatusLine
from mlm_tui.widgets.tracking_timeline import TrackingTimeline


def tracking_url(shipment: Shipment) -> str:
    """The carrier's page for the parcel, when it has one that a terminal may open."""
    if not shipment.carrier.tracking_url:
        return ""
    return link_target(shipment.tracking_link) or ""


def tracking_link(shipment: Shipment) -> Text:
    """The tracking number, underlined and linked to the carrier's page when there is one."""
    url = tracking_url(shipment)
    if not url:
        return data_text(shipment.tracking_number)
    return data_text(shipment.tracking_number,
                     style=Style(link=url, underline=True, bold=True))


def shipment_facts(shipment: Shipment, locale: str) -> Text:
    rows: list[tuple[str, Text | str]] = [
        (_("Order"), data_text(shipment.order_number + (f" · {shipment.buyer_name}"
                                                        if shipment.buyer_name else ""))),
        (_("Carrier"), data_text(shipment.carrier.name)),
        (_("Tracking number"), tracking_link(shipment)),
        (_("Shipped"), format_day(shipment.shipped_at, locale)),
        (_("Status"), shipment_status_label(shipment.status)),
        (_("Delivery window"), delivery_window(shipment, locale)),
    ]
    width = max(len(label) for label, _value in rows) + 2
    text = Text()
    for label, value in rows:
        text.append(f"{label + ':':<{width}}")
        text.append(value if isinstance(value, Text) else Text(value))
        text.append("\n")
    text.rstrip()
    return text


def refresh_news(before: Shipment | None, now: Shipment | None) -> str:
    """What a refresh found, compared with what was shown."""
    if now is None:
        return _("Refreshed: the order is not shipped yet.")
    if before is None:
        return _("Refreshed: the parcel is on its way.")
    new = len(now.events) - len(before.events)
    if now.status != before.status:
        return _("Refreshed: the parcel is now {status}.").format(
            status=shipment_status_label(now.status))
    if new > 0:
        return ngettext("Refreshed: {n} new station.", "Refreshed: {n} new stations.",
                        new).format(n=new)
    return _("Refreshed: no news from the carrier.")


class TrackingScreen(AppScreen[None]):
    DEFAULT_CSS = """
    TrackingScreen #tracking-body { padding: 0 1; }
    TrackingScreen #tracking-facts { height: auto; }
    TrackingScreen #tracking-parcel { height: auto; }
    TrackingScreen #tracking-url { color: $text-muted; height: auto; margin-bottom: 1; }
    TrackingScreen .section { text-style: bold; color: $primary; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        back_binding("tracking.back"),
        Binding("r", "reload", N_("Refresh"), id="tracking.reload"),
    ]
    # The carriers' events arrive at the store as they come: the timeline follows them.
    SHOWS = frozenset({ChangeKind.ORDERS})

    @dataclass
    class Loaded(Message):
        shipment: Shipment | None
        company: CompanyProfile

    def __init__(self, order_number: str) -> None:
        super().__init__()
        self.order_number = order_number
        self.shipment: Shipment | None = None
        self._reloading = False

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        with VerticalScroll(id="tracking-body"):
            yield Static(_("Looking up the parcel…"), id="tracking-facts")
            with Vertical(id="tracking-parcel"):
                yield Static("", id="tracking-url", markup=False)
                yield Static(_("Stations"), classes="section")
                yield TrackingTimeline(id="tracking-timeline")
        yield StatusLine(id="tracking-status", hidden_when_empty=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Parcel {number}").format(number=self.order_number)
        self.query_one("#tracking-body").focus()
        self.query_one("#tracking-parcel").display = False
        self.load()

    def reload_changed(self) -> None:
        self.load()

    def action_reload(self) -> None:
        # Said at once and again when done: a refresh that finds nothing new must not look
        # like a key that does nothing.
        self._reloading = True
        self._status(_("Asking the carrier for news…"))
        self.load()

    def load(self) -> None:
        self.read_with_company(lambda: self.backend.shipment(self.order_number), self.Loaded,
                               group="tracking-load")

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        before = self.shipment
        self.shipment = shipment = message.shipment
        if self._reloading:
            self._reloading = False
            self._status(refresh_news(before, shipment))
        facts = self.query_one("#tracking-facts", Static)
        if shipment is None:
            facts.update(data_text(_(
                "Order {number} is not shipped yet: there is nothing to track."
            ).format(number=self.order_number)))
            return
        locale = shown_locale(message.company.locale)
        self.query_one("#tracking-parcel").display = True
        facts.update(shipment_facts(shipment, locale))
        self.query_one("#tracking-url", Static).update(tracking_url(shipment))
        self.query_one(TrackingTimeline).show(shipment.events, locale)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._reloading = False
        self._status(message.error.message, error=True)

    def _status(self, text: str, *, error: bool = False) -> None:
        self.query_one("#tracking-status", StatusLine).show(text, error=error)
