"""LocalBackend: cart, add/set/remove/clear, delivery product, repeat_order, place_order.

The cart is kept per member (``cart_lines``, ``cart_choices``) and priced on every read
by :func:`mlm_tui.core.pricing.price_cart` against the current period, so a price or
promotion change shows at once. Placing an order re-prices the cart and writes the
order, its lines, status history, invoice, balance payment, wallet points and stock in
one transaction.

The points wallet: a line may be paid with wallet points instead of money
(``set_paid_with_points``; the price in points is pricing's rule). The lines paid with
points may never cost more than the wallet holds: a change that would overdraw it is
refused and leaves the cart as it was, and placing the order checks again, because the
wallet may have shrunk since. An order spends its points (a SPENT entry) and earns the
company's ``wallet_points_share`` of its points (an EARNED entry, expiring after
``wallet_points_valid_days``), both in the wallet of who placed it and noted with the
order number.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, func, select, update

from mlm_tui.core.errors import (
    Conflict,
    InsufficientBalance,
    InsufficientPoints,
    NotAuthenticated,
    NotFound,
    Unavailable,
    ValidationError,
)
from mlm_tui.core.local import payments
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.base import LocalBase
from mlm_tui.core.local.catalog import Catalog, current_period_row
from mlm_tui.core.local.orders import (
    invoice_number,
    notify,
    order_number,
    read_order,
    record_payment,
    visible_order,
    with_shipment,
)
from mlm_tui.core.models import (
    Cart,
    Checkout,
    CompanyProfile,
    DeliveryMethod,
    MemberKind,
    MemberStatus,
    NotificationKind,
    Order,
    OrderSource,
    OrderStatus,
    PaymentMethod,
    PointsKind,
    Product,
    PromotionKind,
)
from mlm_tui.core.money import Money, Points
from mlm_tui.core.notices import NoticeCode, money_param
from mlm_tui.core.pricing import price_cart
from mlm_tui.core.rules.cart_lines import MAX_LINE_QUANTITY, check_quantity
from mlm_tui.core.rules.payment import (
    paid_on_confirmation,
    paid_when_placed,
    payment_methods_for,
)
from mlm_tui.i18n import N_

_KEY_LENGTH = 64
_HUNDREDTH = Decimal("0.01")  # the store keeps points in hundredths


class CartMixin(LocalBase):
    @contextmanager
    def _cart_write(self) -> Iterator[Connection]:
        """A write of the member's own cart: beside other members' carts and checkouts
        (on PostgreSQL), one at a time with the member's own checkouts."""
        with self.store.write(beside_others=True) as conn:
            m = t.members
            self.store.lock_rows(conn, m, m.c.id == self._me_id())
            yield conn

    def cart(self) -> Cart:
        with self.store.read() as conn:
            return self._priced_cart(conn)

    def add_to_cart(self, code: str, quantity: int) -> Cart:
        check_quantity(quantity)
        with self._cart_write() as conn:
            product = self._orderable(conn, code)
            total = _quantity_in_cart(conn, self._me_id(), product.code) + quantity
            if total > MAX_LINE_QUANTITY:
                raise ValidationError(
                    N_("At most {limit} of one product per order; the cart already holds "
                       "{held}."),
                    field="quantity", params={"limit": MAX_LINE_QUANTITY, "held": total - quantity})
            self._put_line(conn, product, total)
            return self._cart_within_wallet(conn)

    def set_cart_quantity(self, code: str, quantity: int) -> Cart:
        check_quantity(quantity, zero_removes=True)
        if quantity == 0:
            return self.remove_from_cart(code)
        with self._cart_write() as conn:
            self._put_line(conn, self._orderable(conn, code), quantity)
            return self._cart_within_wallet(conn)

    def remove_from_cart(self, code: str) -> Cart:
        lines = t.cart_lines
        with self._cart_write() as conn:
            conn.execute(delete(lines).where(lines.c.member_id == self._me_id(),
                                             lines.c.product_code == code.strip()))
            return self._priced_cart(conn)

    def clear_cart(self) -> Cart:
        with self._cart_write() as conn:
            _clear(conn, self._me_id())
            return self._priced_cart(conn)

    def choose_delivery_product(self, code: str | None) -> Cart:
        choices = t.cart_choices
        me = self._me_id()
        with self._cart_write() as conn:
            if code is None:
                conn.execute(delete(choices).where(choices.c.member_id == me))
                return self._priced_cart(conn)
            catalog = self._open_catalog(conn)
            offered = {p.product_code for p in catalog.promotions
                       if p.kind is PromotionKind.DELIVERY_PRODUCT}
            if code.strip() not in offered:
                raise ValidationError(
                    N_("{code} is not offered instead of the delivery fee."),
                    field="code", params={"code": code})
            product = catalog.by_code([code.strip()]).get(code.strip())
            if product is None or not product.available:
                raise Unavailable(N_("{code} is sold out."), field="code", params={"code": code})
            chosen = conn.execute(update(choices).where(choices.c.member_id == me)
                                  .values(delivery_product_code=product.code)).rowcount
            if not chosen:
                conn.execute(choices.insert().values(member_id=me,
                                                     delivery_product_code=product.code))
            return self._priced_cart(conn)

    def repeat_order(self, order_number: str) -> Cart:
        """Add the earlier order's lines that are still sold; gifts are not repeated.

        The earlier order stays as it was; a product no longer in the catalog or sold out
        is skipped, and a line is capped at the per-line limit and the stock.
        """
        lines = t.order_lines
        with self._cart_write() as conn:
            row = visible_order(conn, order_number, self._my_path(conn))
            catalog = self._open_catalog(conn)
            wanted = conn.execute(
                select(lines.c.product_code, func.sum(lines.c.quantity).label("quantity"))
                .where(lines.c.order_id == row.id, lines.c.is_gift.is_(False))
                .group_by(lines.c.product_code)
                .order_by(func.min(lines.c.line_no))
            ).all()
            products = catalog.by_code(line.product_code for line in wanted)
            me = self._me_id()
            for line in wanted:
                product = products.get(line.product_code)
                if product is None or not product.available:
                    continue
                total = _quantity_in_cart(conn, me, product.code) + line.quantity
                self._put_line(conn, product, min(total, MAX_LINE_QUANTITY, product.stock))
            return self._cart_within_wallet(conn)

    def set_paid_with_points(self, code: str, paid_with_points: bool) -> Cart:
        lines, me = t.cart_lines, self._me_id()
        with self._cart_write() as conn:
            changed = conn.execute(
                update(lines).where(lines.c.member_id == me,
                                    lines.c.product_code == code.strip())
                .values(paid_with_points=bool(paid_with_points))
            ).rowcount
            if not changed:
                raise NotFound(N_("{code} is not in the cart."), field="code",
                               params={"code": code})
            return self._cart_within_wallet(conn)

    def place_order(self, checkout: Checkout) -> Order:
        company = self.company()
        checkout = check_checkout(checkout, company)
        me = self._me_id()
        # Beside other checkouts (on PostgreSQL): what it reads to change is locked
        # first. The members (whose balance, wallet and cart it spends), before it reads
        # anything, so a retried checkout waits and then finds its order.
        with self.store.write(beside_others=True) as conn:
            m = t.members
            self.store.lock_rows(conn, m, m.c.id.in_({me, checkout.buyer_id or me}))
            existing = self._order_with_key(conn, checkout.idempotency_key)
            if existing is not None:
                return existing
            buyer = self._buyer(conn, checkout.buyer_id or me)
            period = open_period(conn, self.clock().date())
            cart = self._priced_cart(conn)
            if cart.is_empty:
                raise ValidationError(N_("The cart is empty."), field="cart")
            _clear(conn, me)
            order_id = self._write_placed(conn, checkout, cart, buyer, period.id)
        # Read once written, after the commit: until then the write holds the buyer's row
        # locked, and her other checkouts wait for it.
        with self.store.read() as conn:
            return read_order(conn, order_id, self.money)

    # --- shared steps ----------------------------------------------------------------------
    def _order_with_key(self, conn: Connection, key: str) -> Order | None:
        """The order already placed with this key (a retry gets it as it stands now)."""
        existing = _order_by_key(conn, key)
        if existing is None:
            return None
        if existing.placed_by_id != self._me_id():
            raise Conflict(N_("This order key belongs to another order."),
                           field="idempotency_key")
        return with_shipment(conn, read_order(conn, existing.id, self.money), self.company())

    def _write_placed(self, conn: Connection, checkout: Checkout, cart: Cart,
                      buyer: Row[Any, Any], period_id: int) -> int:
        """The priced cart as an order with its invoice, payment, wallet points and stock,
        inside the caller's write transaction (refused: the caller's transaction rolls back);
        the order's id.

        The order's number is made of its id (``Store.next_id``), which on PostgreSQL
        checkouts side by side each take without waiting for one another."""
        company, me, now = self.company(), self._me_id(), self.clock()
        p = t.products
        self.store.lock_rows(conn, p, (p.c.period_id == period_id)
                             & p.c.code.in_({line.product.code for line in cart.lines}))
        _take_stock(conn, period_id, cart)
        if checkout.payment_method is PaymentMethod.BALANCE:
            _check_balance(conn, me, cart.to_pay, company)
        _check_wallet(conn, me, cart, company)
        conn.execute(_LAST_ORDERED, {"buyer": buyer.id, "now": now})
        # The buyer's row is locked: no order of hers is placed meanwhile.
        source = checkout.source or _source(conn, buyer.id)
        order_id, number = _write_order(conn, self.store.next_id(conn, t.orders), checkout,
                                        cart, company, now, buyer=buyer, placed_by=me,
                                        period_id=period_id, source=source)
        _spend_wallet(conn, order_id, number, cart, now, placed_by=me)
        if paid_when_placed(checkout.payment_method):
            record_payment(conn, order_id, now, company, note=N_("paid from the balance"))
        if paid_on_confirmation(checkout.payment_method):
            # Paid when its money is confirmed, as a top-up is: then it earns its points.
            payments.open_order_payment(conn, self.store, order_id, number, me,
                                        checkout.payment_method, cart.to_pay, now)
        notify(conn, me, now, NotificationKind.ACCOUNT, NoticeCode.ORDER_PLACED,
               {"number": number, "total": money_param(cart.to_pay),
                "points": str(cart.points), "points_label": company.points_label},
               company.locale)
        return order_id

    def _cart_within_wallet(self, conn: Connection) -> Cart:
        """The priced cart, refused (the transaction rolls back) when it overdraws the wallet."""
        cart = self._priced_cart(conn)
        _check_wallet(conn, self._me_id(), cart, self.company())
        return cart

    def _priced_cart(self, conn: Connection) -> Cart:
        me = {"member": self._me_id()}
        rows = conn.execute(_CART_LINES, me).all()
        choice = conn.execute(_DELIVERY_CHOICE, me).scalar_one_or_none()
        return self._price_lines(
            conn, [(row.product_code, row.quantity, bool(row.paid_with_points)) for row in rows],
            choice)

    def _price_lines(self, conn: Connection, rows: list[tuple[str, int, bool]],
                     delivery_product_code: str | None) -> Cart:
        """(code, quantity, paid with points) priced for the signed-in member now."""
        catalog = self._pricing_catalog(conn, current_period_row(conn, self.clock().date()))
        return self._price_in(catalog, rows, delivery_product_code,
                              self._line_products(catalog, rows))

    def _pricing_catalog(self, conn: Connection, period: Row[Any]) -> Catalog:
        """The period's catalog priced for the signed-in member (a consultant or not)."""
        kind = conn.execute(_MEMBER_KIND, {"member": self._me_id()}).scalar_one()
        return Catalog(conn, period, self.company().currency,
                       consultant=kind == MemberKind.CONSULTANT.value)

    @staticmethod
    def _line_products(catalog: Catalog, rows: list[tuple[str, int, bool]]
                       ) -> dict[str, Product]:
        """The lines' products and the promotions' gifts, as the catalog sells them now."""
        given = [p.product_code for p in catalog.promotions if p.product_code]
        return catalog.by_code([code for code, _quantity, _points in rows] + given)

    def _price_in(self, catalog: Catalog, rows: list[tuple[str, int, bool]],
                  delivery_product_code: str | None, products: dict[str, Product]) -> Cart:
        """The lines priced by the catalog, its products (``_line_products``) read already."""
        return price_cart(
            # A product that left the catalog stays in the table but is no longer priced.
            [(products[code], quantity) for code, quantity, _points in rows
             if code in products],
            company=self.company(),
            promotions=catalog.promotions,
            gifts=products,
            delivery_product_code=delivery_product_code,
            consultant=catalog.consultant,
            paid_with_points={code for code, _quantity, points in rows if points},
        )

    def _open_catalog(self, conn: Connection) -> Catalog:
        return Catalog(conn, open_period(conn, self.clock().date()), self.company().currency)

    def _orderable(self, conn: Connection, code: str) -> Product:
        product = self._open_catalog(conn).by_code([code.strip()]).get(code.strip())
        if product is None:
            raise NotFound(N_("There is no product {code} in this catalog."),
                           field="code", params={"code": code})
        if not product.available:
            raise Unavailable(N_("{code} {name} is sold out."),
                              field="code", params={"code": product.code, "name": product.name})
        return product

    def _put_line(self, conn: Connection, product: Product, quantity: int) -> None:
        if quantity > product.stock:
            raise Unavailable(N_("Only {stock} of {code} left."),
                              field="quantity",
                                  params={"stock": product.stock, "code": product.code})
        lines, me = t.cart_lines, self._me_id()
        changed = conn.execute(
            update(lines).where(lines.c.member_id == me, lines.c.product_code == product.code)
            .values(quantity=quantity)
        ).rowcount
        if not changed:
            conn.execute(lines.insert().values(member_id=me, product_code=product.code,
                                               quantity=quantity, added_at=self.clock()))

    def _buyer(self, conn: Connection, buyer_id: int) -> Row[Any, Any]:
        me = self._me_id()
        if buyer_id != me:  # one's own orders need no look at the team
            try:
                self._visible_member(conn, buyer_id)
            except NotFound as exc:
                raise NotFound(exc.message, field="buyer_id") from exc
        buyer = conn.execute(_BUYER_STATUS, {"member": buyer_id}).first()
        if buyer is None:  # only oneself can be missing here: the account was removed
            raise NotAuthenticated("this account no longer exists")
        if buyer.status == MemberStatus.CLOSED.value:
            raise ValidationError(N_("This account is closed."), field="buyer_id")
        return buyer


