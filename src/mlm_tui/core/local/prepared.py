"""LocalBackend: quote_prepared_order, place_prepared_order.

An order made ready away from the server (the client's outbox) arrives whole: its lines,
the checkout with the order's own key, and the totals the consultant saw. It is priced
here by the same code as the cart (``_price_lines``, then ``pricing.price_cart``) and
placed by the same steps as ``place_order``, in one transaction, but never through the
member's cart, which stays as she left it. It is placed only at the figures she saw: a
price, points, a promotion that ended or a gift that went away make it ``TotalsChanged``
and nothing is written, so she decides with the difference in front of her. The key is
looked up first: an order already placed with it is returned whatever it would cost now,
which is what makes a resend after a lost answer safe.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from sqlalchemy import Connection, Row

from mlm_tui.core.errors import DomainError, TotalsChanged, Unavailable, ValidationError
from mlm_tui.core.local.cart import CartMixin, check_checkout, open_period
from mlm_tui.core.local.catalog import Catalog
from mlm_tui.core.local.orders import read_order
from mlm_tui.core.models import Cart, CompanyProfile, Order, PreparedOrder, PreparedOutcome
from mlm_tui.core.prepared_orders import totals_differ
from mlm_tui.core.rules.cart_lines import check_quantity
from mlm_tui.i18n import N_

MAX_LINES = 200  # more lines than any order form holds
PREPARED_BATCH = 100  # orders per request: an outbox of 1,000 goes in ten


class PreparedOrdersMixin(CartMixin):
    def quote_prepared_order(self, prepared: PreparedOrder) -> Cart:
        _check_lines(prepared)
        with self.store.read() as conn:
            # A buyer she may not order for is not there, as when the order is placed.
            self._buyer(conn, prepared.checkout.buyer_id or self._me_id())
            return self._price_prepared(conn, prepared)

    def place_prepared_order(self, prepared: PreparedOrder) -> Order:
        return self._place_prepared(prepared, _SameForTheBatch(self))

    def place_prepared_orders(self, prepared: list[PreparedOrder]) -> list[PreparedOutcome]:
        if len(prepared) > PREPARED_BATCH:
            raise ValidationError(N_("At most {most} orders are sent at once."),
                                  field="prepared", params={"most": PREPARED_BATCH})
        outcomes = []
        # One transaction for the batch (one commit, one wait for the disk), each order a
        # savepoint of it: a refused order takes back its own writes alone. Inside a
        # server request the request's transaction is that one already.
        joined = self.store.joined()
        with contextlib.nullcontext() if joined else self.store.one_transaction():
            same = _SameForTheBatch(self)
            for each in prepared:
                key = each.checkout.idempotency_key
                try:
                    order = self._place_prepared(each, same)
                except DomainError as refusal:
                    outcomes.append(PreparedOutcome(key, error=json.dumps(refusal.to_dict())))
                    continue
                outcomes.append(PreparedOutcome(key, order=order))
        return outcomes

    def _place_prepared(self, prepared: PreparedOrder, same: _SameForTheBatch) -> Order:
        """One order in its own write (a savepoint inside a batch), what every order of
        the batch reads alike taken from ``same``."""
        _check_lines(prepared)
        company = same.company
        checkout = check_checkout(prepared.checkout, company)
        with self.store.write() as conn:
            # The key first: an order placed already is returned whatever it costs now,
            # even from a catalog closed since.
            existing = self._order_with_key(conn, checkout.idempotency_key)
            if existing is not None:
                return existing
            buyer = same.buyer(conn, checkout.buyer_id or self._me_id())
            catalog = same.catalog(conn)
            rows = _rows(prepared)
            # Read for each order: the stock the orders before it took is seen.
            products = self._line_products(catalog, rows)
            for line in prepared.lines:
                if line.code.strip() not in products:
                    raise Unavailable(N_("{code} is no longer sold."), field="code",
                                      params={"code": line.code})
            cart = self._price_in(catalog, rows, prepared.delivery_product_code, products)
            differences = totals_differ(prepared.seen, cart)
            if differences:
                raise TotalsChanged(
                    N_("The order now costs {now} instead of {seen}: confirm it at the new "
                       "price or drop it."), field="total",
                    params={"now": cart.to_pay, "seen": prepared.seen.to_pay,
                            "differences": ",".join(differences)})
            order_id = self._write_placed(conn, checkout, cart, buyer, catalog.period.id)
            return read_order(conn, order_id, self.money)

    def _price_prepared(self, conn: Connection, prepared: PreparedOrder) -> Cart:
        return self._price_lines(conn, _rows(prepared), prepared.delivery_product_code)


class _SameForTheBatch:
    """What every order of a batch reads alike, read once at the first order that needs
    it: the company, the open catalog priced for the member, each buyer. All inside the
    batch's one transaction, which the orders' own writes do not change (the stock,
    which they do change, is read order by order). A read that is refused is not kept:
    the next order is refused by it again, as if alone."""

    def __init__(self, backend: PreparedOrdersMixin) -> None:
        self._backend = backend
        self.company: CompanyProfile = backend.company()
        self._catalog: Catalog | None = None
        self._buyers: dict[int, Row[Any, Any]] = {}

    def catalog(self, conn: Connection) -> Catalog:
        if self._catalog is None:
            backend = self._backend
            period = open_period(conn, backend.clock().date())
            self._catalog = backend._pricing_catalog(conn, period)
        return self._catalog

    def buyer(self, conn: Connection, buyer_id: int) -> Row[Any, Any]:
        found = self._buyers.get(buyer_id)
        if found is None:
            found = self._buyers[buyer_id] = self._backend._buyer(conn, buyer_id)
        return found


def _rows(prepared: PreparedOrder) -> list[tuple[str, int, bool]]:
    """The order's lines as the cart's pricing takes them."""
    return [(line.code.strip(), line.quantity, bool(line.paid_with_points))
            for line in prepared.lines]


def _check_lines(prepared: PreparedOrder) -> None:
    if not prepared.lines or len(prepared.lines) > MAX_LINES:
        raise ValidationError(N_("An order holds 1 to {most} lines."), field="lines",
                              params={"most": MAX_LINES})
    for line in prepared.lines:
        check_quantity(line.quantity)
