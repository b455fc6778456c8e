"""What changed in the store since a screen last read it: the change signal.

Screens show data that anyone may change: this app, another app on the same store, a
server's other clients. The backend answers one cheap question, ``changes_since(cursor)``,
with a new cursor and the kinds of data written since the old one; the app asks it every
few seconds and screens reload what they show of those kinds.

A kind is coarse on purpose: "orders" means some order changed, not that one of the
member's own did. A screen that reloads for nothing costs one read; a screen that misses
a change shows a wrong balance.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ChangeKind(StrEnum):
    ACCOUNT = "account"  # balance and points: the header
    # Payment requests: a top-up asked for, confirmed or refused. Apart from ACCOUNT so
    # that a screen showing its own top-up still reads a credit that came meanwhile.
    PAYMENTS = "payments"
    ORDERS = "orders"  # orders, their invoices and shipments
    CART = "cart"
    CATALOG = "catalog"  # periods, products, stock, promotions, the company profile
    TEAM = "team"  # members
    CLAIMS = "claims"
    INBOX = "inbox"  # notifications
    SIGN_IN = "sign_in"  # sessions, throttles, one-time codes
    CREDENTIALS = "credentials"  # members' passwords, activation, closing: a reset lifts a lock
    TRAINING = "training"


@dataclass(frozen=True, slots=True)
class Changes:
    """The answer of ``changes_since``: pass ``cursor`` next time.

    ``cursor`` is opaque to the caller; ``None`` asks for a starting point (no kinds).
    """

    cursor: int
    kinds: frozenset[ChangeKind] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.kinds)