# Built once: the cart is priced at every change and at checkout, and building these
# cost SQLAlchemy more than SQLite takes to answer them.
_CART_LINES = (
    select(t.cart_lines.c.product_code, t.cart_lines.c.quantity,
           t.cart_lines.c.paid_with_points)
    .where(t.cart_lines.c.member_id == bindparam("member"))
    .order_by(t.cart_lines.c.added_at, t.cart_lines.c.product_code)
)
_DELIVERY_CHOICE = select(t.cart_choices.c.delivery_product_code).where(
    t.cart_choices.c.member_id == bindparam("member"))
_MEMBER_KIND = select(t.members.c.kind).where(t.members.c.id == bindparam("member"))
_BUYER_STATUS = select(t.members.c.id, t.members.c.status).where(
    t.members.c.id == bindparam("member"))


def open_period(conn: Connection, today: date) -> Row[Any]:
    """The current period, ``Unavailable`` when it takes no more orders."""
    period = current_period_row(conn, today)
    if not period.ordering_open:
        raise Unavailable(N_("Ordering from {catalog} is closed."),
                          params={"catalog": period.name})
    return period


# --- validation ----------------------------------------------------------------------------


def check_checkout(checkout: Checkout, company: CompanyProfile) -> Checkout:
    """The checkout refused with a field error, or returned with its choices as the
    enums they name (a caller over the wire or a script may hand in plain strings)."""
    checkout = _chosen(checkout)
    key = checkout.idempotency_key
    if not key or not key.strip() or len(key) > _KEY_LENGTH:
        raise ValidationError(N_("The order has no valid key."), field="idempotency_key")
    if checkout.payment_method not in company.payment_methods:
        raise ValidationError(N_("{company} does not accept this payment method."),
                              field="payment_method", params={"company": company.name})
    if checkout.payment_method not in payment_methods_for(checkout.delivery_method, company):
        raise ValidationError(N_("This way to pay does not go with this delivery: cash goes "
                                 "to a courier, payment at the service centre with a pickup "
                                 "there."), field="payment_method")
    if checkout.delivery_method is DeliveryMethod.COURIER:
        return checkout
    points = {p.code for p in company.pickup_points if p.kind is checkout.delivery_method}
    if checkout.pickup_point not in points:
        raise ValidationError(N_("Choose a pickup point."), field="pickup_point")
    return checkout


