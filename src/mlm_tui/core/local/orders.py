"""LocalBackend: orders_page, order_history, order_month_counts, count_orders, order_months,
order, cancellation_quote, cancel_order, request_delivery_stop, correct_order_source,
invoice, shipment, shipments_in_transit.

An order, its invoice and its shipment are visible to the buyer and everyone above the
buyer; to anyone else they do not exist (``NotFound``). Only whoever placed an order, or
its buyer, may cancel it or stop its delivery: a sponsor sees a downline's own orders but
does not decide them (the fee would fall on the downline). Correcting a flagged order's
type is different: it is the field leader's job, so whoever sees the order may make the one
correction its flag suggests (:func:`mlm_tui.core.order_checks.correction`). A status
only ever moves along :data:`mlm_tui.core.models.ORDER_TRANSITIONS`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Integer, Row, Select, bindparam, func, select, update

from mlm_tui.core.errors import Conflict, Forbidden, NotFound, ValidationError
from mlm_tui.core.local import history
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.base import LocalBase
from mlm_tui.core.local.stop_queue import open_stop, stop_of
from mlm_tui.core.local.team import member_from_row
from mlm_tui.core.models import (
    BuyerFacts,
    CancellationQuote,
    Carrier,
    CompanyProfile,
    DeliveryMethod,
    FeePart,
    Invoice,
    InvoiceMailed,
    LedgerKind,
    MemberKind,
    MemberRef,
    MonthCount,
    NotificationKind,
    Order,
    OrderFilter,
    OrderHistory,
    OrderLine,
    OrderSource,
    OrderStatus,
    OrderSummary,
    Page,
    PaymentMethod,
    PaymentState,
    PointsKind,
    Shipment,
    ShipmentEvent,
    ShipmentStatus,
    StatusChange,
    can_move,
)
from mlm_tui.core.money import Money
from mlm_tui.core.notices import NoticeCode, money_param, word_notice
from mlm_tui.core.order_checks import check_order, correction
from mlm_tui.core.privacy import mask_email
from mlm_tui.core.rules import cancellation, numbers, vat
from mlm_tui.i18n import N_

STOP_STEPS = (
    N_("stop with the carrier"),
    N_("parcel returns to the service centre"),
    N_("credit to the balance"),
)
# The note the status history keeps for each correction an order's flag may suggest.
SOURCE_CORRECTED = {
    OrderSource.IO: N_("order type corrected from IO to SO"),
    OrderSource.AS: N_("order type corrected from AS to SO"),
    OrderSource.IN: N_("order type corrected from IN to SO"),
}
_HUNDREDTH = Decimal("0.01")  # the store keeps points in hundredths
MoneyOf = Callable[[Decimal], Money]  # a stored amount as Money in the company's currency
_ON_THE_WAY = (ShipmentStatus.LABEL_CREATED.value, ShipmentStatus.IN_TRANSIT.value,
               ShipmentStatus.OUT_FOR_DELIVERY.value)


# --- numbers people read -------------------------------------------------------------------


def order_number(company: CompanyProfile, placed_at: datetime, sequence: int) -> str:
    """``RU-2611-000123``: market, year and month placed, then a running number."""
    return numbers.order_number(company.locale, placed_at, sequence)


def invoice_number(placed_at: datetime, sequence: int) -> str:
    return numbers.invoice_number(placed_at, sequence)


class OrdersMixin(LocalBase):
    # --- the history grid ------------------------------------------------------------------
    def orders_page(
        self, filters: OrderFilter, *, after: str | None = None, limit: int = 100
    ) -> Page[OrderSummary]:
        if not 1 <= limit <= history.MAX_PAGE:
            raise ValidationError(N_("A page holds 1 to {most} rows."),
                                  field="limit", params={"most": history.MAX_PAGE})
        with self.store.read() as conn:
            scope = self._history_scope(conn, filters)
            keys = history.page_keys(conn, scope, filters, after, limit + 1)
            shown = keys[:limit]
            summaries = _summaries(conn, [order_id for order_id, _placed_at in shown], self.money)
        more = len(keys) > limit
        next_after = history.encode_cursor(shown[-1][1], shown[-1][0]) if more else None
        return Page(tuple(summaries), next_after)

    def order_history(self, filters: OrderFilter, *, limit: int = 100) -> OrderHistory:
        if filters.month is not None:
            history.month_range(filters.month)  # a month written wrong is refused first
        page = self.orders_page(filters, limit=limit)
        with self.store.read() as conn:
            member = None
            if filters.member_id is not None:
                self._visible_member(conn, filters.member_id)
                m = t.members
                found = conn.execute(select(m.c.id, m.c.registration_number, m.c.full_name)
                                     .where(m.c.id == filters.member_id)).one()
                member = MemberRef(found.id, found.registration_number, found.full_name)
            scope = self._history_scope(conn, filters)
            total = history.count(conn, scope, filters)
            months = history.months(conn, scope, replace(filters, month=None))
        return OrderHistory(page, total, tuple(months), member)

    def order_month_counts(self, filters: OrderFilter) -> list[MonthCount]:
        # Each month is an index range of its own: counted one by one in one read, which
        # beats one grouped scan of every matching order (measured at 300k orders).
        every = replace(filters, newest_first=True)
        with self.store.read() as conn:
            scope = self._history_scope(conn, filters)
            return [MonthCount(month, history.count(conn, scope, replace(every, month=month)))
                    for month in history.months(conn, scope, every)]

    def count_orders(self, filters: OrderFilter) -> int:
        with self.store.read() as conn:
            return history.count(conn, self._history_scope(conn, filters), filters)

    def order_months(self, filters: OrderFilter) -> list[str]:
        with self.store.read() as conn:
            return history.months(conn, self._history_scope(conn, filters), filters)

    def _history_scope(self, conn: Connection, filters: OrderFilter) -> history.Scope:
        my_path = self._my_path(conn)
        if filters.member_id is not None:
            self._visible_member(conn, filters.member_id)
        return history.scope_of(conn, my_path, filters.member_id)

    # --- one order, its invoice and parcel -------------------------------------------------
    def order(self, number: str) -> Order:
        with self.store.read() as conn:
            row = self._visible_order(conn, number)
            return self._full_order(conn, row.id)

    def _full_order(self, conn: Connection, order_id: int) -> Order:
        """The order with its parcel: what the order screen shows, in one answer."""
        return with_shipment(conn, read_order(conn, order_id, self.money), self.company())

    def invoice(self, number: str) -> Invoice:
        invoice = self._readable_invoice(number)
        if invoice.buyer.id == self._me_id():
            return invoice
        # Uplines see a downline's e-mail masked, as everywhere else they see it.
        return replace(invoice, buyer_email=mask_email(invoice.buyer_email) or None)

    def _readable_invoice(self, number: str) -> Invoice:
        """The invoice as stored, if the signed-in member may read it at all."""
        i = t.invoices
        with self.store.read() as conn:
            found = conn.execute(
                select(i.c.order_id).where(i.c.number == number)
            ).scalar_one_or_none()
            if found is None or not self._sees_order(conn, found):
                raise NotFound(N_("There is no invoice {number}."),
                               field="invoice_number", params={"number": number})
            return read_invoice(conn, number, self.money, self.company())

    def invoice_pdf(self, number: str) -> bytes:
        # Rendering a PDF needs fpdf, which nothing else here does.
        from mlm_tui.core.invoice_pdf import render_invoice_pdf

        return render_invoice_pdf(self.invoice(number), self.company())

    def email_invoice(self, number: str) -> InvoiceMailed:
        # Rendering a PDF needs fpdf, which nothing else here does.
        from mlm_tui.core.invoice_mail import email_invoice, invoice_recipient

        invoice = self._readable_invoice(number)
        recipient = invoice_recipient(invoice)
        company, notifier = self.company(), self.notifier
        # Rendered and sent once the request's transaction (a server's, with its
        # Idempotency-Key) has committed: never while holding the store's write lock.
        self.store.after_commit(lambda: email_invoice(invoice, company, notifier))
        if invoice.buyer.id != self._me_id():
            recipient = mask_email(recipient)  # sent to the buyer; the upline learns no more
        kept_in = None if self.notifier.smtp else str(self.notifier.maildir)
        return InvoiceMailed(recipient, kept_in)

    def shipment(self, order_number: str) -> Shipment | None:
        s = t.shipments
        with self.store.read() as conn:
            row = self._visible_order(conn, order_number)
            shipment_id = conn.execute(
                select(s.c.id).where(s.c.order_id == row.id)
            ).scalar_one_or_none()
            if shipment_id is None:
                return None
            return _shipments(conn, [shipment_id], self.company())[0]

    def shipments_in_transit(self) -> list[Shipment]:
        s, o, m = t.shipments, t.orders, t.members
        with self.store.read() as conn:
            my_path = self._my_path(conn)
            ids = conn.execute(
                select(s.c.id)
                .select_from(s.join(o, o.c.id == s.c.order_id).join(m, m.c.id == o.c.buyer_id))
                .where(s.c.status.in_(_ON_THE_WAY), m.c.path.startswith(my_path, autoescape=True))
                .order_by(s.c.shipped_at.desc(), s.c.id.desc())
            ).scalars().all()
            return _shipments(conn, list(ids), self.company())

    # --- cancelling ------------------------------------------------------------------------
    def cancellation_quote(self, number: str) -> CancellationQuote:
        with self.store.read() as conn:
            row = self._order_to_cancel(conn, number)
            return _quote(conn, row, self.company())

    def cancel_order(self, number: str) -> Order:
        now = self.clock()
        company = self.company()
        with self.store.write() as conn:
            row = self._order_to_cancel(conn, number)
            quote = _quote(conn, row, company)
            if quote.shipped:
                raise Conflict(
                    N_("Order {number} is already shipped: request a delivery stop "
                       "instead."),
                    field="number",
                 params={"number": number})
            move_status(conn, row, OrderStatus.CANCELLED, now, N_("cancelled"))
            paid = _paid_from_balance(conn, row)
            if paid:
                _ledger(conn, row, now, LedgerKind.REFUND, paid, N_("refund: order cancelled"))
            for part in quote.fee_parts:  # one entry per part: the ledger says what it paid for
                _ledger(conn, row, now, LedgerKind.FEE, -part.amount.amount, part.what)
            _restock(conn, row)
            _reverse_points(conn, row, now)
            _stop_awaiting_payment(conn, row.id, now)
            if paid:
                notify(conn, row.placed_by_id, now, NotificationKind.ACCOUNT,
                       NoticeCode.ORDER_CANCELLED,
                       {"number": number, "refund": money_param(quote.refund)}, company.locale)
            else:
                notify(conn, row.placed_by_id, now, NotificationKind.ACCOUNT,
                       NoticeCode.ORDER_CANCELLED_UNPAID, {"number": number}, company.locale)
            return self._full_order(conn, row.id)

    def request_delivery_stop(self, number: str) -> Order:
        now = self.clock()
        s = t.shipments
        with self.store.write() as conn:
            row = self._order_to_cancel(conn, number)
            status = OrderStatus(row.status)
            if status in (OrderStatus.PLACED, OrderStatus.PAID):
                raise Conflict(N_("Order {number} is not shipped yet: cancel it instead."),
                               field="number", params={"number": number})
            move_status(conn, row, OrderStatus.STOP_REQUESTED, now,
                        N_("delivery stop requested"))
            open_stop(conn, row.id, now, returned=False)  # the service asks the carrier
            shipment_id = conn.execute(
                select(s.c.id).where(s.c.order_id == row.id)
            ).scalar_one_or_none()
            if shipment_id is not None:
                conn.execute(update(s).where(s.c.id == shipment_id)
                             .values(status=ShipmentStatus.STOPPED.value))
                conn.execute(t.shipment_events.insert().values(
                    shipment_id=shipment_id, at=now, station="",
                    description=N_("delivery stop requested")))
            notify(conn, row.placed_by_id, now, NotificationKind.SHIPPING,
                   NoticeCode.DELIVERY_STOP_REQUESTED, {"number": number},
                   self.company().locale)
            return self._full_order(conn, row.id)

    # --- correcting the order type --------------------------------------------------------
    def correct_order_source(self, order_number: str, source: OrderSource) -> Order:
        now = self.clock()
        o = t.orders
        with self.store.write() as conn:
            row = self._visible_order(conn, order_number)
            buyer = member_from_row(conn.execute(
                select(t.members).where(t.members.c.id == row.buyer_id)).one())
            current = OrderSource(row.source)
            flag = check_order(current, row.placed_at, BuyerFacts.of(buyer))
            if correction(flag, OrderStatus(row.status)) is not source:
                raise ValidationError(
                    N_("Order {number} cannot change from {current} to {wanted}."),
                    field="source",
                        params={"number": order_number,
                                "current": current.value,
                                "wanted": source.value})
            changed = conn.execute(
                update(o).where(o.c.id == row.id, o.c.source == current.value)
                .values(source=source.value)
            ).rowcount
            if changed != 1:  # corrected by someone else since it was read
                raise Conflict(N_("Order {number} changed meanwhile; look again."), field="number",
                               params={"number": order_number})
            # The status stays; its history says who changed what, when, under the same status.
            conn.execute(t.order_status_history.insert().values(
                order_id=row.id, status=row.status, at=now,
                note=SOURCE_CORRECTED[current]))
            return self._full_order(conn, row.id)

    # --- visibility ------------------------------------------------------------------------
    def _visible_order(self, conn: Connection, number: str) -> Row[*tuple[Any, ...]]:
        return visible_order(conn, number, self._my_path(conn))

    def _order_to_cancel(self, conn: Connection, number: str) -> Row[*tuple[Any, ...]]:
        row = self._visible_order(conn, number)
        if self._me_id() not in (row.placed_by_id, row.buyer_id):
            raise Forbidden(N_("Only whoever placed this order, or its buyer, can cancel it."),
                            field="number")
        return row

    def _sees_order(self, conn: Connection, order_id: int) -> bool:
        o, m = t.orders, t.members
        path = conn.execute(
            select(m.c.path).select_from(o.join(m, m.c.id == o.c.buyer_id))
            .where(o.c.id == order_id)
        ).scalar_one_or_none()
        return path is not None and path.startswith(self._my_path(conn))


def visible_order(conn: Connection, number: str, my_path: str) -> Row[*tuple[Any, ...]]:
    """The order's row if its buyer is under ``my_path``; anything else is ``NotFound``."""
    o, m = t.orders, t.members
    row = conn.execute(
        select(o, m.c.path.label("buyer_path"))
        .select_from(o.join(m, m.c.id == o.c.buyer_id))
        .where(o.c.number == number)
    ).first()
    if row is None or not row.buyer_path.startswith(my_path):
        raise NotFound(N_("There is no order {number}."), field="number", params={"number": number})
    return row


