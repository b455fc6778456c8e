"""Every parcel on its way, of the consultant and the whole team, across carriers.

One list instead of one carrier site per parcel: newest shipment first, with the carrier,
the tracking number (a link) and the last day of the delivery window; Enter opens the
parcel's tracking with its status and stations.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Static

from mlm_tui.core.dates import format_day
from mlm_tui.core.models import CompanyProfile, Shipment
from mlm_tui.display import data_text
from mlm_tui.formats import shown_locale
from mlm_tui.i18n import N_, _, ngettext
from mlm_tui.messages import Failed
from mlm_tui.screens.base import AppScreen, back_binding
from mlm_tui.screens.tracking import tracking_link
from mlm_tui.widgets.flex_table import ColumnSpec, FlexTable
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.order_text import delivery_window
from mlm_tui.widgets.status_line import StatusLine


def transit_columns() -> list[ColumnSpec]:
    return [
        ColumnSpec("order", _("Order"), 14),
        ColumnSpec("buyer", _("Buyer"), None),
        ColumnSpec("carrier", _("Carrier"), 8),
        ColumnSpec("number", _("Tracking no."), 17),
        ColumnSpec("window", _("Expected"), 10),
    ]


def transit_cells(shipment: Shipment, locale: str) -> list[Any]:
    window = (format_day(shipment.estimated_to, locale) if shipment.estimated_to
              else delivery_window(shipment, locale))
    return [
        shipment.order_number,
        data_text(shipment.buyer_name, no_wrap=True, overflow="ellipsis"),
        data_text(shipment.carrier.name, no_wrap=True, overflow="ellipsis"),
        tracking_link(shipment),
        window,
    ]


class InTransitScreen(AppScreen[None]):
    DEFAULT_CSS = """
    InTransitScreen #transit-info { height: auto; padding: 0 1; color: $text-muted; }
    InTransitScreen #transit-table { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        back_binding("in_transit.back"),
        Binding("r", "reload", N_("Refresh"), id="in_transit.reload"),
    ]

    @dataclass
    class Loaded(Message):
        shipments: list[Shipment]
        company: CompanyProfile

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        yield Static(_("Looking up parcels…"), id="transit-info", markup=False)
        yield FlexTable(transit_columns(), id="transit-table")
        yield StatusLine(id="transit-status", hidden_when_empty=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Parcels on the way")
        self.query_one("#transit-table").focus()
        self.load()

    def action_reload(self) -> None:
        self.load()

    def load(self) -> None:
        self.read_with_company(lambda: self.backend.shipments_in_transit(), self.Loaded,
                               group="transit-load")

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        locale = shown_locale(message.company.locale)
        self.query_one("#transit-table", FlexTable).fill(
            [(s.order_number, transit_cells(s, locale)) for s in message.shipments])
        self.query_one("#transit-info", Static).update(data_text(_summary(message.shipments)))

    @on(DataTable.RowSelected, "#transit-table")
    def _open(self) -> None:
        number = self.query_one("#transit-table", FlexTable).current_key
        if number:
            from mlm_tui.screens.tracking import TrackingScreen

            self.app.push_screen(TrackingScreen(number))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#transit-status", StatusLine).show(message.error.message, error=True)


def _summary(shipments: list[Shipment]) -> str:
    if not shipments:
        return _("No parcel is on its way.")
    by_carrier = Counter(s.carrier.name for s in shipments)
    head = ngettext("{count} parcel on the way", "{count} parcels on the way",
                    len(shipments)).format(count=len(shipments))
    return head + ": " + " · ".join(f"{name} {count}" for name, count in
                                    by_carrier.most_common())
