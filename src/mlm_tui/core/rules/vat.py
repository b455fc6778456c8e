"""VAT on an invoice: prices are gross (as consultants know them); the invoice shows, for
each rate, the net amount, the VAT and the gross amount.

Rounded per rate, as German invoices usually are: the gross amounts of all lines of one
rate are added first, and the VAT is taken out of that sum once, rounded half up to the
cent (``gross × rate / (1 + rate)``); the net is the gross less that VAT. So, for every
invoice, net + VAT = gross for each rate, and the gross amounts add up to the total to
pay, to the cent. (Rounding each line would make the VAT of a long invoice drift from
the VAT of its sum by up to half a cent per line.)

A product's rate is its category's, else the company's standard rate. Delivery is
charged at the standard rate. A line given free (a gift, a product paid with wallet
points) costs nothing and carries no VAT.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from mlm_tui.core.models import CompanyProfile, VatLine
from mlm_tui.core.money import Money, currency_exponent


def rate_for(category: str | None, company: CompanyProfile) -> Decimal:
    for name, rate in company.vat_reduced:
        if name == category:
            return rate
    return company.vat_standard_rate


def breakdown(amounts: Iterable[tuple[Decimal, Money]], company: CompanyProfile
              ) -> tuple[VatLine, ...]:
    """``(rate, gross)`` pairs summed per rate, highest rate first; empty when the company
    charges no VAT."""
    if not company.vat_standard_rate and not company.vat_reduced:
        return ()
    by_rate: dict[Decimal, Decimal] = {}
    for rate, amount in amounts:
        by_rate[rate] = by_rate.get(rate, Decimal(0)) + amount.amount
    cent = Decimal(1).scaleb(-currency_exponent(company.currency))
    lines = []
    for rate in sorted(by_rate, reverse=True):
        gross = by_rate[rate]
        if not gross:
            continue
        vat = (gross * rate / (1 + rate)).quantize(cent, ROUND_HALF_UP)
        lines.append(VatLine(rate, Money(gross - vat, company.currency),
                             Money(vat, company.currency), Money(gross, company.currency)))
    return tuple(lines)
