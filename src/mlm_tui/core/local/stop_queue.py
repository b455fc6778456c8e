"""Opening a delivery stop and reading where it stands: what the member's side needs.

The service's side (the queue and its decisions) is :mod:`mlm_tui.core.local.delivery_stops`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, select, update

from mlm_tui.core.local import schema as t
from mlm_tui.core.models import DeliveryStop, DeliveryStopState
from mlm_tui.core.money import Money


def open_stop(conn: Connection, order_id: int, at: datetime, *, returned: bool) -> None:
    """Queue the order's stop for the service (inside the caller's transaction)."""
    d = t.delivery_stops
    if conn.execute(select(d.c.id).where(d.c.order_id == order_id)).first() is not None:
        # A stop refused before and asked again: it waits for a decision again.
        conn.execute(update(d).where(d.c.order_id == order_id).values(
            requested_at=at, returned=returned, state=DeliveryStopState.REQUESTED.value,
            decided_at=None, decided_by="", credit=None, note=""))
        return
    conn.execute(d.insert().values(order_id=order_id, requested_at=at, returned=returned,
                                   state=DeliveryStopState.REQUESTED.value))


def stop_of(conn: Connection, order_id: int, currency: str) -> DeliveryStop | None:
    d, o = t.delivery_stops, t.orders
    row = conn.execute(select(d, o.c.number).select_from(d.join(o, o.c.id == d.c.order_id))
                       .where(d.c.order_id == order_id)).first()
    return None if row is None else stop_from_row(row, currency)


def stop_from_row(row: Row[Any], currency: str) -> DeliveryStop:
    return DeliveryStop(
        order_number=row.number, requested_at=row.requested_at,
        state=DeliveryStopState(row.state), decided_at=row.decided_at,
        credit=None if row.credit is None else Money(row.credit, currency),
        note=row.note, returned=bool(row.returned))
