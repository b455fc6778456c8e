"""Points of the month: the header, the alerts and the team screens say the same figure.

Points are earned when an order is paid: an order waiting for its money (paid at the
service centre, say) adds nothing to any month figure until its payment is recorded.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert, select

from mlm_tui.core.local import LocalBackend
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.orders import record_payment
from mlm_tui.core.models import AlertKind
from tests import world


@pytest.fixture
def anna(world_orders, settings, clock):
    backend = LocalBackend(settings, clock=clock)
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    yield backend
    backend.close()


def order_points(backend, number: str) -> Decimal:
    with backend.store.read() as conn:
        return conn.execute(
            select(t.orders.c.points).where(t.orders.c.number == number)).scalar_one()


def month_figures(backend, member_id: int) -> dict[str, Decimal]:
    """Every place a member's points of this month are shown, as seen by that member."""
    figures = {
        "header": backend.account_summary().points_this_month,
        "volume": backend.monthly_volume(member_id, months=1)[-1].points,
    }
    shortfall = [a for a in backend.alerts() if a.kind is AlertKind.POINTS_SHORTFALL]
    target = backend.company().monthly_points_target
    figures["alert"] = target - shortfall[0].points if shortfall else target
    return figures


def test_an_unpaid_order_counts_nowhere_and_paid_orders_count_everywhere(anna):
    paid = order_points(anna, world.ORDER_ANNA_PAID)
    unpaid = order_points(anna, world.ORDER_ANNA_PLACED)
    assert paid > 0 and unpaid > 0
    figures = month_figures(anna, world.ANNA.id)
    assert figures == dict.fromkeys(figures, paid)


def test_an_order_counts_from_the_moment_it_is_paid(anna, clock):
    paid = order_points(anna, world.ORDER_ANNA_PAID)
    unpaid = order_points(anna, world.ORDER_ANNA_PLACED)
    with anna.store.write() as conn:  # the service centre confirms the payment
        order_id = conn.execute(select(t.orders.c.id).where(
            t.orders.c.number == world.ORDER_ANNA_PLACED)).scalar_one()
        record_payment(conn, order_id, clock.now + timedelta(hours=1), anna.company())
    figures = month_figures(anna, world.ANNA.id)
    assert figures == dict.fromkeys(figures, paid + unpaid)


def test_a_leader_sees_in_her_tree_what_the_member_sees_in_her_header(anna, settings, clock):
    with anna.store.write() as conn:  # Olga orders, to pay in cash at the door
        conn.execute(insert(t.orders).values(
            number="RU-2611-999001", buyer_id=world.OLGA_MSK.id,
            placed_by_id=world.OLGA_MSK.id, source="SO", status="placed", period_id=2,
            placed_at=clock.now - timedelta(hours=2), retail=Decimal(1000),
            discount=Decimal(200), delivery_fee=Decimal(0), total=Decimal(800),
            points=Decimal(40), payment_method="cash_to_courier", delivery_method="courier"))
    olga = LocalBackend(settings, clock=clock)
    olga.login(world.OLGA_MSK.registration_number, world.PASSWORD)
    try:
        own = month_figures(olga, world.OLGA_MSK.id)
    finally:
        olga.close()
    tree = {node.member.id: node.points_this_month
            for node in anna.team_children(world.ANNA.id)}
    seen_by_leader = anna.team_volume(world.ANNA.id, months=1)[world.OLGA_MSK.id][-1].points
    shown = {**own, "leader's tree": tree[world.OLGA_MSK.id], "leader's volume": seen_by_leader}
    assert shown == dict.fromkeys(shown, order_points(anna, world.ORDER_OLGA_SHIPPED))