# --- status moves, money and stock ---------------------------------------------------------


def move_status(
    conn: Connection, row: Row[*tuple[Any, ...]], target: OrderStatus, at: datetime, note: str = ""
) -> None:
    """Move an order along its lifecycle; any other move is a ``Conflict``."""
    current = OrderStatus(row.status)
    if not can_move(current, target):
        raise _why_not(row.number, current, target)
    o = t.orders
    moved = conn.execute(
        update(o).where(o.c.id == row.id, o.c.status == current.value)
        .values(status=target.value)
    ).rowcount
    if moved != 1:  # changed under us since it was read
        raise Conflict(N_("Order {number} changed meanwhile; look again."), field="number",
                       params={"number": row.number})
    conn.execute(t.order_status_history.insert().values(
        order_id=row.id, status=target.value, at=at, note=note))


def record_payment(conn: Connection, order_id: int, at: datetime, company: CompanyProfile,
                   *, note: str = "") -> None:
    """The order's money arrived at ``at``: it is paid, and it earns its wallet points now.

    Whoever confirms a payment made elsewhere (at the door, at the service centre) calls
    this too; until then the order's points are pending. Such an order may have shipped,
    or been delivered, meanwhile: it keeps that status.
    """
    o = t.orders
    row = conn.execute(select(o).where(o.c.id == order_id)).one()
    if row.status == OrderStatus.PLACED.value:
        move_status(conn, row, OrderStatus.PAID, at, note)
    else:  # shipped before its money came (to the courier, at the counter): it keeps its status
        conn.execute(t.order_status_history.insert().values(
            order_id=order_id, status=row.status, at=at, note=note))
    conn.execute(update(o).where(o.c.id == order_id).values(paid_at=at))
    # Rounded down: the wallet never holds a fraction the store cannot keep.
    earned = (Decimal(row.points) * company.wallet_points_share).quantize(
        _HUNDREDTH, ROUND_DOWN)
    if earned > 0:
        conn.execute(t.points_ledger.insert().values(
            member_id=row.placed_by_id, at=at, kind=PointsKind.EARNED.value, points=earned,
            expires_on=at.date() + timedelta(days=company.wallet_points_valid_days),
            order_id=order_id, note=row.number))


