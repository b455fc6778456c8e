"""The warehouse's and the carriers' side of an order: shipping it and following its parcel.

- :func:`ship_orders`: the warehouse handed parcels to carriers (a file or the service's
  endpoint). Each order moves to shipped, gets its parcel, tracking number and delivery
  window, and its buyer a note in the inbox. An order paid from the balance ships once
  paid; one paid to the courier or at the service centre ships before its money arrives
  (the payment is confirmed later, see :mod:`mlm_tui.core.local.payments`).
- :func:`record_carrier_events`: what the carriers say. Each event goes on the parcel's
  timeline and may move the window; "delivered" delivers the order (claims become
  possible), "returned" on a parcel still on its way opens a delivery stop the service
  decides (:mod:`mlm_tui.core.local.delivery_stops`).

Each call is one transaction: the records that can be applied are, the others are
reported with why not (a template and its params, read in the reader's language), and a
failure half-way applies
nothing. Applying the same file again changes nothing: a parcel already shipped with the
same tracking number and an event already on its timeline are reported as seen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, select, update

from mlm_tui.core.local import schema as t
from mlm_tui.core.local.base import read_company
from mlm_tui.core.local.orders import move_status, notify
from mlm_tui.core.local.stop_queue import open_stop
from mlm_tui.core.local.store import Store
from mlm_tui.core.models import (
    CompanyProfile,
    NotificationKind,
    OrderStatus,
    PaymentMethod,
    ShipmentStatus,
)
from mlm_tui.core.notices import NoticeCode
from mlm_tui.core.rules.payment import paid_when_placed
from mlm_tui.core.shipment_files import CarrierEventRecord, ShipmentRecord
from mlm_tui.i18n import N_

# The window promised when a parcel leaves, until its carrier says better.
FIRST_DAY, LAST_DAY = 2, 5
# A record dated later than now (plus a clock's drift) is a mistake in the file.
DRIFT = timedelta(minutes=10)
_ON_THE_WAY = (ShipmentStatus.LABEL_CREATED.value, ShipmentStatus.IN_TRANSIT.value,
               ShipmentStatus.OUT_FOR_DELIVERY.value)
# The timeline's words for an event its carrier sent without any (translated when shown).
EVENT_WORDS = {
    ShipmentStatus.IN_TRANSIT: N_("in transit"),
    ShipmentStatus.OUT_FOR_DELIVERY: N_("out for delivery"),
    ShipmentStatus.DELIVERED: N_("delivered"),
    ShipmentStatus.RETURNED: N_("returned to the sender"),
}
HANDED_OVER = N_("handed to the carrier")

# Why a record was not applied: a template and its params; ("", {}) when it was.
Why = tuple[str, dict[str, object]]
DONE: Why = ("", {})


def _why(template: str, **params: object) -> Why:
    return template, params


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one record: ``done`` (applied), ``seen`` (applied before) or
    ``refused`` with ``why``: a template for the reader's language, filled with
    ``why_params`` (an order's status travels as its code; the reader shows its word)."""

    line: int
    key: str  # the order number or tracking number the record names
    result: str
    why: str = ""
    why_params: dict[str, object] = field(default_factory=dict)

    @property
    def english(self) -> str:
        """Why, in the source language (an order's status as its code)."""
        return self.why.format_map(self.why_params) if self.why_params else self.why


class Result:
    DONE = "done"
    SEEN = "seen"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class ImportReport:
    outcomes: tuple[Outcome, ...]

    def count(self, result: str) -> int:
        return sum(1 for o in self.outcomes if o.result == result)

    @property
    def refused(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.result == Result.REFUSED)


def _outcome(line: int, key: str, why: Why | None) -> Outcome:
    if why is None:
        return Outcome(line, key, Result.SEEN)
    if not why[0]:
        return Outcome(line, key, Result.DONE)
    return Outcome(line, key, Result.REFUSED, why[0], why[1])


# --- shipping -------------------------------------------------------------------------------


def ship_orders(store: Store, records: Iterable[ShipmentRecord], *,
                now: datetime) -> ImportReport:
    outcomes = []
    with store.write() as conn:
        company = read_company(conn)
        for record in records:
            why = _ship(conn, record, now, company)
            outcomes.append(_outcome(record.line, record.order_number, why))
    return ImportReport(tuple(outcomes))


