"""The one-line cart summary of the screens that add to the cart."""

from __future__ import annotations

from decimal import Decimal

from mlm_tui.core.company import demo_company
from mlm_tui.core.models import Product
from mlm_tui.core.money import Money
from mlm_tui.core.pricing import price_cart
from mlm_tui.widgets.cart_summary import cart_summary_text

RU = demo_company("ru")


def product(code: str, retail: str, consultant: str, points: str) -> Product:
    return Product(code=code, name=f"Product {code}", category="Test", period="2026-16",
                   retail_price=Money(Decimal(retail), "RUB"),
                   consultant_price=Money(Decimal(consultant), "RUB"),
                   points=Decimal(points), stock=10)


CREAM = product("32548", "799.00", "639.20", "12.5")
SAMPLE = product("38000", "99.00", "79.20", "0")


def test_the_summary_says_what_lines_paid_with_points_cost():
    cart = price_cart([(CREAM, 1), (SAMPLE, 1)], company=RU, paid_with_points={"38000"})
    text = cart_summary_text(cart, RU).replace("\xa0", " ")
    assert text == ("The cart: 2 lines, to pay 938,20 ₽, 12,5 BB. "
                    "Paid with 80 BB from the wallet.")


def test_without_points_the_summary_is_as_before():
    cart = price_cart([(CREAM, 1)], company=RU)
    assert "wallet" not in cart_summary_text(cart, RU)
