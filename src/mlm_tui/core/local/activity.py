"""When each member last bought: what keeps an account alive, for retention and alerts.

A module of its own because both need it: the backend's alerts and the operator's
retention run, which builds on the backend's modules (a home in either would make each
import the other).
"""

from __future__ import annotations

from sqlalchemy import Subquery, func, select, type_coerce, union_all

from mlm_tui.core.local import schema as t
from mlm_tui.core.models import OrderStatus

# Orders that never became a purchase do not keep an account alive.
NOT_A_PURCHASE = (OrderStatus.CANCELLED.value,)


def last_orders_subquery() -> Subquery:
    """Each member's last purchase, as buyer or as the consultant who placed it.

    A consultant who orders only for customers is still active, so placing counts too.
    """
    o = t.orders
    bought = select(o.c.buyer_id.label("member_id"), o.c.placed_at).where(
        o.c.status.not_in(NOT_A_PURCHASE)
    )
    placed = select(o.c.placed_by_id.label("member_id"), o.c.placed_at).where(
        o.c.status.not_in(NOT_A_PURCHASE)
    )
    activity = union_all(bought, placed).subquery("activity")
    return (
        select(
            activity.c.member_id,
            # The union loses the column type; without it the stored text would come back.
            type_coerce(func.max(activity.c.placed_at), t.IsoDateTime()).label("last_order_at"),
        )
        .group_by(activity.c.member_id)
        .subquery("last_orders")
    )
