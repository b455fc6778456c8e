"""LocalBackend: balance, balance_ledger, top_up, points_wallet, points_ledger.

Both wallets are ledgers: the balance is the sum of its signed entries, never a stored
figure that could drift from them. Ledgers are read newest first, by keyset on the id.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Connection, Row, Select, Table, func, select

from mlm_tui.core.errors import Forbidden, ValidationError
from mlm_tui.core.local import payments
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.base import LocalBase
from mlm_tui.core.local.store import MAX_ROW_ID
from mlm_tui.core.models import (
    LedgerEntry,
    LedgerKind,
    Page,
    PaymentRequest,
    PaymentSource,
    PointsEntry,
    PointsKind,
    TopUpMethod,
)
from mlm_tui.core.money import Money, currency_exponent
from mlm_tui.i18n import N_

MAX_TOP_UP = Decimal(1_000_000)
# How long a refused top-up stays listed beside the ledger: the member sees it was refused.
REFUSED_SHOWN_FOR = timedelta(days=30)
MAX_PAGE = 1000


class WalletMixin(LocalBase):
    def balance(self) -> Money:
        with self.store.read() as conn:
            return self.money(_total(conn, t.balance_ledger.c.amount, self._me_id()))

    def balance_ledger(self, *, after: str | None = None, limit: int = 50) -> Page[LedgerEntry]:
        b, o = t.balance_ledger, t.orders
        with self.store.read() as conn:
            rows = _page(
                conn,
                select(b.c.id, b.c.at, b.c.kind, b.c.amount, b.c.note, b.c.source,
                       o.c.number.label("order_number"))
                .select_from(b.outerjoin(o, o.c.id == b.c.order_id)),
                b, self._me_id(), after, limit,
            )
        entries = tuple(_ledger_entry(row, self.money) for row in rows[:limit])
        return Page(entries, _next(entries, rows, limit))

    def top_up(self, amount: Money, method: TopUpMethod) -> PaymentRequest:
        company = self.company()
        _check_top_up(amount, company.currency)
        try:
            method = TopUpMethod(method)
        except ValueError as exc:
            raise ValidationError(N_("Choose card, payment terminal or transfer."),
                                  field="method") from exc
        now = self.clock()
        with self.store.write() as conn:
            return payments.open_top_up(conn, self.store, self._me_id(), amount.amount,
                                        method, now, self.money)

    def confirm_demo_payment(self, reference: str) -> PaymentRequest:
        company = self.company()
        if not company.demo_payments:
            raise Forbidden(N_("Payments are confirmed by the payment provider, the bank or "
                               "the service, not here."), field="reference")
        now = self.clock()
        me = self._me_id()
        with self.store.write() as conn:
            row = payments.member_request(conn, me, reference, self.money)
            payments.confirm_in(conn, row, now=now, source=PaymentSource.DEMO,
                                decided_by="demo payment", company=company)
            return payments.member_request_now(conn, me, row.reference, self.money)

    def payment_requests(self) -> list[PaymentRequest]:
        since = self.clock() - REFUSED_SHOWN_FOR
        with self.store.read() as conn:
            return list(payments.member_requests(conn, self._me_id(), self.money,
                                                 decided_since=since))

    def points_wallet(self) -> Decimal:
        with self.store.read() as conn:
            return _total(conn, t.points_ledger.c.points, self._me_id())

    def points_ledger(self, *, after: str | None = None, limit: int = 50) -> Page[PointsEntry]:
        p = t.points_ledger
        with self.store.read() as conn:
            rows = _page(conn, select(p.c.id, p.c.at, p.c.kind, p.c.points, p.c.expires_on,
                                      p.c.note), p, self._me_id(), after, limit)
        entries = tuple(
            PointsEntry(row.id, row.at, PointsKind(row.kind), row.points, row.expires_on,
                        row.note)
            for row in rows[:limit]
        )
        return Page(entries, _next(entries, rows, limit))


def _check_top_up(amount: Money, currency: str) -> None:
    if not isinstance(amount, Money) or amount.currency != currency:
        raise ValidationError(N_("Top up in {currency}."), field="amount",
                              params={"currency": currency})
    # The size first: an amount typed far too large is refused as such, at once.
    if amount.amount <= 0:
        raise ValidationError(N_("The amount must be more than zero."), field="amount")
    if amount.amount > MAX_TOP_UP:
        raise ValidationError(N_("One top-up is at most {limit}."),
                              field="amount", params={"limit": Money(MAX_TOP_UP, currency)})
    if amount.amount != amount.rounded().amount:
        raise ValidationError(
            N_("An amount has at most {places} decimal places."),
            field="amount", params={"places": currency_exponent(currency)})


def _total(conn: Connection, column: Column[Decimal], member_id: int) -> Decimal:
    """The sum of a member's ledger (coalesce keeps the column's type: a Decimal)."""
    total: Decimal = conn.execute(
        select(func.coalesce(func.sum(column), 0)).where(column.table.c.member_id == member_id)
    ).scalar_one()
    return total


def _page(conn: Connection, query: Select[Any], table: Table, member_id: int, after: str | None,
          limit: int) -> list[Row[Any]]:
    """One page newest first, plus one row to tell whether another page follows."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError(N_("A page holds 1 to {most} rows."),
                              field="limit", params={"most": MAX_PAGE})
    query = query.where(table.c.member_id == member_id)
    if after is not None:
        if not (after.isascii() and after.isdigit() and 0 < int(after) <= MAX_ROW_ID):
            raise ValidationError(N_("This page position is not valid."), field="after")
        query = query.where(table.c.id < int(after))
    return list(conn.execute(query.order_by(table.c.id.desc()).limit(limit + 1)))


def _next(entries: tuple[Any, ...], rows: list[Row[Any]], limit: int) -> str | None:
    return str(entries[-1].id) if len(rows) > limit else None


def _ledger_entry(row: Row[Any], money: Callable[[Decimal], Money]) -> LedgerEntry:
    return LedgerEntry(
        id=row.id,
        at=row.at,
        kind=LedgerKind(row.kind),
        amount=money(row.amount),
        note=row.note,
        order_number=row.order_number,
        source=PaymentSource(row.source) if row.source else None,
    )