def _chosen(checkout: Checkout) -> Checkout:
    try:
        source = None if checkout.source is None else OrderSource(checkout.source)
    except ValueError:
        raise ValidationError(N_("There is no order source {source}."), field="source",
                              params={"source": checkout.source}) from None
    try:
        payment = PaymentMethod(checkout.payment_method)
    except ValueError:
        raise ValidationError(N_("There is no payment method {method}."), field="payment_method",
                              params={"method": checkout.payment_method}) from None
    try:
        delivery = DeliveryMethod(checkout.delivery_method)
    except ValueError:
        raise ValidationError(N_("There is no delivery method {method}."), field="delivery_method",
                              params={"method": checkout.delivery_method}) from None
    return replace(checkout, source=source, payment_method=payment, delivery_method=delivery)


# --- placing -------------------------------------------------------------------------------


def _order_by_key(conn: Connection, key: str) -> Row[Any, Any] | None:
    return conn.execute(_ORDER_BY_KEY, {"key": key}).first()


def _take_stock(conn: Connection, period_id: int, cart: Cart) -> None:
    wanted: dict[str, int] = {}
    for line in cart.lines:
        wanted[line.product.code] = wanted.get(line.product.code, 0) + line.quantity
    for code, quantity in wanted.items():
        taken = conn.execute(
            _TAKE_STOCK, {"in_period": period_id, "of_code": code, "taken": quantity}
        ).rowcount
        if taken != 1:
            raise Unavailable(N_("Not enough of {code} left for this order."),
                              field="code", params={"code": code})