def credit_stopped_order(conn: Connection, row: Row[*tuple[Any, ...]], at: datetime,
                         company: CompanyProfile, note: str, *, fees: bool = True) -> Money:
    """A stopped parcel is back: the order is credited as a shipped order's cancellation
    is (what it took from the balance, less the stop's fee parts), its stock and wallet
    points go back, and its money is no longer awaited. Returns what was credited.
    ``fees=False``: the carrier sent it back of its own accord, and the member, who asked
    for nothing, pays nothing for the stop."""
    paid = Money(_paid_from_balance(conn, row), company.currency)
    parts = cancellation.cancellation_fee(company, shipped=True, paid=paid) if fees else ()
    refund = (paid - cancellation.total(parts, company.currency)).rounded()
    move_status(conn, row, OrderStatus.CREDITED, at, note)
    if paid.amount:
        _ledger(conn, row, at, LedgerKind.REFUND, paid.amount,
                N_("refund: parcel returned"))
    for part in parts:
        _ledger(conn, row, at, LedgerKind.FEE, -part.amount.amount, part.what)
    _restock(conn, row)
    _reverse_points(conn, row, at)
    _stop_awaiting_payment(conn, row.id, at)
    return refund


def _stop_awaiting_payment(conn: Connection, order_id: int, now: datetime) -> None:
    """A cancelled order's money is no longer awaited: confirming it later is refused."""
    p = t.payment_requests
    conn.execute(update(p).where(p.c.order_id == order_id,
                                 p.c.state == PaymentState.PENDING.value)
                 .values(state=PaymentState.CANCELLED.value, decided_at=now))


