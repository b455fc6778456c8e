"""What cancelling an order withholds, and what each part of it pays for.

The company may keep back from the balance what the order cost it: forming the order, and
delivering it there and back. An order cancelled before it was shipped never travelled, so
only forming it is charged; a shipped order stopped with the carrier travelled both ways.
Nothing is withheld beyond what was paid from the balance, and forming comes first.
"""

from __future__ import annotations

from mlm_tui.core.errors import N_  # the client words it, in its reader's language
from mlm_tui.core.models import CompanyProfile, FeePart
from mlm_tui.core.money import Money

# What each part pays for; the balance ledger's fee entries carry it as their note.
FORMING = N_("forming the order")
ROUND_TRIP = N_("delivery there and back")


def cancellation_fee(company: CompanyProfile, *, shipped: bool,
                     paid: Money) -> tuple[FeePart, ...]:
    """The parts withheld from ``paid`` when the order is cancelled (or stopped, if shipped)."""
    wanted = [(FORMING, company.cancellation_forming_fee)]
    if shipped:
        wanted.append((ROUND_TRIP, company.cancellation_round_trip_fee))
    parts: list[FeePart] = []
    left = paid
    for what, amount in wanted:
        charged = min(amount, left).rounded()
        if charged.amount > 0:
            parts.append(FeePart(what, charged))
            left = left - charged
    return tuple(parts)


def total(parts: tuple[FeePart, ...], currency: str) -> Money:
    return sum((part.amount for part in parts), Money.zero(currency))
