"""Paying offline from the balance or with wallet points: only when the figures kept in
the replica cover the order, refused in the server's own words otherwise."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mlm_tui.core.errors import InsufficientBalance, InsufficientPoints
from mlm_tui.core.models import Cart, Checkout, DeliveryMethod, PaymentMethod
from mlm_tui.core.money import Money
from mlm_tui.core.offline.covered import check_covered

BALANCE = Checkout(DeliveryMethod.PICKUP_POINT, PaymentMethod.BALANCE, "k",
                   pickup_point="PP-MSK-2")
AT_THE_CENTRE = Checkout(DeliveryMethod.SERVICE_CENTRE, PaymentMethod.SERVICE_CENTRE, "k",
                         pickup_point="SC-MSK-1")


def rub(amount: str) -> Money:
    return Money(Decimal(amount), "RUB")


def cart(to_pay: str, points_spent: str = "0") -> Cart:
    return Cart((), rub(to_pay), rub("0"), rub("0"), rub(to_pay), Decimal(0),
                points_spent=Decimal(points_spent))


@pytest.fixture
def company(settings, clock):
    from mlm_tui.core.local import LocalBackend

    backend = LocalBackend(settings, clock=clock)
    try:
        return backend.company()
    finally:
        backend.close()


def test_the_kept_balance_covering_the_order_lets_it_queue(company):
    check_covered(cart("1000.00"), BALANCE, rub("1000.00"), Decimal(0), company)


def test_a_kept_balance_short_refuses_with_the_shortfall(company):
    from mlm_tui.i18n import remember_company_locale

    with pytest.raises(InsufficientBalance) as refused:
        check_covered(cart("1000.00"), BALANCE, rub("999.00"), Decimal(0), company)
    assert refused.value.field == "payment_method"
    remember_company_locale(company.locale)  # as the app does once the company is known
    assert "1,00" in refused.value.message and "999,00" in refused.value.message


def test_paid_otherwise_the_balance_does_not_matter(company):
    check_covered(cart("1000.00"), AT_THE_CENTRE, None, None, company)


def test_wallet_points_beyond_what_is_kept_are_refused(company):
    check_covered(cart("0", "40"), AT_THE_CENTRE, None, Decimal(40), company)
    with pytest.raises(InsufficientPoints) as refused:
        check_covered(cart("0", "40"), AT_THE_CENTRE, None, Decimal("39.5"), company)
    assert refused.value.field == "points"
    with pytest.raises(InsufficientPoints):
        check_covered(cart("0", "1"), AT_THE_CENTRE, None, None, company)  # none kept