def _why_not(number: str, current: OrderStatus, target: OrderStatus) -> Conflict:
    params: dict[str, object] = {"number": number}
    if current is OrderStatus.DELIVERED:
        template = N_("Order {number} is delivered: send a claim to return products.")
    elif current in (OrderStatus.CANCELLED, OrderStatus.CREDITED):
        template = N_("Order {number} is already cancelled.")
    elif current is OrderStatus.STOP_REQUESTED:
        template = N_("A delivery stop for order {number} is already requested.")
    else:
        template = N_("Order {number} cannot go from {current} to {target}.")
        params.update(current=current, target=target)  # the reader words them
    return Conflict(template, field="number", params=params)


def _quote(
    conn: Connection, row: Row[*tuple[Any, ...]], company: CompanyProfile
) -> CancellationQuote:
    status = OrderStatus(row.status)
    shipped = status is OrderStatus.SHIPPED
    target = OrderStatus.STOP_REQUESTED if shipped else OrderStatus.CANCELLED
    if not can_move(status, target):
        raise _why_not(row.number, status, target)
    paid = Money(_paid_from_balance(conn, row), company.currency)
    # The fee is withheld from what was paid; an order paid elsewhere costs nothing here.
    parts = cancellation.cancellation_fee(company, shipped=shipped, paid=paid)
    fee = cancellation.total(parts, company.currency)
    return CancellationQuote(
        order_number=row.number,
        shipped=shipped,
        fee=fee,
        refund=(paid - fee).rounded(),
        steps=STOP_STEPS if shipped else (),
        fee_parts=parts,
    )


