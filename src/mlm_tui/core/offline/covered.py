"""Paying offline: from the balance or with wallet points only when the figures kept in
the replica cover it. The server checks both again when the order arrives; this keeps an
order that could not go through from being queued at all."""

from __future__ import annotations

from decimal import Decimal

from mlm_tui.core.errors import N_, InsufficientBalance, InsufficientPoints
from mlm_tui.core.models import Cart, Checkout, CompanyProfile, PaymentMethod
from mlm_tui.core.money import Money, Points


def check_covered(cart: Cart, checkout: Checkout, balance: Money | None,
                  wallet_points: Decimal | None, company: CompanyProfile) -> None:
    """``InsufficientBalance`` or ``InsufficientPoints`` (the server's own words) when
    the kept balance or wallet does not cover the order; nothing kept covers nothing."""
    if checkout.payment_method is PaymentMethod.BALANCE:
        held = balance if balance is not None else Money.zero(company.currency)
        if held < cart.to_pay:
            raise InsufficientBalance(
                N_("The balance holds {balance}: top it up by {shortfall} or choose another "
                   "payment method."), field="payment_method",
                params={"balance": held, "shortfall": (cart.to_pay - held).rounded()})
    if cart.points_spent:
        points = wallet_points if wallet_points is not None else Decimal(0)
        if cart.points_spent > points:
            def shown(value: Decimal) -> Points:
                return Points(value, company.points_label)

            raise InsufficientPoints(
                N_("Paying with points needs {needed}; the wallet holds {held}. Pay a line "
                   "with money instead."), field="points",
                params={"needed": shown(cart.points_spent), "held": shown(points)})
