"""The service's queue of delivery stops.

A stop is opened when the buyer (or whoever placed the order) asks to stop a shipped
parcel (``request_delivery_stop``), or when the carrier sends the parcel back. Nothing is
credited then: the service asks the carrier, and decides once (:func:`decide_stop`):

- credited: the parcel came back; the order is credited as a shipped order's cancellation
  is (what it took from the balance, less the stop's fees), with a note in the inbox;
- refused: it could not be stopped (already at the door); the order is shipped again and
  the member reads why.

The member sees where the stop stands on the order itself (``Order.delivery_stop``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, select, true, update

from mlm_tui.core.errors import Conflict, NotFound, ValidationError
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.base import read_company
from mlm_tui.core.local.orders import credit_stopped_order, move_status, notify
from mlm_tui.core.local.stop_queue import stop_from_row
from mlm_tui.core.local.store import Store
from mlm_tui.core.models import (
    CompanyProfile,
    DeliveryStop,
    DeliveryStopState,
    NotificationKind,
    OrderStatus,
    ShipmentStatus,
)
from mlm_tui.core.money import Money
from mlm_tui.core.notices import NoticeCode, money_param
from mlm_tui.core.validation import refuse_unprintable
from mlm_tui.i18n import N_

MAX_NOTE = 200


@dataclass(frozen=True, slots=True)
class StopCase:
    """A delivery stop as the service sees it: whose order, what it is worth."""

    stop: DeliveryStop
    registration_number: str
    full_name: str
    total: Money


def list_stops(store: Store, *, open_only: bool = False) -> list[StopCase]:
    """The queue, oldest first."""
    d = t.delivery_stops
    where = d.c.state == DeliveryStopState.REQUESTED.value if open_only else true()
    with store.read() as conn:
        company = read_company(conn)
        rows = conn.execute(_case_query().where(where).order_by(d.c.requested_at, d.c.id)
                            ).all()
        return [_case(row, company) for row in rows]


def decide_stop(store: Store, order_number: str, *, credit: bool, now: datetime,
                decided_by: str, note: str = "") -> StopCase:
    """Credit the returned parcel, or refuse the stop (``note`` says why: required)."""
    # The member reads the note in her terminal: an escape code in it would act there.
    note = " ".join(refuse_unprintable(note or "", field="note", multiline=True).split())
    if len(note) > MAX_NOTE:
        raise ValidationError(N_("At most {most} characters."), field="note",
                              params={"most": MAX_NOTE})
    if not credit and not note:
        raise ValidationError(N_("Say why the stop is refused: the member reads it."),
                              field="note")
    d, o = t.delivery_stops, t.orders
    with store.write() as conn:
        company = read_company(conn)
        row = conn.execute(_case_query().where(o.c.number == order_number)).first()
        if row is None:
            raise NotFound(N_("There is no delivery stop for order {number}."),
                           field="number", params={"number": order_number})
        if row.state != DeliveryStopState.REQUESTED.value:
            raise Conflict(N_("The delivery stop for order {number} is already {state}."),
                           field="number", params={"number": order_number,
                                                   "state": row.state})
        order = conn.execute(select(o).where(o.c.id == row.order_id)).one()
        if credit:
            amount = credit_stopped_order(conn, order, now, company,
                                          N_("parcel returned, amount credited"),
                                          fees=not row.returned)
            _parcel_back(conn, order.id)
            state, said = DeliveryStopState.CREDITED, amount.amount
            notify(conn, order.placed_by_id, now, NotificationKind.SHIPPING,
                   NoticeCode.DELIVERY_STOP_CREDITED,
                   {"number": order_number, "credit": money_param(amount), "note": note},
                   company.locale)
        else:
            move_status(conn, order, OrderStatus.SHIPPED, now, N_("delivery stop refused"))
            _parcel_on_its_way(conn, order.id)
            state, said = DeliveryStopState.REFUSED, None
            notify(conn, order.placed_by_id, now, NotificationKind.SHIPPING,
                   NoticeCode.DELIVERY_STOP_REFUSED, {"number": order_number, "reason": note},
                   company.locale)
        changed = conn.execute(update(d).where(
            d.c.id == row.id, d.c.state == DeliveryStopState.REQUESTED.value).values(
            state=state.value, decided_at=now, decided_by=decided_by[:MAX_NOTE], credit=said,
            note=note)).rowcount
        if changed != 1:  # decided by someone else since it was read
            raise Conflict(N_("Order {number} changed meanwhile; look again."),
                           field="number", params={"number": order_number})
        return _case(conn.execute(_case_query().where(d.c.id == row.id)).one(), company)


def _parcel_back(conn: Connection, order_id: int) -> None:
    s = t.shipments
    conn.execute(update(s).where(s.c.order_id == order_id)
                 .values(status=ShipmentStatus.RETURNED.value))


def _parcel_on_its_way(conn: Connection, order_id: int) -> None:
    s = t.shipments
    conn.execute(update(s).where(s.c.order_id == order_id,
                                 s.c.status == ShipmentStatus.STOPPED.value)
                 .values(status=ShipmentStatus.IN_TRANSIT.value))


def _case_query() -> Any:
    d, o, m = t.delivery_stops, t.orders, t.members
    return (select(d, o.c.number, o.c.total, m.c.registration_number, m.c.full_name)
            .select_from(d.join(o, o.c.id == d.c.order_id)
                         .join(m, m.c.id == o.c.placed_by_id)))


def _case(row: Row[Any], company: CompanyProfile) -> StopCase:
    return StopCase(stop_from_row(row, company.currency), row.registration_number, row.full_name,
                    Money(row.total, company.currency))
