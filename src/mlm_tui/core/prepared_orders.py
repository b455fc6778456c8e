"""Prepared orders: an order made ready away from the server, and the totals it was seen at.

Pure functions shared by the client's outbox, which writes what the consultant saw, and
the store, which places the order only if it would charge exactly that.
"""

from __future__ import annotations

from mlm_tui.core.models import Cart, Checkout, PreparedLine, PreparedOrder, SeenTotals

# The figures compared, in the order a difference is shown.
COMPARED = ("to_pay", "points", "points_spent", "gifts")


def seen_totals(cart: Cart) -> SeenTotals:
    """What a consultant sees a cart cost, as a prepared order carries it."""
    return SeenTotals(cart.to_pay, cart.points, cart.points_spent,
                      tuple(sorted(line.product.code for line in cart.lines if line.is_gift)))


def totals_differ(seen: SeenTotals, cart: Cart) -> list[str]:
    """Which of the seen figures (``COMPARED``) the cart no longer matches; empty: the same
    order at the same price."""
    now = seen_totals(cart)
    return [name for name in COMPARED if getattr(now, name) != getattr(seen, name)]


def prepare(cart: Cart, checkout: Checkout) -> PreparedOrder:
    """The cart as a prepared order: its bought lines (gifts come from the promotions
    again), the checkout and the totals the cart shows."""
    lines = tuple(PreparedLine(line.product.code, line.quantity, line.paid_with_points)
                  for line in cart.lines if not line.is_gift)
    return PreparedOrder(lines, checkout, seen_totals(cart), cart.delivery_product_code)