def _check_balance(conn: Connection, member_id: int, to_pay: Money,
                   company: CompanyProfile) -> None:
    b = t.balance_ledger
    held = conn.execute(
        select(func.coalesce(func.sum(b.c.amount), 0)).where(b.c.member_id == member_id)
    ).scalar_one()
    balance = Money(Decimal(held), company.currency)
    if balance < to_pay:
        raise InsufficientBalance(
            N_("The balance holds {balance}: top it up by {shortfall} or choose another "
               "payment method."),
            field="payment_method",
            params={"balance": balance, "shortfall": (to_pay - balance).rounded()})


def _check_wallet(conn: Connection, member_id: int, cart: Cart,
                  company: CompanyProfile) -> None:
    if not cart.points_spent:
        return
    held = _points_held(conn, member_id)
    if cart.points_spent > held:
        def points(value: Decimal) -> Points:
            return Points(value, company.points_label)

        raise InsufficientPoints(
            N_("Paying with points needs {needed}; the wallet holds {held}. Pay a line with "
               "money instead."),
            field="points", params={"needed": points(cart.points_spent), "held": points(held)})


def _points_held(conn: Connection, member_id: int) -> Decimal:
    p = t.points_ledger
    held: Decimal = conn.execute(
        select(func.coalesce(func.sum(p.c.points), 0)).where(p.c.member_id == member_id)
    ).scalar_one()
    return held


