"""LocalBackend: submit_claim, claims, notifications, mark_notification_read.

A claim returns products of one delivered invoice: every product must be on that invoice,
and all claims together never ask back more than was invoiced. The decision is due
``company.claim_decision_days`` after submission (never more than a week) and arrives in
the inbox; the service decides in :mod:`mlm_tui.core.local.claim_decisions`, not a member.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, func, select, update

from mlm_tui.core.errors import Conflict, NotFound, ValidationError
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.base import LocalBase
from mlm_tui.core.local.orders import notify
from mlm_tui.core.models import (
    Claim,
    ClaimLine,
    ClaimStatus,
    CompanyProfile,
    Notification,
    NotificationKind,
    OrderStatus,
    PaymentState,
)
from mlm_tui.core.money import Money
from mlm_tui.core.notices import NoticeCode
from mlm_tui.core.rules.numbers import claim_number
from mlm_tui.core.validation import refuse_unprintable
from mlm_tui.i18n import N_

MAX_REASON = 2000
# The promise to the member is a decision within a week; a company may promise sooner.
MAX_DECISION_DAYS = 7


def decision_days(company: CompanyProfile) -> int:
    """Days from submission to the decision: the company's setting, never over a week."""
    return max(1, min(int(company.claim_decision_days), MAX_DECISION_DAYS))


class ClaimsMixin(LocalBase):
    def submit_claim(self, invoice_number: str, lines: list[ClaimLine], reason: str) -> Claim:
        reason = refuse_unprintable(reason or "", field="reason", multiline=True)
        reason = unicodedata.normalize("NFC", reason).strip()
        if not reason:
            raise ValidationError(N_("Say what is wrong with the products."), field="reason")
        if len(reason) > MAX_REASON:
            raise ValidationError(N_("At most {most} characters."),
                                  field="reason", params={"most": MAX_REASON})
        wanted = _merged(lines)
        company = self.company()
        now = self.clock()
        me = self._me_id()
        with self.store.write() as conn:
            order_id, status = self._claimable_invoice(conn, invoice_number)
            if status != OrderStatus.DELIVERED.value:
                raise Conflict(N_("Only a delivered order can be claimed."),
                               field="invoice_number")
            if _awaits_payment(conn, order_id):
                # Paid to the courier and not confirmed yet: a credit would refund money
                # the company never received.
                raise Conflict(N_("This order's payment is not confirmed yet: it can be "
                                  "claimed once it is."), field="invoice_number")
            _check_lines(conn, order_id, invoice_number, wanted)
            claim_id = self.store.next_id(conn, t.claims)
            number = claim_number(now, claim_id)
            due = now.date() + timedelta(days=decision_days(company))
            conn.execute(t.claims.insert().values(
                id=claim_id, number=number, member_id=me, invoice_number=invoice_number,
                reason=reason, status=ClaimStatus.SUBMITTED.value, submitted_at=now,
                decision_due=due))
            conn.execute(t.claim_lines.insert(), [
                dict(claim_id=claim_id, product_code=code, quantity=quantity)
                for code, quantity in wanted.items()
            ])
            notify(conn, me, now, NotificationKind.CLAIM, NoticeCode.CLAIM_RECEIVED,
                   {"number": number, "invoice": invoice_number, "day": due.isoformat()},
                   company.locale)
        return Claim(
            number=number,
            invoice_number=invoice_number,
            reason=reason,
            lines=tuple(ClaimLine(code, quantity) for code, quantity in wanted.items()),
            status=ClaimStatus.SUBMITTED,
            submitted_at=now,
            decision_due=due,
        )

    def claims(self) -> list[Claim]:
        with self.store.read() as conn:
            found = read_claims(conn, t.claims.c.member_id == self._me_id(), self.money)
        return [claim for _row, claim in found]

    def notifications(self, *, unread_only: bool = False) -> list[Notification]:
        n = t.notifications
        query = select(n).where(n.c.member_id == self._me_id())
        if unread_only:
            query = query.where(n.c.read_at.is_(None))
        with self.store.read() as conn:
            rows = conn.execute(query.order_by(n.c.id.desc())).all()
        return [
            Notification(row.id, row.at, NotificationKind(row.kind), row.title, row.body,
                         read=row.read_at is not None, code=row.code,
                         params=json.loads(row.params) if row.params else {})
            for row in rows
        ]

    def mark_notification_read(self, notification_id: int) -> None:
        n = t.notifications
        with self.store.write() as conn:
            mine = conn.execute(
                select(n.c.read_at).where(n.c.id == notification_id,
                                          n.c.member_id == self._me_id())
            ).first()
            if mine is None:
                raise NotFound(N_("There is no such notification."), field="notification")
            if mine.read_at is None:
                conn.execute(update(n).where(n.c.id == notification_id)
                             .values(read_at=self.clock()))

    def _claimable_invoice(self, conn: Connection, number: str) -> tuple[int, str]:
        i, o, m = t.invoices, t.orders, t.members
        row = conn.execute(
            select(o.c.id, o.c.status, m.c.path)
            .select_from(i.join(o, o.c.id == i.c.order_id).join(m, m.c.id == o.c.buyer_id))
            .where(i.c.number == number)
        ).first()
        if row is None or not row.path.startswith(self._my_path(conn)):
            raise NotFound(N_("There is no invoice {number}."),
                           field="invoice_number", params={"number": number})
        return row.id, row.status


