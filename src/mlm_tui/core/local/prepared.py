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

from sqlalchemy import Connection

from mlm_tui.core.errors import DomainError, TotalsChanged, Unavailable, ValidationError
from mlm_tui.core.local.cart import CartMixin, check_checkout
from mlm_tui.core.models import Cart, Order, PreparedOrder, PreparedOutcome
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
        _check_lines(prepared)
        company = self.company()
        checkout = check_checkout(prepared.checkout, company)
        with self.store.write() as conn:
            existing = self._order_with_key(conn, checkout.idempotency_key)
            if existing is not None:
                return existing
            buyer = self._buyer(conn, checkout.buyer_id or self._me_id())
            catalog = self._open_catalog(conn)
            sold = catalog.by_code([line.code.strip() for line in prepared.lines])
            for line in prepared.lines:
                if line.code.strip() not in sold:
                    raise Unavailable(N_("{code} is no longer sold."), field="code",
                                      params={"code": line.code})
            cart = self._price_prepared(conn, prepared)
            differences = totals_differ(prepared.seen, cart)
            if differences:
                raise TotalsChanged(
                    N_("The order now costs {now} instead of {seen}: confirm it at the new "
                       "price or drop it."), field="total",
                    params={"now": cart.to_pay, "seen": prepared.seen.to_pay,
                            "differences": ",".join(differences)})
            return self._write_placed(conn, checkout, cart, buyer, catalog.period.id)

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
            for each in prepared:
                key = each.checkout.idempotency_key
                try:
                    order = self.place_prepared_order(each)
                except DomainError as refusal:
                    outcomes.append(PreparedOutcome(key, error=json.dumps(refusal.to_dict())))
                    continue
                outcomes.append(PreparedOutcome(key, order=order))
        return outcomes

    def _price_prepared(self, conn: Connection, prepared: PreparedOrder) -> Cart:
        return self._price_lines(
            conn, [(line.code.strip(), line.quantity, bool(line.paid_with_points))
                   for line in prepared.lines], prepared.delivery_product_code)


def _check_lines(prepared: PreparedOrder) -> None:
    if not prepared.lines or len(prepared.lines) > MAX_LINES:
        raise ValidationError(N_("An order holds 1 to {most} lines."), field="lines",
                              params={"most": MAX_LINES})
    for line in prepared.lines:
        check_quantity(line.quantity)
