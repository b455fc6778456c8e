"""LocalBackend: the home screen's alerts, gathered in one read."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, func, select

from mlm_tui.core.alerts import MemberActivity, build_alerts
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.base import LocalBase
from mlm_tui.core.local.retention import last_orders_subquery
from mlm_tui.core.models import (
    Alert,
    MemberRef,
    MemberStatus,
    OrderStatus,
    PointsEntry,
    PointsKind,
)

# Orders that earned no points: they never became (or stopped being) a purchase.
_NO_POINTS = (OrderStatus.CANCELLED.value, OrderStatus.CREDITED.value)


class AlertsMixin(LocalBase):
    def alerts(self) -> list[Alert]:
        me = self._me_id()
        now = self.clock()
        with self.store.read() as conn:
            team = _first_level(conn, me)
            points = _points_this_month(conn, me, now)
            entries = _points_entries(conn, me)
        return build_alerts(
            team=team,
            points_this_month=points,
            points_entries=entries,
            company=self.company(),
            today=now.date(),
        )


def _first_level(conn: Connection, me: int) -> list[MemberActivity]:
    """The members a consultant looks after herself: her first level.

    Deeper levels have their own sponsors to call them; a leader's whole downline would
    bury the few that are hers.
    """
    m = t.members
    last = last_orders_subquery()
    rows = conn.execute(
        select(m.c.id, m.c.registration_number, m.c.full_name, m.c.status, m.c.registered_at,
               last.c.last_order_at)
        .select_from(m.outerjoin(last, last.c.member_id == m.c.id))
        .where(m.c.sponsor_id == me, m.c.status != MemberStatus.CLOSED.value)
    ).all()
    return [
        MemberActivity(
            MemberRef(row.id, row.registration_number, row.full_name),
            MemberStatus(row.status),
            row.registered_at,
            row.last_order_at,
        )
        for row in rows
    ]


def _points_this_month(conn: Connection, me: int, now: datetime) -> Decimal:
    o = t.orders
    first_day = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    total = conn.execute(
        select(func.sum(o.c.points)).where(
            o.c.buyer_id == me,
            o.c.placed_at >= first_day,
            o.c.status.not_in(_NO_POINTS),
        )
    ).scalar_one()
    return total if total is not None else Decimal(0)


def _points_entries(conn: Connection, me: int) -> list[PointsEntry]:
    p = t.points_ledger
    rows = conn.execute(
        select(p.c.id, p.c.at, p.c.kind, p.c.points, p.c.expires_on, p.c.note)
        .where(p.c.member_id == me)
        .order_by(p.c.id)
    ).all()
    return [
        PointsEntry(row.id, row.at, PointsKind(row.kind), row.points, row.expires_on, row.note)
        for row in rows
    ]