def cancellation_fees(conn: Connection, order_id: int, money: MoneyOf) -> tuple[FeePart, ...]:
    """What cancelling the order withheld, part by part, as its ledger recorded it."""
    rows = conn.execute(_FEES_OF, {"order": order_id}).all()
    # A fee from before it had parts keeps its own note ("cancellation fee").
    return tuple(FeePart(row.note, money(-row.amount)) for row in rows)


# Built once: read with every order read.
_FEES_OF = (
    select(t.balance_ledger.c.note, t.balance_ledger.c.amount)
    .where(t.balance_ledger.c.order_id == bindparam("order"),
           t.balance_ledger.c.kind == LedgerKind.FEE.value)
    .order_by(t.balance_ledger.c.id)
)


def _paid_from_balance(conn: Connection, row: Row[*tuple[Any, ...]]) -> Decimal:
    """What the order took from the payer's balance, net of refunds and fees already made."""
    b = t.balance_ledger
    net = conn.execute(
        select(func.coalesce(func.sum(b.c.amount), 0))
        .where(b.c.order_id == row.id, b.c.member_id == row.placed_by_id)
    ).scalar_one()
    return max(-Decimal(net), Decimal(0))


def _ledger(conn: Connection, row: Row[*tuple[Any, ...]], at: datetime, kind: LedgerKind,
            amount: Decimal, note: str) -> None:
    conn.execute(t.balance_ledger.insert().values(
        member_id=row.placed_by_id, at=at, kind=kind.value, amount=amount,
        order_id=row.id, note=note))