def read_claims(conn: Connection, where: ColumnElement[bool],
                money: Callable[[Decimal], Money]) -> list[tuple[Row[Any], Claim]]:
    """Claims matching ``where``, newest first, each with its stored row (for its ids)."""
    c, cl = t.claims, t.claim_lines
    rows = conn.execute(
        select(c).where(where).order_by(c.c.submitted_at.desc(), c.c.id.desc())).all()
    lines: dict[int, list[ClaimLine]] = {row.id: [] for row in rows}
    for line in conn.execute(
        select(cl).where(cl.c.claim_id.in_(list(lines))).order_by(cl.c.product_code)
    ):
        lines[line.claim_id].append(ClaimLine(line.product_code, line.quantity))
    return [
        (row, Claim(row.number, row.invoice_number, row.reason, tuple(lines[row.id]),
                    ClaimStatus(row.status), row.submitted_at, row.decision_due, row.decision,
                    row.decided_at, None if row.credit is None else money(row.credit),
                    row.note))
        for row in rows
    ]


def _merged(lines: list[ClaimLine]) -> dict[str, int]:
    """Quantities per product code; the same product twice adds up."""
    if not lines:
        raise ValidationError(N_("Choose at least one product to return."), field="lines")
    wanted: dict[str, int] = {}
    for line in lines:
        quantity = line.quantity
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
            raise ValidationError(N_("The quantity of {code} must be 1 or more."),
                                  field="lines", params={"code": line.product_code})
        wanted[line.product_code] = wanted.get(line.product_code, 0) + quantity
    return wanted


def _check_lines(conn: Connection, order_id: int, invoice_number: str,
                 wanted: dict[str, int]) -> None:
    ol, c, cl = t.order_lines, t.claims, t.claim_lines
    invoiced = dict(conn.execute(
        select(ol.c.product_code, func.sum(ol.c.quantity))
        .where(ol.c.order_id == order_id).group_by(ol.c.product_code)
    ).all())
    claimed = dict(conn.execute(
        select(cl.c.product_code, func.sum(cl.c.quantity))
        .select_from(cl.join(c, c.c.id == cl.c.claim_id))
        .where(c.c.invoice_number == invoice_number,
               c.c.status != ClaimStatus.REJECTED.value)
        .group_by(cl.c.product_code)
    ).all())
    for code, quantity in wanted.items():
        if code not in invoiced:
            raise ValidationError(N_("{code} is not on invoice {invoice}."), field="lines",
                                  params={"code": code, "invoice": invoice_number})
        left = invoiced[code] - claimed.get(code, 0)
        if quantity > left:
            raise ValidationError(
                N_("{code}: {left} of {invoiced} invoiced can still be claimed."),
                field="lines", params={"code": code, "left": left, "invoiced": invoiced[code]})


def _awaits_payment(conn: Connection, order_id: int) -> bool:
    p = t.payment_requests
    return conn.execute(select(p.c.id).where(
        p.c.order_id == order_id, p.c.state == PaymentState.PENDING.value)).first() is not None
