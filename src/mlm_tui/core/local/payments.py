"""Payment requests: money the company waits for, credited only when it has arrived.

A top-up by card, at a terminal or by transfer opens a request with a reference the
member quotes; an order to be paid elsewhere (at the service centre, to the courier)
opens one under its order number. Nothing is credited and no order is paid until the
request is confirmed, by one of:

- the payment provider's signed notification (the team server checks the signature and
  hands the event here: :func:`receive_provider_event`; the same event twice acts once);
- a bank statement, matched on the reference its transfers quote (:func:`import_statement`);
- the service by hand (:func:`confirm_payment`, :func:`reject_payment`);
- on a demo store only, the member's own "demo payment" step (``confirm_demo_payment``).

Confirming is one transaction: the request's state, the credit on the balance ledger
naming who confirmed it (or the order paid, with its wallet points), and a note in the
member's inbox. A request is decided once: a second decision is a ``Conflict`` and
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, select, true, update

from mlm_tui.core.errors import Conflict, NotFound, ValidationError
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.base import read_company
from mlm_tui.core.local.orders import notify, record_payment
from mlm_tui.core.local.store import Store
from mlm_tui.core.models import (
    CompanyProfile,
    LedgerKind,
    NotificationKind,
    OrderStatus,
    PaymentMethod,
    PaymentPurpose,
    PaymentRequest,
    PaymentSource,
    PaymentState,
    TopUpMethod,
)
from mlm_tui.core.money import Money
from mlm_tui.core.notices import NoticeCode, money_param
from mlm_tui.core.rules import numbers
from mlm_tui.core.statements import StatementEntry
from mlm_tui.i18n import N_

MoneyOf = Callable[[Decimal], Money]
MAX_NOTE = 200


@dataclass(frozen=True, slots=True)
class PaymentCase:
    """A payment request as the service sees it: whose it is."""

    request: PaymentRequest
    registration_number: str
    full_name: str


@dataclass(frozen=True, slots=True)
class ProviderEvent:
    """What a payment provider's notification says (its signature already checked)."""

    event_id: str
    reference: str
    succeeded: bool
    amount: Decimal
    currency: str


class ProviderOutcome:
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"  # this event was received before: nothing done again


@dataclass(frozen=True, slots=True)
class StatementLine:
    entry: StatementEntry
    reference: str | None  # the request it was matched to
    # Empty: credited; else why not, a template for the reader's language with its params.
    why_not: str = ""
    why_params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StatementReport:
    credited: tuple[StatementLine, ...]
    not_matched: tuple[StatementLine, ...]


# --- opening requests (inside the member's own transaction) --------------------------------


def open_top_up(conn: Connection, store: Store, member_id: int, amount: Decimal,
                method: TopUpMethod, now: datetime, money: MoneyOf) -> PaymentRequest:
    p = t.payment_requests
    sequence = store.next_id(conn, p)
    reference = numbers.top_up_reference(now, sequence)
    conn.execute(p.insert().values(
        id=sequence, reference=reference, member_id=member_id,
        purpose=PaymentPurpose.TOP_UP.value, method=method.value, amount=amount,
        state=PaymentState.PENDING.value, requested_at=now))
    return PaymentRequest(reference, PaymentPurpose.TOP_UP, method.value, money(amount),
                          PaymentState.PENDING, now)


def open_order_payment(conn: Connection, store: Store, order_id: int, number: str,
                       placed_by: int, method: PaymentMethod, total: Money,
                       now: datetime) -> None:
    """The order, just placed and paid elsewhere: its money is awaited under its order
    number."""
    if total.amount <= 0:
        return  # paid wholly with wallet points: nothing to wait for
    conn.execute(_INSERT_REQUEST, dict(
        id=store.next_id(conn, t.payment_requests), reference=number, member_id=placed_by,
        purpose=PaymentPurpose.ORDER.value, order_id=order_id,
        method=method.value, amount=total.amount,
        state=PaymentState.PENDING.value, requested_at=now))


# Built once: an order paid elsewhere opens its payment at every checkout.
_INSERT_REQUEST = t.payment_requests.insert()


# --- reading -------------------------------------------------------------------------------