def _reverse_points(conn: Connection, row: Row[*tuple[Any, ...]], at: datetime) -> None:
    """Take back the wallet points the order earned and give back those it spent.

    Taking back may leave the wallet below zero when the earned points are already spent
    on something else: the ledger says so rather than pretend they were never earned.
    """
    p = t.points_ledger
    sums = dict(conn.execute(
        select(p.c.kind, func.sum(p.c.points))
        .where(p.c.order_id == row.id, p.c.member_id == row.placed_by_id,
               p.c.kind.in_((PointsKind.EARNED.value, PointsKind.SPENT.value)))
        .group_by(p.c.kind)
    ).all())
    entries = [
        dict(member_id=row.placed_by_id, at=at, kind=PointsKind.CANCELLED.value,
             points=-sums[kind.value], expires_on=None, order_id=row.id, note=row.number)
        for kind in (PointsKind.EARNED, PointsKind.SPENT)
        if sums.get(kind.value)
    ]
    if entries:
        conn.execute(p.insert(), entries)


def points_spent_on(conn: Connection, order_id: int) -> Decimal:
    """The wallet points that paid some of the order's lines."""
    spent = conn.execute(_POINTS_SPENT_ON, {"order": order_id}).scalar_one()
    return -Decimal(spent)


_POINTS_SPENT_ON = (
    select(func.coalesce(func.sum(t.points_ledger.c.points), 0))
    .where(t.points_ledger.c.order_id == bindparam("order"),
           t.points_ledger.c.kind == PointsKind.SPENT.value)
)


def _restock(conn: Connection, row: Row[*tuple[Any, ...]]) -> None:
    p, lines = t.products, t.order_lines
    for line in conn.execute(select(lines.c.product_code, lines.c.quantity)
                             .where(lines.c.order_id == row.id)):
        conn.execute(
            update(p).where(p.c.period_id == row.period_id, p.c.code == line.product_code)
            .values(stock=p.c.stock + line.quantity)
        )


def notify(conn: Connection, member_id: int, at: datetime, kind: NotificationKind,
           code: NoticeCode, params: Mapping[str, str], locale: str) -> None:
    """A notice in the member's inbox, kept as its code and parameters (worded when read,
    in the reader's language), with its English wording in ``locale``'s formats beside
    them."""
    title, body = word_notice(code, params, locale)
    conn.execute(_INSERT_NOTICE, dict(
        member_id=member_id, at=at, kind=kind.value, title=title, body=body,
        code=code.value, params=json.dumps(dict(params), ensure_ascii=False)))


_INSERT_NOTICE = t.notifications.insert()  # built once: a notice goes with every order


# --- reading -------------------------------------------------------------------------------


# Made once: an alias sets up its column collection when first asked, which cost more
# than the query it takes part in (an order is read at every checkout, under the lock).
_BUYER, _PLACER = t.members.alias("buyer"), t.members.alias("placer")


def _order_select() -> Select[Any]:
    o, pe, i = t.orders, t.periods, t.invoices
    buyer, placer = _BUYER, _PLACER
    return (
        select(o, buyer.c.registration_number.label("buyer_number"),
               buyer.c.full_name.label("buyer_name"),
               buyer.c.kind.label("buyer_kind"),
               buyer.c.registered_at.label("buyer_registered_at"),
               buyer.c.loyalty_enrolled.label("buyer_loyalty_enrolled"),
               buyer.c.loyalty_since.label("buyer_loyalty_since"),
               placer.c.registration_number.label("placer_number"),
               placer.c.full_name.label("placer_name"),
               pe.c.code.label("period_code"), i.c.number.label("invoice_number"))
        .select_from(
            o.join(buyer, buyer.c.id == o.c.buyer_id)
            .join(placer, placer.c.id == o.c.placed_by_id)
            .join(pe, pe.c.id == o.c.period_id)
            .outerjoin(i, i.c.order_id == o.c.id)
        )
        .where(o.c.id == bindparam("order"))
    )


# Built once: an order is read at every checkout and every order view, and building the
# statement cost SQLAlchemy more than SQLite takes to answer it.
_ORDER = _order_select()
_STATUS_HISTORY = (
    select(t.order_status_history.c.status, t.order_status_history.c.at,
           t.order_status_history.c.note)
    .where(t.order_status_history.c.order_id == bindparam("order"))
    .order_by(t.order_status_history.c.at, t.order_status_history.c.id)
)
_LINES = (select(t.order_lines).where(t.order_lines.c.order_id == bindparam("order"))
          .order_by(t.order_lines.c.line_no))


