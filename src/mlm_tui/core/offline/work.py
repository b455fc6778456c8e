"""Working with a team server that may be away: the cart kept here, priced by the server
when it answers and from the replica when it does not, and checkout through the outbox.

Checkout always queues first and then sends (when online): the order is on disk with its
key before any request leaves, so an order is never lost and never placed twice, whether
the network holds or not. The first failure to reach the server marks this work offline:
nothing after it waits for a timeout again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from mlm_tui.core import errors as e
from mlm_tui.core.backend import Backend
from mlm_tui.core.errors import N_
from mlm_tui.core.models import (
    Cart,
    Checkout,
    DeliveryMethod,
    PaymentMethod,
    PreparedLine,
    PreparedOrder,
    SeenTotals,
)
from mlm_tui.core.money import Money
from mlm_tui.core.offline.outbox import TO_SEND, Outbox, QueuedOrder, offline_file
from mlm_tui.core.offline.replica import Replica
from mlm_tui.core.offline.sync import SyncReport, sync
from mlm_tui.core.rules.cart_lines import MAX_LINE_QUANTITY, check_quantity


@dataclass(frozen=True, slots=True)
class PricedCart:
    cart: Cart
    online: bool  # False: priced from the replica, as of ``Replica.prices_as_of``


class OfflineWork:
    """The outbox, replica and kept cart of one server for the member signed in."""

    def __init__(self, data_dir: Path, backend: Backend, server_url: str) -> None:
        self.outbox = Outbox(offline_file(data_dir, server_url))
        self.replica = Replica(self.outbox)
        self.backend = backend
        self.online = backend.session() is not None
        kept = self.replica.member()
        session = backend.session()
        self.member_id = session.member_id if session else (kept[0] if kept else None)
        if self.member_id is None:
            raise e.Offline(N_("Nothing is kept for offline work yet: connect once to the "
                               "server first."), field="server")

    def close(self) -> None:
        self.outbox.close()

    def _online_call(self, call: Callable[[], object]) -> bool:
        """Run ``call`` when online; False (and offline from now on) when unreachable."""
        if not self.online:
            return False
        try:
            call()
        except e.Offline:
            self.online = False
        return self.online

    def refresh(self, codes: Iterable[str] = ()) -> None:
        """Bring the replica up to date when online (the catalog: only what changed)."""
        self._online_call(lambda: self.replica.refresh(self.backend, codes))
        self._online_call(lambda: self.replica.refresh_catalog(self.backend))

    # --- the cart --------------------------------------------------------------------------
    def lines(self) -> list[PreparedLine]:
        rows = self.outbox.db.execute(
            "SELECT code, quantity, paid_with_points FROM cart_lines WHERE member_id = ?"
            " ORDER BY added, code", (self.member_id,)).fetchall()
        return [PreparedLine(code, quantity, bool(points)) for code, quantity, points in rows]

    def add(self, wanted: Iterable[tuple[str, int]]) -> PricedCart:
        """Add each (code, quantity): all or none. ``NotFound`` (field ``code``) for a code
        the catalog (or, offline, the replica) does not hold; ``ValidationError`` for a
        quantity out of range."""
        wanted = [(code.strip(), quantity) for code, quantity in wanted]
        for _code, quantity in wanted:
            check_quantity(quantity)
        codes = [code for code, _quantity in wanted]
        self.refresh(codes)
        known = self.replica.products(codes)
        held = {line.code: line.quantity for line in self.lines()}
        with self.outbox.write() as db:
            for code, quantity in wanted:
                if code not in known:
                    raise e.NotFound(N_("There is no product {code} in this catalog."),
                                     field="code", params={"code": code})
                held[code] = held.get(code, 0) + quantity
                if held[code] > MAX_LINE_QUANTITY:
                    raise e.ValidationError(
                        N_("At most {limit} of one product per order; the cart already "
                           "holds {held}."), field="quantity",
                        params={"limit": MAX_LINE_QUANTITY, "held": held[code] - quantity})
                db.execute(
                    "INSERT INTO cart_lines (member_id, code, quantity, added)"
                    " VALUES (?, ?, ?, (SELECT coalesce(max(added), 0) + 1 FROM cart_lines))"
                    " ON CONFLICT (member_id, code) DO UPDATE SET quantity = ?",
                    (self.member_id, code, held[code], held[code]))
        return self.priced()

    def edit(self, order: QueuedOrder) -> PricedCart:
        """Take a queued or waiting order back into the cart to change it: its lines go
        to the cart (added to what is there) and the order is dropped, in one transaction;
        refused (``Conflict``) for an order that may have reached the server."""
        if order.member_id != self.member_id:
            raise e.NotFound(N_("There is no queued order {number}."), field="number",
                             params={"number": order.number})
        with self.outbox.write() as db:
            dropped = db.execute(
                "UPDATE outbox SET state = 'dropped', revision = revision + 1 WHERE id = ?"
                " AND state IN ('queued', 'waiting')", (order.id,)).rowcount
            if not dropped:
                raise e.Conflict(
                    N_("Order {number} may have reached the server already: sync first."),
                    field="number", params={"number": order.number})
            for line in order.prepared.lines:
                db.execute(
                    "INSERT INTO cart_lines (member_id, code, quantity, paid_with_points,"
                    " added) VALUES (?, ?, ?, ?,"
                    " (SELECT coalesce(max(added), 0) + 1 FROM cart_lines))"
                    " ON CONFLICT (member_id, code) DO UPDATE SET quantity ="
                    " min(quantity + excluded.quantity, ?)",
                    (self.member_id, line.code, line.quantity, int(line.paid_with_points),
                     MAX_LINE_QUANTITY))
        return self.priced()

    def clear(self) -> None:
        with self.outbox.write() as db:
            db.execute("DELETE FROM cart_lines WHERE member_id = ?", (self.member_id,))

    def priced(self) -> PricedCart:
        """The cart as the server would charge it now, or as it would have when last read."""
        lines = self.lines()
        if not lines:
            return PricedCart(self.replica.price([]), self.online)
        quote: list[Cart] = []
        if self._online_call(lambda: quote.append(self.backend.quote_prepared_order(
                PreparedOrder(tuple(lines), _NO_CHECKOUT, _NOTHING_SEEN)))):
            self.replica.keep_products(line.product for line in quote[0].lines)
            return PricedCart(quote[0], True)
        return PricedCart(self.replica.price(lines), False)

    # --- checkout and sync -----------------------------------------------------------------
    def checkout(self, checkout: Checkout) -> QueuedOrder:
        """Queue the cart as priced now, empty it, and send it at once when online."""
        priced = self.priced()
        assert self.member_id is not None
        queued = self.outbox.queue(self.member_id, priced.cart, checkout)
        self.clear()
        if self.online:
            self.sync()
        return self.outbox.get(queued.id)

    def sync(self) -> SyncReport:
        assert self.member_id is not None
        if not self.online:
            report = SyncReport(offline=True)
            report.still_queued = self.outbox.orders(self.member_id,
                                                     states=TO_SEND)
            return report
        report = sync(self.outbox, self.backend, self.member_id)
        if report.offline:
            self.online = False
        return report


# A quote needs a checkout and seen totals to be a prepared order; it reads neither.
_NO_CHECKOUT = Checkout(DeliveryMethod.COURIER, PaymentMethod.BALANCE, "quote")
_NOTHING_SEEN = SeenTotals(Money(Decimal(0), "XXX"), Decimal(0))
