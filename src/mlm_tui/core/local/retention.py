"""Account retention and personal data requests: operator tasks on the store itself.

The company's rules decide when an account goes: with no order ever, a fixed number of
months after registration; otherwise a number of months after the last order. "Going"
means anonymising: the row stays, so orders, invoices and ledgers keep adding up for the
accounting, but nothing in it points at a person any more.

These work on the :class:`Store` directly, not through the session-scoped Backend:
nobody signed in asks for them, an operator runs them from the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection, delete, func, or_, select, update

from mlm_tui.core.errors import NotFound
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.activity import last_orders_subquery
from mlm_tui.core.local.base import read_company
from mlm_tui.core.local.store import Store
from mlm_tui.core.models import MemberStatus
from mlm_tui.core.retention_rules import RetentionRule, retention_due_on


@dataclass(frozen=True, slots=True)
class RetentionCase:
    """One account and when the rules remove it."""

    member_id: int
    registration_number: str
    full_name: str
    registered_at: datetime
    last_order_at: datetime | None
    rule: RetentionRule
    due_on: date


@dataclass(frozen=True, slots=True)
class RetentionReport:
    as_of: datetime
    cases: tuple[RetentionCase, ...]
    applied: bool  # False: a dry run, nothing changed




def _due_cases(conn: Connection, today: date) -> list[RetentionCase]:
    m = t.members
    last = last_orders_subquery()
    rows = conn.execute(
        select(m.c.id, m.c.registration_number, m.c.full_name, m.c.registered_at,
               last.c.last_order_at)
        .select_from(m.outerjoin(last, last.c.member_id == m.c.id))
        .where(m.c.status != MemberStatus.CLOSED.value)
        .order_by(m.c.id)
    ).all()
    company = read_company(conn)
    cases = []
    for member_id, number, name, registered_at, last_order_at in rows:
        rule, due_on = retention_due_on(registered_at, last_order_at, company)
        if due_on <= today:
            cases.append(RetentionCase(member_id, number, name, registered_at, last_order_at,
                                       rule, due_on))
    return cases


def run_retention(store: Store, *, now: datetime, apply: bool = False) -> RetentionReport:
    """Find the accounts due today; with ``apply``, anonymise them all in one transaction."""
    if not apply:
        with store.read() as conn:
            return RetentionReport(now, tuple(_due_cases(conn, now.date())), applied=False)
    with store.write() as conn:
        cases = _due_cases(conn, now.date())
        for case in cases:
            _anonymise(conn, case.member_id, case.registration_number, now)
    return RetentionReport(now, tuple(cases), applied=True)


def anonymised_name(registration_number: str) -> str:
    return f"Removed member {registration_number}"


def _anonymise(conn: Connection, member_id: int, registration_number: str,
               now: datetime) -> None:
    m = t.members
    login_keys = conn.execute(
        select(m.c.email, m.c.phone).where(m.c.id == member_id)
    ).one()
    name = anonymised_name(registration_number)
    conn.execute(
        update(m)
        .where(m.c.id == member_id)
        .values(
            full_name=name, name_folded=name.casefold(), email=None, phone=None,
            birth_date=None, postcode=None, city=None, street=None, country=None,
            passport=None, password_hash=None, loyalty_enrolled=False, loyalty_since=None,
            status=MemberStatus.CLOSED.value,
            closed_at=func.coalesce(m.c.closed_at, now),
        )
    )
    # What could still reach or describe the person: sign-ins, codes, messages, the cart.
    for table in (t.sessions, t.one_time_codes, t.notifications, t.cart_lines, t.cart_choices):
        conn.execute(delete(table).where(table.c.member_id == member_id))
    keys = [registration_number.casefold()] + [k.casefold() for k in login_keys if k]
    conn.execute(delete(t.login_failures).where(t.login_failures.c.login_key.in_(keys)))


def _member_row(conn: Connection, registration_number: str):
    row = conn.execute(
        select(t.members).where(t.members.c.registration_number == registration_number.strip())
    ).one_or_none()
    if row is None:
        raise NotFound("no member with this registration number", field="registration_number")
    return row


def erase_personal_data(store: Store, registration_number: str, *, now: datetime) -> None:
    """Anonymise one account on the person's request, whenever the rules would."""
    with store.write() as conn:
        row = _member_row(conn, registration_number)
        _anonymise(conn, row.id, row.registration_number, now)


def export_personal_data(store: Store, registration_number: str) -> dict[str, object]:
    """Everything the store holds about one person, as JSON-ready data (a subject request)."""
    with store.read() as conn:
        row = _member_row(conn, registration_number)
        sponsor = _registration_number_of(conn, row.sponsor_id)
        enroller = _registration_number_of(conn, row.enroller_id)
        return {
            "registration_number": row.registration_number,
            "kind": row.kind,
            "status": row.status,
            "full_name": row.full_name,
            "email": row.email,
            "phone": row.phone,
            "birth_date": _text(row.birth_date),
            "passport": row.passport,
            "address": {
                "postcode": row.postcode, "city": row.city, "street": row.street,
                "country": row.country,
            },
            "sponsor": sponsor,
            "enroller": enroller,
            "registered_at": _text(row.registered_at),
            "activated_at": _text(row.activated_at),
            "closed_at": _text(row.closed_at),
            "loyalty_enrolled": bool(row.loyalty_enrolled),
            "loyalty_since": _text(row.loyalty_since),
            "orders": _orders(conn, row.id),
            "balance_ledger": _rows(conn, t.balance_ledger, row.id,
                                    ("at", "kind", "amount", "note")),
            "points_ledger": _rows(conn, t.points_ledger, row.id,
                                   ("at", "kind", "points", "expires_on", "note")),
            "notifications": _rows(conn, t.notifications, row.id,
                                   ("at", "kind", "title", "body", "read_at")),
            "training_completed": _rows(conn, t.training_progress, row.id,
                                        ("lesson", "completed_at"), order="lesson"),
        }


def _registration_number_of(conn: Connection, member_id: int | None) -> str | None:
    if member_id is None:
        return None
    return conn.execute(
        select(t.members.c.registration_number).where(t.members.c.id == member_id)
    ).scalar_one_or_none()


def _orders(conn: Connection, member_id: int) -> list[dict[str, object]]:
    o = t.orders
    rows = conn.execute(
        select(o.c.number, o.c.placed_at, o.c.source, o.c.status, o.c.total, o.c.points,
               o.c.payment_method, o.c.delivery_method, o.c.pickup_point)
        .where(or_(o.c.buyer_id == member_id, o.c.placed_by_id == member_id))
        .order_by(o.c.placed_at, o.c.id)
    ).all()
    return [{key: _text(value) for key, value in row._mapping.items()} for row in rows]


def _rows(conn: Connection, table, member_id: int, columns: tuple[str, ...],  # noqa: ANN001
          order: str = "id") -> list[dict[str, object]]:
    rows = conn.execute(
        select(*(table.c[name] for name in columns))
        .where(table.c.member_id == member_id)
        .order_by(table.c[order])
    ).all()
    return [{key: _text(value) for key, value in row._mapping.items()} for row in rows]


def _text(value: object) -> object:
    """JSON has no dates or decimals: ISO text and exact decimal strings."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