def read_order(conn: Connection, order_id: int, money: MoneyOf) -> Order:
    """The whole order: lines, status history, invoice number. ``money`` makes Money."""
    row = conn.execute(_ORDER, {"order": order_id}).one()
    changes = conn.execute(_STATUS_HISTORY, {"order": order_id}).all()
    return Order(
        id=row.id,
        number=row.number,
        placed_at=row.placed_at,
        buyer=MemberRef(row.buyer_id, row.buyer_number, row.buyer_name),
        placed_by=MemberRef(row.placed_by_id, row.placer_number, row.placer_name),
        source=OrderSource(row.source),
        status=OrderStatus(row.status),
        period=row.period_code,
        lines=read_lines(conn, order_id, money),
        retail=money(row.retail),
        discount=money(row.discount),
        delivery_fee=money(row.delivery_fee),
        total=money(row.total),
        points=row.points,
        payment_method=PaymentMethod(row.payment_method),
        delivery_method=DeliveryMethod(row.delivery_method),
        pickup_point=row.pickup_point,
        invoice_number=row.invoice_number,
        history=tuple(StatusChange(OrderStatus(c.status), c.at, c.note) for c in changes),
        buyer_facts=buyer_facts(row),
        idempotency_key=row.idempotency_key,
        points_spent=points_spent_on(conn, order_id),
        paid_at=row.paid_at,
        cancellation_fees=cancellation_fees(conn, order_id, money),
    )


def with_shipment(conn: Connection, order: Order, company: CompanyProfile) -> Order:
    """``order`` carrying its parcel (None while it has none) and its delivery stop."""
    shipment_id = conn.execute(_SHIPMENT_OF, {"order": order.id}).scalar_one_or_none()
    if shipment_id is None:
        return order
    return replace(order, shipment=_shipments(conn, [shipment_id], company)[0],
                   delivery_stop=stop_of(conn, order.id, company.currency))


_SHIPMENT_OF = select(t.shipments.c.id).where(t.shipments.c.order_id == bindparam("order"))


def read_lines(conn: Connection, order_id: int, money: MoneyOf) -> tuple[OrderLine, ...]:
    rows = conn.execute(_LINES, {"order": order_id})
    return tuple(
        OrderLine(
            line_no=row.line_no,
            product_code=row.product_code,
            product_name=row.product_name,
            quantity=row.quantity,
            unit_retail=money(row.unit_retail),
            unit_price=money(row.unit_price),
            points_each=row.points_each,
            is_gift=row.is_gift,
        )
        for row in rows
    )


def read_invoice(conn: Connection, number: str, money: MoneyOf,
                 company: CompanyProfile) -> Invoice:
    i, o, m = t.invoices, t.orders, t.members
    row = conn.execute(
        select(i.c.issued_at, o.c.id, o.c.number.label("order_number"), o.c.buyer_id,
               o.c.retail, o.c.discount, o.c.delivery_fee, o.c.total, o.c.points,
               m.c.registration_number, m.c.full_name, m.c.email, m.c.language)
        .select_from(i.join(o, o.c.id == i.c.order_id).join(m, m.c.id == o.c.buyer_id))
        .where(i.c.number == number)
    ).one()
    lines = read_lines(conn, row.id, money)
    categories = _line_categories(conn, row.id)
    taxed = [(vat.rate_for(categories.get(line.line_no), company), line.total)
             for line in lines]
    taxed.append((company.vat_standard_rate, money(row.delivery_fee)))
    return Invoice(
        number=number,
        order_number=row.order_number,
        issued_at=row.issued_at,
        buyer=MemberRef(row.buyer_id, row.registration_number, row.full_name),
        buyer_email=row.email,
        lines=lines,
        retail=money(row.retail),
        discount=money(row.discount),
        delivery_fee=money(row.delivery_fee),
        total=money(row.total),
        points=row.points,
        vat=vat.breakdown(taxed, company),
        buyer_language=row.language,
    )


def _line_categories(conn: Connection, order_id: int) -> dict[int, str]:
    """Each line's product category in the order's catalog period (its VAT rate)."""
    ol, o, p, c = t.order_lines, t.orders, t.products, t.categories
    rows = conn.execute(
        select(ol.c.line_no, c.c.name)
        .select_from(ol.join(o, o.c.id == ol.c.order_id)
                     .join(p, (p.c.period_id == o.c.period_id)
                           & (p.c.code == ol.c.product_code))
                     .join(c, c.c.id == p.c.category_id))
        .where(ol.c.order_id == order_id))
    return {line_no: name for line_no, name in rows}


