"""LocalBackend: the home screen's alerts, gathered in one read."""

from __future__ import annotations

from sqlalchemy import Connection, select

from mlm_tui.core.alerts import MemberActivity, build_alerts
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.activity import last_orders_subquery
from mlm_tui.core.local.base import LocalBase
from mlm_tui.core.local.month_points import points_in_month
from mlm_tui.core.models import (
    Alert,
    MemberRef,
    MemberStatus,
    PointsEntry,
    PointsKind,
)


class AlertsMixin(LocalBase):
    def alerts(self) -> list[Alert]:
        me = self._me_id()
        now = self.clock()
        with self.store.read() as conn:
            team = _first_level(conn, me)
            points = points_in_month(conn, me, now.date())
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
