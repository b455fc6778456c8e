"""The home screen's alerts, as pure functions over what a Backend already knows.

Each function looks at one concern and returns an :class:`Alert` or ``None`` when all is
well; :func:`build_alerts` puts them in the order a consultant should act on them. No
I/O here: a backend gathers the data in one read and calls these.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from mlm_tui.core.models import (
    Alert,
    AlertKind,
    CompanyProfile,
    MemberRef,
    MemberStatus,
    PointsEntry,
    PointsKind,
)
from mlm_tui.core.retention_rules import add_months, retention_due_on

QUIET_MONTHS = 3  # "no order in three months"
WARN_DAYS = 30  # how far ahead expiries and removals are announced
MEMBERS_SHOWN = 20  # an alert names the most urgent few; ``count`` says how many in all


@dataclass(frozen=True, slots=True)
class MemberActivity:
    """A team member as the alerts see them: when they joined and last ordered."""

    member: MemberRef
    status: MemberStatus
    registered_at: datetime
    last_order_at: datetime | None


def month_end(today: date) -> date:
    return today.replace(day=calendar.monthrange(today.year, today.month)[1])


def days_left(today: date, until: date) -> int:
    """Days from today to ``until``, both counted: on the last day one day is left."""
    return (until - today).days + 1


def no_recent_order(team: Iterable[MemberActivity], today: date) -> Alert | None:
    """Active members whose last order (or joining, if they never ordered) is three months
    old or more; the longest silent first."""
    quiet_since = add_months(today, -QUIET_MONTHS)
    silent = sorted(
        (
            (activity.last_order_at or activity.registered_at, activity.member)
            for activity in team
            if activity.status is MemberStatus.ACTIVE
            and (activity.last_order_at or activity.registered_at).date() <= quiet_since
        ),
        key=lambda pair: (pair[0], pair[1].id),
    )
    if not silent:
        return None
    return Alert(
        AlertKind.NO_RECENT_ORDER,
        members=tuple(member for _, member in silent[:MEMBERS_SHOWN]),
        count=len(silent),
    )


def points_shortfall(points_this_month: Decimal, target: Decimal, today: date) -> Alert | None:
    """Own points still missing to the monthly target, and the days left to make them."""
    if points_this_month >= target:
        return None
    end = month_end(today)
    return Alert(
        AlertKind.POINTS_SHORTFALL,
        points=target - points_this_month,
        due_on=end,
        days_left=days_left(today, end),
    )


def unspent_lots(entries: Sequence[PointsEntry]) -> list[tuple[date, Decimal]]:
    """What is left of each earned lot, soonest expiry first.

    Spending and expiry take from the lots that expire first, the way the wallet is meant
    to be used: nobody loses points because they spent the long-lived ones.
    """
    earned = sorted((
        (entry.expires_on, entry.points) for entry in entries
        if entry.kind is PointsKind.EARNED and entry.expires_on is not None
    ), key=lambda lot: lot[0])
    taken = -sum((entry.points for entry in entries if entry.kind is not PointsKind.EARNED),
                 Decimal(0))
    left: list[tuple[date, Decimal]] = []
    for expires_on, points in earned:
        used = min(points, taken)
        taken -= used
        if points - used > 0:
            left.append((expires_on, points - used))
    return left


def expiring_points(entries: Sequence[PointsEntry], today: date) -> Alert | None:
    """Wallet points that expire within the warning window and are not spent yet."""
    horizon = today + timedelta(days=WARN_DAYS)
    soon = [(expires_on, points) for expires_on, points in unspent_lots(entries)
            if today <= expires_on <= horizon]
    if not soon:
        return None
    first = soon[0][0]
    return Alert(
        AlertKind.POINTS_EXPIRING,
        points=sum((points for _, points in soon), Decimal(0)),
        due_on=first,
        days_left=days_left(today, first),
    )


def inactivity_cutoff(
    team: Iterable[MemberActivity], company: CompanyProfile, today: date
) -> Alert | None:
    """Members the retention rules remove within the warning window (or already due)."""
    horizon = today + timedelta(days=WARN_DAYS)
    due = sorted(
        (
            (retention_due_on(activity.registered_at, activity.last_order_at, company)[1],
             activity.member)
            for activity in team
            if activity.status is not MemberStatus.CLOSED
        ),
        key=lambda pair: (pair[0], pair[1].id),
    )
    near = [(due_on, member) for due_on, member in due if due_on <= horizon]
    if not near:
        return None
    first = near[0][0]
    return Alert(
        AlertKind.INACTIVITY_CUTOFF,
        due_on=first,
        days_left=max(days_left(today, first), 0),
        members=tuple(member for _, member in near[:MEMBERS_SHOWN]),
        count=len(near),
    )


def build_alerts(
    *,
    team: Sequence[MemberActivity],
    points_this_month: Decimal,
    points_entries: Sequence[PointsEntry],
    company: CompanyProfile,
    today: date,
) -> list[Alert]:
    """Every alert that applies, the ones with a deadline first."""
    candidates = (
        points_shortfall(points_this_month, company.monthly_points_target, today),
        expiring_points(points_entries, today),
        inactivity_cutoff(team, company, today),
        no_recent_order(team, today),
    )
    return [alert for alert in candidates if alert is not None]