def member_requests(conn: Connection, member_id: int, money: MoneyOf, *,
                    decided_since: datetime, limit: int = 20) -> tuple[PaymentRequest, ...]:
    """The member's top-ups still pending, and those refused or cancelled since
    ``decided_since``: what she asked for that is not in the ledger. Newest first."""
    p = t.payment_requests
    rows = conn.execute(
        _request_query().where(
            p.c.member_id == member_id, p.c.purpose == PaymentPurpose.TOP_UP.value,
            (p.c.state == PaymentState.PENDING.value)
            | ((p.c.state.in_((PaymentState.REJECTED.value, PaymentState.CANCELLED.value)))
               & (p.c.decided_at >= decided_since)))
        .order_by(p.c.id.desc()).limit(limit)).all()
    return tuple(_request(row, money) for row in rows)


def member_request(conn: Connection, member_id: int, reference: str,
                   money: MoneyOf) -> Row[Any]:
    """The member's own request by its reference; anyone else's is ``NotFound``."""
    row = _row(conn, reference)
    if row is None or row.member_id != member_id:
        raise NotFound(N_("There is no payment {reference}."), field="reference",
                       params={"reference": reference})
    return row


def member_request_now(conn: Connection, member_id: int, reference: str,
                       money: MoneyOf) -> PaymentRequest:
    return _request(member_request(conn, member_id, reference, money), money)


def list_payments(store: Store, *, state: PaymentState | None = None,
                  limit: int = 500) -> list[PaymentCase]:
    """Every member's payment requests, oldest pending first (the service's work list)."""
    p = t.payment_requests
    where = p.c.state == state.value if state is not None else true()
    with store.read() as conn:
        money = _money_of(read_company(conn))
        rows = conn.execute(_request_query(with_member=True).where(where)
                            .order_by(p.c.id).limit(limit)).all()
        return [_case(row, money) for row in rows]


def find_payment(store: Store, reference: str) -> PaymentCase:
    with store.read() as conn:
        money = _money_of(read_company(conn))
        return _case(_existing(conn, reference, with_member=True), money)


# --- deciding (the service, the provider, the bank statement) ------------------------------


def confirm_payment(store: Store, reference: str, *, now: datetime, source: PaymentSource,
                    decided_by: str) -> PaymentCase:
    """The money of ``reference`` arrived: credit the balance, or pay the order."""
    with store.write() as conn:
        company = read_company(conn)
        row = _existing(conn, reference)
        confirm_in(conn, row, now=now, source=source, decided_by=decided_by, company=company)
        return _case(_existing(conn, reference, with_member=True), _money_of(company))


def reject_payment(store: Store, reference: str, *, now: datetime, reason: str,
                   source: PaymentSource, decided_by: str) -> PaymentCase:
    """The money of ``reference`` will not come (declined, never paid): nothing is credited
    and the member's inbox says why."""
    reason = _reason(reason)
    with store.write() as conn:
        company = read_company(conn)
        row = _existing(conn, reference)
        reject_in(conn, row, now=now, source=source, decided_by=decided_by, reason=reason,
                  company=company)
        return _case(_existing(conn, reference, with_member=True), _money_of(company))


def confirm_in(conn: Connection, row: Row[Any], *, now: datetime, source: PaymentSource,
               decided_by: str, company: CompanyProfile) -> None:
    """Confirm one pending request inside the caller's transaction."""
    _decide(conn, row, PaymentState.CONFIRMED, now, source, decided_by, "")
    amount = money_param(Money(row.amount, company.currency))
    if row.purpose == PaymentPurpose.TOP_UP.value:
        conn.execute(t.balance_ledger.insert().values(
            member_id=row.member_id, at=now, kind=LedgerKind.TOP_UP.value, amount=row.amount,
            note=row.reference, source=source.value))
        notify(conn, row.member_id, now, NotificationKind.ACCOUNT, NoticeCode.TOP_UP_CONFIRMED,
               {"reference": row.reference, "amount": amount}, company.locale)
        return
    status = conn.execute(select(t.orders.c.status).where(t.orders.c.id == row.order_id)
                          ).scalar_one()
    # Paid to the courier or at the counter: the order may have shipped or arrived first.
    payable = (OrderStatus.PLACED.value, OrderStatus.SHIPPED.value, OrderStatus.DELIVERED.value)
    if status not in payable:
        raise Conflict(N_("Order {number} is {status}: its payment cannot be confirmed."),
                       field="reference", params={"number": row.reference, "status": status})
    record_payment(conn, row.order_id, now, company, note=N_("payment confirmed"))
    notify(conn, row.member_id, now, NotificationKind.ACCOUNT,
           NoticeCode.ORDER_PAYMENT_CONFIRMED, {"number": row.reference, "amount": amount},
           company.locale)