def _ship(conn: Connection, record: ShipmentRecord, now: datetime,
          company: CompanyProfile) -> Why | None:
    """Ship one order: DONE when done, None when it was shipped so before, else why not."""
    o, s = t.orders, t.shipments
    row = conn.execute(select(o).where(o.c.number == record.order_number)).first()
    if row is None:
        return _why(N_("no such order"))
    shipped = conn.execute(select(s.c.tracking_number).where(s.c.order_id == row.id)
                           ).scalar_one_or_none()
    if shipped is not None:
        return None if shipped == record.tracking_number else _why(
            N_("already shipped with tracking number {number}"), number=shipped)
    if company.carrier(record.carrier) is None:
        known = ", ".join(c.code for c in company.carriers)
        return _why(N_("unknown carrier \"{carrier}\" (known: {known})"), carrier=record.carrier,
                    known=known)
    if conn.execute(select(s.c.id).where(s.c.tracking_number == record.tracking_number)
                    ).first() is not None:
        return _why(N_("tracking number {number} is another order's"),
                    number=record.tracking_number)
    if record.shipped_at > now + DRIFT:
        return _why(N_("{field} is in the future"), field="shipped_at")
    if record.shipped_at < row.placed_at:
        return _why(N_("{field} is before the order was placed"), field="shipped_at")
    status = OrderStatus(row.status)
    if status is OrderStatus.PLACED and paid_when_placed(PaymentMethod(row.payment_method)):
        return _why(N_("not paid yet"))
    if status not in (OrderStatus.PAID, OrderStatus.PLACED):
        return _why(N_("the order is {status}"), status=status)
    move_status(conn, row, OrderStatus.SHIPPED, record.shipped_at, N_("shipped"))
    day = record.shipped_at.date()
    shipment_id = conn.execute(s.insert().values(
        order_id=row.id, carrier=record.carrier, tracking_number=record.tracking_number,
        shipped_at=record.shipped_at, status=ShipmentStatus.IN_TRANSIT.value,
        estimated_from=day + timedelta(days=FIRST_DAY),
        estimated_to=day + timedelta(days=LAST_DAY)).returning(s.c.id)).scalar_one()
    conn.execute(t.shipment_events.insert().values(
        shipment_id=shipment_id, at=record.shipped_at, station="", description=HANDED_OVER))
    notify(conn, row.placed_by_id, now, NotificationKind.SHIPPING, NoticeCode.ORDER_SHIPPED,
           {"number": row.number}, company.locale)
    return DONE


# --- carrier events -------------------------------------------------------------------------


def record_carrier_events(store: Store, records: Iterable[CarrierEventRecord], *,
                          now: datetime) -> ImportReport:
    outcomes = []
    with store.write() as conn:
        company = read_company(conn)
        # Oldest first: a file listing the newest event first still ends where the parcel is.
        for record in sorted(records, key=lambda r: (r.at, r.line)):
            why = _event(conn, record, now, company)
            outcomes.append(_outcome(record.line, record.tracking_number, why))
    return ImportReport(tuple(sorted(outcomes, key=lambda o: o.line)))


def _event(conn: Connection, record: CarrierEventRecord, now: datetime,
           company: CompanyProfile) -> Why | None:
    s, e = t.shipments, t.shipment_events
    parcel = conn.execute(select(s).where(s.c.tracking_number == record.tracking_number)
                          ).first()
    if parcel is None:
        return _why(N_("unknown tracking number"))
    description = record.description or EVENT_WORDS[record.status]
    if conn.execute(select(e.c.id).where(
            e.c.shipment_id == parcel.id, e.c.at == record.at, e.c.station == record.station,
            e.c.description == description)).first() is not None:
        return None
    if record.at > now + DRIFT:
        return _why(N_("{field} is in the future"), field="at")
    if record.at < parcel.shipped_at:
        return _why(N_("{field} is before the parcel was shipped"), field="at")
    order = conn.execute(select(t.orders).where(t.orders.c.id == parcel.order_id)).one()
    why = _move(conn, record, parcel, order, now, company)
    if why[0]:
        return why
    conn.execute(e.insert().values(shipment_id=parcel.id, at=record.at,
                                   station=record.station, description=description))
    if record.expected_from is not None and record.status not in (
            ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED):
        conn.execute(update(s).where(s.c.id == parcel.id).values(
            estimated_from=record.expected_from, estimated_to=record.expected_to))
    return DONE


def _move(conn: Connection, record: CarrierEventRecord, parcel: Row[Any], order: Row[Any],
          now: datetime, company: CompanyProfile) -> Why:
    """What the event does to the parcel and its order; why not, when it cannot."""
    s = t.shipments
    status = OrderStatus(order.status)
    if record.status in (ShipmentStatus.IN_TRANSIT, ShipmentStatus.OUT_FOR_DELIVERY):
        if parcel.status in _ON_THE_WAY:  # a stopped or returned parcel keeps its state
            _parcel_status(conn, parcel.id, record.status)
        return DONE
    if record.status is ShipmentStatus.DELIVERED:
        if status is OrderStatus.STOP_REQUESTED:
            return _why(N_("a delivery stop awaits the service's decision: decide it first"))
        if status is not OrderStatus.SHIPPED:
            return _why(N_("the order is {status}"), status=status)
        move_status(conn, order, OrderStatus.DELIVERED, record.at, N_("delivered"))
        day = record.at.date()
        conn.execute(update(s).where(s.c.id == parcel.id).values(
            status=ShipmentStatus.DELIVERED.value, estimated_from=day, estimated_to=day))
        notify(conn, order.placed_by_id, now, NotificationKind.SHIPPING,
               NoticeCode.ORDER_DELIVERED, {"number": order.number, "day": day.isoformat()},
               company.locale)
        return DONE
    # Returned: the parcel is on its way back to the service centre.
    if status is OrderStatus.SHIPPED:
        move_status(conn, order, OrderStatus.STOP_REQUESTED, record.at,
                    N_("returned by the carrier"))
        open_stop(conn, order.id, record.at, returned=True)
        notify(conn, order.placed_by_id, now, NotificationKind.SHIPPING,
               NoticeCode.ORDER_RETURNED, {"number": order.number}, company.locale)
    elif status is not OrderStatus.STOP_REQUESTED:
        return _why(N_("the order is {status}"), status=status)
    _parcel_status(conn, parcel.id, ShipmentStatus.RETURNED)
    return DONE


def _parcel_status(conn: Connection, shipment_id: int, status: ShipmentStatus) -> None:
    s = t.shipments
    conn.execute(update(s).where(s.c.id == shipment_id).values(status=status.value))