def _spend_wallet(conn: Connection, order_id: int, number: str, cart: Cart, now: datetime,
                  *, placed_by: int) -> None:
    """The wallet points the order's lines spent: taken when it is placed."""
    if not cart.points_spent:
        return
    conn.execute(t.points_ledger.insert().values(
        member_id=placed_by, at=now, kind=PointsKind.SPENT.value, points=-cart.points_spent,
        expires_on=None, order_id=order_id, note=number))


def _write_order(
    conn: Connection,
    order_id: int,
    checkout: Checkout,
    cart: Cart,
    company: CompanyProfile,
    now: datetime,
    *,
    buyer: Row[Any, Any],
    placed_by: int,
    period_id: int,
    source: OrderSource,
) -> tuple[int, str]:
    """The order, its lines, status and invoice written under ``order_id``: its id and
    number."""
    number = order_number(company, now, order_id)
    conn.execute(_INSERT_ORDER, dict(
        id=order_id,
        number=number,
        buyer_id=buyer.id,
        placed_by_id=placed_by,
        source=source.value,
        status=OrderStatus.PLACED.value,
        period_id=period_id,
        placed_at=now,
        retail=cart.retail.amount,
        discount=cart.discount.amount,
        delivery_fee=cart.delivery_fee.amount,
        total=cart.to_pay.amount,
        points=cart.points,
        payment_method=checkout.payment_method.value,
        delivery_method=checkout.delivery_method.value,
        pickup_point=(None if checkout.delivery_method is DeliveryMethod.COURIER
                      else checkout.pickup_point),
        idempotency_key=checkout.idempotency_key,
    ))
    conn.execute(_INSERT_ORDER_LINE, [
        dict(order_id=order_id, line_no=number, product_code=line.product.code,
             product_name=line.product.name, quantity=line.quantity,
             unit_retail=line.product.retail_price.amount,
             unit_price=(line.to_pay.amount / line.quantity),
             points_each=line.points / line.quantity, is_gift=line.is_gift)
        for number, line in enumerate(cart.lines, 1)
    ])
    conn.execute(_INSERT_STATUS, dict(
        order_id=order_id, status=OrderStatus.PLACED.value, at=now, note=""))
    if paid_when_placed(checkout.payment_method):
        conn.execute(_INSERT_BALANCE_ENTRY, dict(
            member_id=placed_by, at=now, kind="payment", amount=-cart.to_pay.amount,
            order_id=order_id, note="order payment"))
    conn.execute(_INSERT_INVOICE, dict(
        number=invoice_number(now, order_id), order_id=order_id, issued_at=now))
    return order_id, number