def reject_in(conn: Connection, row: Row[Any], *, now: datetime, source: PaymentSource,
              decided_by: str, reason: str, company: CompanyProfile) -> None:
    _decide(conn, row, PaymentState.REJECTED, now, source, decided_by, reason)
    amount = money_param(Money(row.amount, company.currency))
    if row.purpose == PaymentPurpose.TOP_UP.value:
        code, params = NoticeCode.TOP_UP_REJECTED, {"reference": row.reference}
    else:
        code, params = NoticeCode.ORDER_PAYMENT_REJECTED, {"number": row.reference}
    notify(conn, row.member_id, now, NotificationKind.ACCOUNT, code,
           {**params, "amount": amount, "reason": reason}, company.locale)


def _decide(conn: Connection, row: Row[Any], state: PaymentState, now: datetime,
            source: PaymentSource, decided_by: str, note: str) -> None:
    p = t.payment_requests
    if row.state != PaymentState.PENDING.value:
        raise Conflict(N_("Payment {reference} is already {state}."), field="reference",
                       params={"reference": row.reference, "state": row.state})
    changed = conn.execute(
        update(p).where(p.c.id == row.id, p.c.state == PaymentState.PENDING.value)
        .values(state=state.value, decided_at=now, source=source.value,
                decided_by=decided_by[:MAX_NOTE], note=note)).rowcount
    if changed != 1:  # decided by someone else since it was read
        raise Conflict(N_("Payment {reference} changed meanwhile; look again."),
                       field="reference", params={"reference": row.reference})


# --- the provider's notifications ----------------------------------------------------------


def receive_provider_event(store: Store, event: ProviderEvent, *, now: datetime) -> str:
    """Act on a provider's notification once: a success confirms the request, a failure
    rejects it. The event's id is kept in the same transaction, so the same event sent
    again is ``DUPLICATE`` and changes nothing. An unknown reference is ``NotFound``, an
    amount or currency other than requested a ``ValidationError``; neither is kept, and
    neither credits anything."""
    e = t.provider_events
    with store.write() as conn:
        if conn.execute(select(e.c.event_id).where(e.c.event_id == event.event_id)
                        ).first() is not None:
            return ProviderOutcome.DUPLICATE
        company = read_company(conn)
        row = _existing(conn, event.reference)
        if event.currency != company.currency or event.amount != row.amount:
            raise ValidationError(
                N_("Payment {reference} is for {expected}, not {amount} {currency}."),
                field="amount",
                params={"reference": row.reference,
                        "expected": Money(row.amount, company.currency),
                        "amount": str(event.amount), "currency": event.currency})
        by = f"provider event {event.event_id}"
        if event.succeeded:
            confirm_in(conn, row, now=now, source=PaymentSource.PROVIDER, decided_by=by,
                       company=company)
            outcome = ProviderOutcome.CONFIRMED
        else:
            reject_in(conn, row, now=now, source=PaymentSource.PROVIDER, decided_by=by,
                      reason=N_("declined by the payment provider"), company=company)
            outcome = ProviderOutcome.REJECTED
        conn.execute(e.insert().values(event_id=event.event_id, received_at=now,
                                       reference=row.reference, outcome=outcome))
        return outcome


# --- bank statements -----------------------------------------------------------------------


