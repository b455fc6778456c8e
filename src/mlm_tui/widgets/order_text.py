"""How order words read on screen, the same on every screen: sources, statuses, flags."""

from __future__ import annotations

from mlm_tui.core.dates import format_day
from mlm_tui.core.models import (
    DeliveryMethod,
    OrderSource,
    OrderStatus,
    PaymentMethod,
    Shipment,
    ShipmentStatus,
)
from mlm_tui.core.order_checks import ENROLMENT_WINDOW_DAYS, FlagReason, OrderFlag
from mlm_tui.i18n import _
from mlm_tui.status_words import order_status_word

FLAG_MARK = "!"


def source_label(source: OrderSource) -> str:
    labels = {
        OrderSource.SO: _("standard order"),
        OrderSource.IO: _("internet order (customer)"),
        OrderSource.AS: _("loyalty order"),
        OrderSource.IN: _("enrolment order"),
    }
    return labels[source]


def source_short_label(source: OrderSource) -> str:
    """For narrow places: the legend under the grid, the source filter."""
    labels = {
        OrderSource.SO: _("standard"),
        OrderSource.IO: _("customer online"),
        OrderSource.AS: _("loyalty"),
        OrderSource.IN: _("enrolment"),
    }
    return labels[source]


def status_label(status: OrderStatus) -> str:
    return order_status_word(status)


def shipment_status_label(status: ShipmentStatus) -> str:
    labels = {
        ShipmentStatus.LABEL_CREATED: _("label created"),
        ShipmentStatus.IN_TRANSIT: _("in transit"),
        ShipmentStatus.OUT_FOR_DELIVERY: _("out for delivery"),
        ShipmentStatus.DELIVERED: _("delivered"),
        ShipmentStatus.STOPPED: _("stopped"),
        ShipmentStatus.RETURNED: _("returned"),
    }
    return labels[status]


def flag_text(flag: OrderFlag) -> str:
    """Why the order's source code looks wrong, in one sentence."""
    if flag.reason is FlagReason.LATE_ENROLMENT:
        return _(
            "IN (enrolment order) {days} days after registration; "
            "enrolment orders are placed within {window} days"
        ).format(days=flag.days_after_registration, window=ENROLMENT_WINDOW_DAYS)
    if flag.reason is FlagReason.LOYALTY_NOT_ENROLLED:
        return _("AS (loyalty order) but the buyer was not enrolled in the loyalty programme")
    return _("IO (customer internet order) but the buyer is a consultant; expected SO")


def payment_label(method: PaymentMethod) -> str:
    labels = {
        PaymentMethod.BALANCE: _("from the balance"),
        PaymentMethod.SERVICE_CENTRE: _("at the service centre"),
        PaymentMethod.CASH_TO_COURIER: _("cash to the courier"),
        PaymentMethod.INSTALMENTS: _("in instalments"),
    }
    return labels[method]


def delivery_label(method: DeliveryMethod) -> str:
    labels = {
        DeliveryMethod.PICKUP_POINT: _("pickup point"),
        DeliveryMethod.SERVICE_CENTRE: _("service centre"),
        DeliveryMethod.COURIER: _("courier"),
    }
    return labels[method]


def delivery_window(shipment: Shipment, locale: str) -> str:
    """``21.11.2026 – 24.11.2026``; one end alone when the carrier gave only one."""
    start, end = shipment.estimated_from, shipment.estimated_to
    if start and end and start != end:
        return f"{format_day(start, locale)} – {format_day(end, locale)}"
    if start or end:
        return format_day(start or end, locale)
    return _("not given by the carrier")


def shipment_summary(shipment: Shipment | None, locale: str) -> str:
    """One line for the order view: carrier, number, status and when it should arrive."""
    if shipment is None:
        return _("not shipped yet")
    parts = [shipment.carrier.name, shipment.tracking_number,
             shipment_status_label(shipment.status)]
    if shipment.status not in (ShipmentStatus.DELIVERED, ShipmentStatus.STOPPED,
                               ShipmentStatus.RETURNED):
        parts.append(_("expected {window}").format(window=delivery_window(shipment, locale)))
    return " · ".join(parts)