# The buyer's columns the order-type check reads, read with the order (``buyer_facts``).
_BUYER_FACTS = (t.members.c.kind.label("buyer_kind"),
                t.members.c.registered_at.label("buyer_registered_at"),
                t.members.c.loyalty_enrolled.label("buyer_loyalty_enrolled"),
                t.members.c.loyalty_since.label("buyer_loyalty_since"))


def buyer_facts(row: Row[*tuple[Any, ...]]) -> BuyerFacts:
    """The buyer's facts from a row that selected ``_BUYER_FACTS`` (of the buyer's alias)."""
    return BuyerFacts(MemberKind(row.buyer_kind), row.buyer_registered_at,
                      bool(row.buyer_loyalty_enrolled), row.buyer_loyalty_since)


@lru_cache(maxsize=16)
def _summaries_statement(size: int) -> Select[Any]:
    """The summaries of up to ``size`` orders by id, each id bound on its own: an
    expanding IN list is rendered again at every call, which cost a history page more
    than SQLite takes to read its hundred rows."""
    o, m, i = t.orders, t.members, t.invoices
    return (
        select(o.c.id, o.c.number, o.c.placed_at, o.c.buyer_id, o.c.source, o.c.status,
               o.c.points, o.c.total, m.c.full_name, m.c.registration_number, *_BUYER_FACTS,
               i.c.number.label("invoice_number"))
        .select_from(o.join(m, m.c.id == o.c.buyer_id)
                     .outerjoin(i, i.c.order_id == o.c.id))
        .where(o.c.id.in_([bindparam(f"id_{n}", type_=Integer) for n in range(size)]))
    )


def _summaries(conn: Connection, ids: list[int], money: MoneyOf) -> list[OrderSummary]:
    if not ids:
        return []
    # Sizes are rounded up to a power of two (the last id repeated): a few statements,
    # built once each.
    size = 1 << max(3, (len(ids) - 1).bit_length())
    padded = ids + [ids[-1]] * (size - len(ids))
    rows = conn.execute(_summaries_statement(size),
                        {f"id_{n}": order_id for n, order_id in enumerate(padded)}).all()
    by_id = {row.id: row for row in rows}
    # A page holds many orders of the same buyers: their facts are made once each.
    facts: dict[int, BuyerFacts] = {}
    sources, statuses = OrderSource._value2member_map_, OrderStatus._value2member_map_
    summaries = []
    for order_id in ids:
        row = by_id[order_id]
        buyer = facts.get(row.buyer_id)
        if buyer is None:
            buyer = facts[row.buyer_id] = buyer_facts(row)
        summaries.append(OrderSummary(
            id=row.id,
            number=row.number,
            placed_at=row.placed_at,
            buyer_id=row.buyer_id,
            buyer_name=row.full_name,
            buyer_registration_number=row.registration_number,
            source=sources[row.source],  # type: ignore[arg-type]
            status=statuses[row.status],  # type: ignore[arg-type]
            points=row.points,
            total=money(row.total),
            invoice_number=row.invoice_number,
            buyer=buyer,
        ))
    return summaries


def _shipments(conn: Connection, ids: list[int], company: CompanyProfile) -> list[Shipment]:
    if not ids:
        return []
    s, e, o, m = t.shipments, t.shipment_events, t.orders, t.members
    rows = conn.execute(
        select(s, o.c.number.label("order_number"), m.c.full_name)
        .select_from(s.join(o, o.c.id == s.c.order_id).join(m, m.c.id == o.c.buyer_id))
        .where(s.c.id.in_(ids))
    ).all()
    events: dict[int, list[ShipmentEvent]] = {i: [] for i in ids}
    for event in conn.execute(
        select(e).where(e.c.shipment_id.in_(ids)).order_by(e.c.at, e.c.id)
    ):
        events[event.shipment_id].append(ShipmentEvent(event.at, event.station,
                                                       event.description))
    by_id = {row.id: row for row in rows}
    return [
        Shipment(
            order_number=row.order_number,
            carrier=company.carrier(row.carrier) or Carrier(row.carrier, row.carrier, ""),
            tracking_number=row.tracking_number,
            shipped_at=row.shipped_at,
            status=ShipmentStatus(row.status),
            estimated_from=row.estimated_from,
            estimated_to=row.estimated_to,
            events=tuple(events[row.id]),
            buyer_name=row.full_name,
        )
        for row in (by_id[i] for i in ids)
    ]