def import_statement(store: Store, entries: Iterable[StatementEntry], *, now: datetime,
                     decided_by: str) -> StatementReport:
    """Confirm each pending request a statement's transfer names, with the amount asked
    for; report every other entry with why it was not credited. One transaction: a failure
    half-way credits nothing, and importing the same statement again credits nothing
    twice (its requests are confirmed already: reported as such)."""
    credited: list[StatementLine] = []
    not_matched: list[StatementLine] = []
    with store.write() as conn:
        company = read_company(conn)
        for entry in entries:
            line = _match(conn, entry, company)
            if line.why_not:
                not_matched.append(line)
                continue
            row = _existing(conn, line.reference or "")
            confirm_in(conn, row, now=now, source=PaymentSource.STATEMENT,
                       decided_by=f"{decided_by} {entry.entry_id}".strip(), company=company)
            credited.append(line)
    return StatementReport(tuple(credited), tuple(not_matched))


def _match(conn: Connection, entry: StatementEntry, company: CompanyProfile) -> StatementLine:
    quoted = numbers.references_in(entry.remittance)
    if not quoted:
        return StatementLine(entry, None, N_("no reference in the transfer's text"))
    rows = [row for row in (_row(conn, ref) for ref in quoted) if row is not None]
    if not rows:
        return StatementLine(entry, quoted[0], N_("unknown reference"))
    pending = [row for row in rows if row.state == PaymentState.PENDING.value]
    if not pending:
        already = {PaymentState.CONFIRMED.value: N_("already confirmed"),
                   PaymentState.REJECTED.value: N_("already rejected"),
                   PaymentState.CANCELLED.value: N_("already cancelled")}
        return StatementLine(entry, rows[0].reference,
                             already.get(rows[0].state, N_("already decided")))
    row = pending[0]
    if entry.currency != company.currency:
        return StatementLine(entry, row.reference, N_("in another currency"))
    if entry.amount != row.amount:
        return StatementLine(entry, row.reference,
                             N_("amount differs from the {amount} requested"),
                             {"amount": str(row.amount)})
    return StatementLine(entry, row.reference)


# --- rows ----------------------------------------------------------------------------------


def _request_query(*, with_member: bool = False) -> Any:
    p, o, m = t.payment_requests, t.orders, t.members
    joined = p.outerjoin(o, o.c.id == p.c.order_id)
    if with_member:
        return (select(p, o.c.number.label("order_number"), m.c.registration_number,
                       m.c.full_name)
                .select_from(joined.join(m, m.c.id == p.c.member_id)))
    return select(p, o.c.number.label("order_number")).select_from(joined)


def _row(conn: Connection, reference: str) -> Row[Any] | None:
    p = t.payment_requests
    return conn.execute(_request_query().where(p.c.reference == reference.strip().upper())
                        ).first()


def _existing(conn: Connection, reference: str, *, with_member: bool = False) -> Row[Any]:
    p = t.payment_requests
    row = conn.execute(_request_query(with_member=with_member)
                       .where(p.c.reference == reference.strip().upper())).first()
    if row is None:
        raise NotFound(N_("There is no payment {reference}."), field="reference",
                       params={"reference": reference})
    return row


def _request(row: Row[Any], money: MoneyOf) -> PaymentRequest:
    return PaymentRequest(
        reference=row.reference,
        purpose=PaymentPurpose(row.purpose),
        method=row.method,
        amount=money(row.amount),
        state=PaymentState(row.state),
        requested_at=row.requested_at,
        decided_at=row.decided_at,
        source=PaymentSource(row.source) if row.source else None,
        note=row.note,
        order_number=row.order_number,
    )


def _case(row: Row[Any], money: MoneyOf) -> PaymentCase:
    return PaymentCase(_request(row, money), row.registration_number, row.full_name)


def _money_of(company: CompanyProfile) -> MoneyOf:
    return lambda amount: Money(amount, company.currency)


def _reason(reason: str) -> str:
    from mlm_tui.core.validation import refuse_unprintable

    text = " ".join((reason or "").split())
    if not text:
        raise ValidationError(N_("Say why the payment is not confirmed."), field="reason")
    if len(text) > MAX_NOTE:
        raise ValidationError(N_("At most {most} characters."), field="reason",
                              params={"most": MAX_NOTE})
    refuse_unprintable(text, field="reason")
    return text