# Built once, as the cart's reads are: an order is written at every checkout and up to a
# hundred to a synced batch, and building these cost more than SQLite takes to run them.
_INSERT_ORDER = t.orders.insert()
_INSERT_ORDER_LINE = t.order_lines.insert()
_INSERT_STATUS = t.order_status_history.insert()
_INSERT_BALANCE_ENTRY = t.balance_ledger.insert()
_INSERT_INVOICE = t.invoices.insert()
_EARLIER_ORDER = select(t.orders.c.id).where(
    t.orders.c.buyer_id == bindparam("buyer"),
    t.orders.c.status != OrderStatus.CANCELLED.value).limit(1)
_ORDER_BY_KEY = select(t.orders.c.id, t.orders.c.placed_by_id).where(
    t.orders.c.idempotency_key == bindparam("key"))
# The bound names differ from the columns: SQLAlchemy keeps those for the SET clause.
_TAKE_STOCK = (
    update(t.products)
    .where(t.products.c.period_id == bindparam("in_period"),
           t.products.c.code == bindparam("of_code"),
           t.products.c.stock >= bindparam("taken"))
    .values(stock=t.products.c.stock - bindparam("taken"))
)
_LAST_ORDERED = (update(t.members).where(t.members.c.id == bindparam("buyer"))
                 .values(last_order_at=bindparam("now")))


def _source(conn: Connection, buyer_id: int) -> OrderSource:
    """IN for the buyer's first order (the enrollment order), SO otherwise."""
    earlier = conn.execute(_EARLIER_ORDER, {"buyer": buyer_id}).first()
    return OrderSource.SO if earlier else OrderSource.IN


def _quantity_in_cart(conn: Connection, member_id: int, code: str) -> int:
    lines = t.cart_lines
    found = conn.execute(
        select(lines.c.quantity).where(lines.c.member_id == member_id,
                                       lines.c.product_code == code)
    ).scalar_one_or_none()
    return found or 0


def _clear(conn: Connection, member_id: int) -> None:
    conn.execute(delete(t.cart_lines).where(t.cart_lines.c.member_id == member_id))
    conn.execute(delete(t.cart_choices).where(t.cart_choices.c.member_id == member_id))
