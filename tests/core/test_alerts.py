"""Home screen alerts: the pure rules, then what a signed-in consultant is shown."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert

from mlm_tui.core.alerts import (
    MemberActivity,
    build_alerts,
    expiring_points,
    inactivity_cutoff,
    no_recent_order,
    points_shortfall,
    unspent_lots,
)
from mlm_tui.core.company import demo_company
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.store import Store
from mlm_tui.core.models import AlertKind, MemberRef, MemberStatus, PointsEntry, PointsKind
from tests import world

TODAY = date(2026, 11, 20)
COMPANY = demo_company("ru")  # target 150 points; 3 months without order, 12 after the last


def activity(member_id: int, *, registered: datetime, last_order: datetime | None,
             status: MemberStatus = MemberStatus.ACTIVE) -> MemberActivity:
    return MemberActivity(MemberRef(member_id, f"10000{member_id:02d}", f"Member {member_id}"),
                          status, registered, last_order)


def earned(points: str, expires_on: date) -> PointsEntry:
    return PointsEntry(0, datetime(2026, 1, 1), PointsKind.EARNED, Decimal(points), expires_on)


def spent(points: str, kind: PointsKind = PointsKind.SPENT) -> PointsEntry:
    return PointsEntry(0, datetime(2026, 1, 1), kind, -Decimal(points))


# --- points short of the monthly target ------------------------------------------------------


def test_shortfall_counts_the_days_left_including_today():
    alert = points_shortfall(Decimal("37.5"), Decimal(150), TODAY)
    assert alert.kind is AlertKind.POINTS_SHORTFALL
    assert alert.points == Decimal("112.5")
    assert alert.due_on == date(2026, 11, 30)
    assert alert.days_left == 11
    assert points_shortfall(Decimal(0), Decimal(150), date(2026, 11, 30)).days_left == 1


def test_no_shortfall_once_the_target_is_reached():
    assert points_shortfall(Decimal(150), Decimal(150), TODAY) is None


# --- points about to expire ------------------------------------------------------------------


def test_spending_takes_from_the_lot_that_expires_first():
    lots = unspent_lots([earned("50", date(2027, 3, 1)), earned("30", date(2026, 12, 1)),
                         spent("40")])
    assert lots == [(date(2027, 3, 1), Decimal(40))]


def test_expiring_points_within_thirty_days_are_announced_with_the_first_date():
    alert = expiring_points([earned("120", date(2026, 12, 1)), spent("20"),
                             earned("10", date(2026, 12, 15)), earned("99", date(2027, 1, 5))],
                            TODAY)
    assert alert.kind is AlertKind.POINTS_EXPIRING
    assert alert.points == Decimal(110)
    assert alert.due_on == date(2026, 12, 1)
    assert alert.days_left == 12


def test_points_already_expired_or_spent_raise_no_alert():
    entries = [earned("30", date(2026, 11, 1)), spent("30", PointsKind.EXPIRED),
               earned("20", date(2026, 12, 1)), spent("20")]
    assert expiring_points(entries, TODAY) is None


# --- first level: silence and the retention cut-off -------------------------------------------


def test_members_silent_for_three_months_longest_silent_first():
    team = [
        activity(2, registered=datetime(2021, 1, 1), last_order=datetime(2026, 8, 21)),  # 3 m - 1 d
        activity(3, registered=datetime(2021, 1, 1), last_order=datetime(2026, 8, 20)),
        activity(4, registered=datetime(2021, 1, 1), last_order=datetime(2026, 2, 1)),
        activity(5, registered=datetime(2021, 1, 1), last_order=datetime(2026, 1, 1),
                 status=MemberStatus.PENDING),
    ]
    alert = no_recent_order(team, TODAY)
    assert [m.id for m in alert.members] == [4, 3]
    assert alert.count == 2


def test_cut_off_warns_a_month_ahead_for_both_rules():
    team = [
        # never ordered, registered 2 months and 25 days ago: removed in 5 days
        activity(2, registered=datetime(2026, 8, 25, 9), last_order=None,
                 status=MemberStatus.PENDING),
        # last order 11 months and 10 days ago: removed in 20 days
        activity(3, registered=datetime(2020, 1, 1), last_order=datetime(2025, 12, 10, 9)),
        # last order half a year ago: safe
        activity(4, registered=datetime(2020, 1, 1), last_order=datetime(2026, 5, 20, 9)),
    ]
    alert = inactivity_cutoff(team, COMPANY, TODAY)
    assert [m.id for m in alert.members] == [2, 3]
    assert alert.due_on == date(2026, 11, 25)
    assert alert.days_left == 6
    assert alert.count == 2


def test_nothing_to_say_when_all_is_well():
    team = [activity(2, registered=datetime(2020, 1, 1), last_order=datetime(2026, 11, 1))]
    assert build_alerts(team=team, points_this_month=Decimal(200), points_entries=[],
                        company=COMPANY, today=TODAY) == []


def test_deadlines_come_first():
    team = [activity(2, registered=datetime(2020, 1, 1), last_order=datetime(2025, 12, 1))]
    alerts = build_alerts(team=team, points_this_month=Decimal(0),
                          points_entries=[earned("5", date(2026, 12, 1))],
                          company=COMPANY, today=TODAY)
    assert [a.kind for a in alerts] == [AlertKind.POINTS_SHORTFALL, AlertKind.POINTS_EXPIRING,
                                        AlertKind.INACTIVITY_CUTOFF, AlertKind.NO_RECENT_ORDER]


# --- through the Backend ---------------------------------------------------------------------


def add_order(world_file, number: str, buyer: world.Person, placed_at: datetime,
              points: str = "40") -> None:
    store = Store(world_file)
    with store.write() as conn:
        conn.execute(insert(t.orders).values(
            number=number, buyer_id=buyer.id, placed_by_id=buyer.id, source="SO",
            status="delivered", period_id=2, placed_at=placed_at, retail=Decimal(2499),
            discount=Decimal(500), delivery_fee=Decimal(0), total=Decimal(1999),
            points=Decimal(points), payment_method="balance", delivery_method="pickup_point",
        ))
    store.close()


def test_anna_is_told_what_needs_doing(anna, world_file):
    add_order(world_file, "A-1", world.ANNA, world.NOW - timedelta(days=3), points="40")
    add_order(world_file, "A-2", world.ANNA, datetime(2026, 10, 31, 9), points="100")
    add_order(world_file, "A-3", world.IRINA, datetime(2026, 7, 1, 9))
    alerts = {alert.kind: alert for alert in anna.alerts()}

    shortfall = alerts[AlertKind.POINTS_SHORTFALL]
    assert shortfall.points == Decimal(110)  # October's order does not count for November
    assert shortfall.days_left == 11

    expiring = alerts[AlertKind.POINTS_EXPIRING]
    assert (expiring.points, expiring.due_on) == (Decimal(100), date(2026, 12, 1))

    # The Olgas never ordered: long past the cut-off. The newcomer joined yesterday.
    silent = {m.id for m in alerts[AlertKind.NO_RECENT_ORDER].members}
    assert silent == {world.OLGA_MSK.id, world.OLGA_KZN.id, world.IRINA.id}
    cut_off = {m.id for m in alerts[AlertKind.INACTIVITY_CUTOFF].members}
    assert cut_off == {world.OLGA_MSK.id, world.OLGA_KZN.id}
    # Klaus is Olga's, not Anna's; the closed account is gone; Petr is another team.
    everyone = silent | cut_off
    assert not everyone & {world.KLAUS.id, world.CLOSED.id, world.PETR.id}


def test_a_member_with_nothing_pending_sees_no_alerts(backend, world_file):
    add_order(world_file, "K-1", world.KLAUS, world.NOW - timedelta(days=1), points="150")
    backend.login(world.KLAUS.registration_number, world.PASSWORD)
    assert backend.alerts() == []
