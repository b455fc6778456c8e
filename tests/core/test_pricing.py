"""Pricing a cart: what a consultant sees in the cart before she orders."""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_CEILING, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from mlm_tui.core.company import demo_company
from mlm_tui.core.models import Product, Promotion, PromotionKind
from mlm_tui.core.money import Money
from mlm_tui.core.pricing import points_price, price_cart, unit_price

RU = demo_company("ru")  # 20 % consultant discount, delivery 299 ₽, free from 5 000 ₽
DE = demo_company("de")


def rub(amount: str) -> Money:
    return Money(Decimal(amount), "RUB")


def product(code: str, retail: str, *, points: str = "10", stock: int = 100,
            consultant: str | None = None, currency: str = "RUB") -> Product:
    price = Decimal(retail)
    return Product(
        code=code, name=f"Product {code}", category="Test", period="2026-16",
        retail_price=Money(price, currency),
        consultant_price=Money(Decimal(consultant) if consultant else price * Decimal("0.8"),
                               currency).rounded(),
        points=Decimal(points), stock=stock,
    )


CREAM = product("32548", "799.00", points="12.5")
MASCARA = product("33012", "549.00", points="8")
GEL = product("34001", "299.00", points="5")
SAMPLE = product("38000", "99.00", points="0")
PERFUME = product("35555", "2499.00", points="40")

MASCARA_10 = Promotion(1, "2026-16", PromotionKind.PERCENT_OFF, "-10% mascara", "33012",
                       percent=Decimal(10))
GEL_OVER_3000 = Promotion(2, "2026-16", PromotionKind.GIFT_OVER_THRESHOLD, "Gel from 3000",
                          "34001", threshold=rub("3000"))
SAMPLE_FOR_DELIVERY = Promotion(3, "2026-16", PromotionKind.DELIVERY_PRODUCT,
                                "Sample instead of delivery", "38000")
CLOSED_PERFUME_30 = Promotion(4, "2026-16", PromotionKind.PERCENT_OFF, "Closed sale",
                              "35555", percent=Decimal(30), closed_sale=True)
ALL = (MASCARA_10, GEL_OVER_3000, SAMPLE_FOR_DELIVERY, CLOSED_PERFUME_30)
GIFTS = {p.code: p for p in (GEL, SAMPLE)}


def line_in(cart, code: str):
    return next(line for line in cart.lines if line.product.code == code and not line.is_gift)


def test_a_consultant_pays_the_consultant_price_plus_delivery():
    cart = price_cart([(CREAM, 2)], company=RU)
    (line,) = cart.lines
    assert line.retail == rub("1598.00")
    assert line.to_pay == rub("1278.40")
    assert line.discount == rub("319.60")
    assert line.points == Decimal(25)
    assert cart.delivery_fee == rub("299")
    assert cart.to_pay == rub("1577.40")


def test_a_customer_pays_retail():
    cart = price_cart([(CREAM, 1)], company=RU, consultant=False)
    assert cart.lines[0].to_pay == rub("799")
    assert cart.discount == rub("0")


def test_percent_off_comes_on_top_of_the_consultant_price_rounded_per_unit():
    cart = price_cart([(MASCARA, 3)], company=RU, promotions=ALL, gifts=GIFTS)
    (line,) = cart.lines
    # 549 x 0.8 = 439.20; less 10 % = 395.28 per unit
    assert line.to_pay == rub("1185.84")
    assert line.discount == rub("1647.00") - rub("1185.84")
    assert next(p for p in cart.promotions if p.promotion is MASCARA_10).applied


def test_the_best_percent_wins_and_a_cart_wide_percent_reaches_every_line():
    everything_5 = Promotion(9, "2026-16", PromotionKind.PERCENT_OFF, "-5% on all",
                             percent=Decimal(5))
    cart = price_cart([(MASCARA, 1), (CREAM, 1)], company=RU,
                      promotions=(MASCARA_10, everything_5))
    mascara, cream = cart.lines
    assert mascara.to_pay == rub("395.28")  # 10 %, not 10 % and 5 %
    assert cream.to_pay == rub("607.24")  # 639.20 less 5 %


def test_closed_sales_are_for_consultants_only():
    consultant = price_cart([(PERFUME, 1)], company=RU, promotions=ALL, gifts=GIFTS)
    customer = price_cart([(PERFUME, 1)], company=RU, promotions=ALL, gifts=GIFTS,
                          consultant=False)
    assert consultant.lines[0].to_pay == rub("1749.30")  # 2499 less 30 %
    assert customer.lines[0].to_pay == rub("2499")


def test_a_closed_sale_replaces_the_consultant_discount_instead_of_adding_to_it():
    brushes = product("39000", "1899.00")  # 1 519,20 ₽ at the consultant price
    closed_40 = replace(CLOSED_PERFUME_30, product_code="39000", percent=Decimal(40))
    cart = price_cart([(brushes, 1)], company=RU, promotions=(closed_40,))
    assert cart.lines[0].to_pay == rub("1139.40")  # 1899 less 40 %, not 1519.20 less 40 %
    assert unit_price(brushes, (closed_40,), consultant=True) == rub("1139.40")


def test_a_closed_sale_smaller_than_the_consultant_discount_leaves_the_consultant_price():
    closed_10 = replace(CLOSED_PERFUME_30, percent=Decimal(10))
    cart = price_cart([(PERFUME, 1)], company=RU, promotions=(closed_10,))
    assert cart.lines[0].to_pay == rub("1999.20")


def test_the_gift_says_what_is_missing_until_the_threshold():
    cart = price_cart([(CREAM, 2)], company=RU, promotions=ALL, gifts=GIFTS)
    gift = next(p for p in cart.promotions if p.promotion is GEL_OVER_3000)
    assert not gift.applied
    assert gift.missing == rub("1721.60")  # 3000 - 1278.40
    assert not any(line.is_gift for line in cart.lines)


def test_the_gift_is_added_free_once_the_threshold_is_reached():
    cart = price_cart([(PERFUME, 1), (CREAM, 2)], company=RU, promotions=(GEL_OVER_3000,),
                      gifts=GIFTS)  # 1999.20 + 1278.40
    gift_line = cart.lines[-1]
    assert gift_line.is_gift and gift_line.product.code == "34001"
    assert gift_line.to_pay == rub("0") and gift_line.points == 0
    assert next(p for p in cart.promotions if p.promotion is GEL_OVER_3000).applied
    assert cart.points == Decimal(65)  # 40 + 2 x 12.5; the gift earns none


def test_a_sold_out_gift_is_not_promised():
    cart = price_cart([(PERFUME, 2)], company=RU, promotions=ALL,
                      gifts={"34001": replace(GEL, stock=0)})
    gift = next(p for p in cart.promotions if p.promotion is GEL_OVER_3000)
    assert (gift.applied, gift.missing) == (False, None)
    assert not any(line.is_gift for line in cart.lines)


def test_a_delivery_product_comes_in_exchange_for_the_fee_which_is_paid():
    cart = price_cart([(CREAM, 1)], company=RU, promotions=ALL, gifts=GIFTS,
                      delivery_product_code="38000")
    assert cart.delivery_fee == rub("299")
    assert cart.delivery_product_code == "38000"
    assert cart.lines[-1].product.code == "38000" and cart.lines[-1].is_gift
    assert cart.lines[-1].to_pay == rub("0")
    assert cart.to_pay == rub("938.20")  # the cream and the delivery fee


def test_a_delivery_product_nobody_offers_is_ignored():
    cart = price_cart([(CREAM, 1)], company=RU, promotions=ALL, gifts=GIFTS,
                      delivery_product_code="32548")
    assert cart.delivery_fee == rub("299")
    assert cart.delivery_product_code is None
    assert len(cart.lines) == 1


def test_delivery_is_free_from_the_company_threshold():
    cart = price_cart([(PERFUME, 3)], company=RU)  # 3 x 1999.20 = 5997.60
    assert cart.delivery_fee == rub("0")
    assert cart.to_pay == rub("5997.60")


def test_an_empty_cart_costs_nothing():
    cart = price_cart([], company=RU, promotions=ALL, gifts=GIFTS,
                      delivery_product_code="38000")
    assert cart.is_empty
    assert cart.to_pay == rub("0") and cart.delivery_fee == rub("0")


def test_the_same_product_twice_is_one_line():
    cart = price_cart([(CREAM, 1), (CREAM, 2)], company=RU)
    assert [(line.product.code, line.quantity) for line in cart.lines] == [("32548", 3)]


def test_euro_prices_round_half_up_to_cents():
    oil = product("36000", "12.35", consultant="9.26", currency="EUR")
    promotion = Promotion(1, "2026-16", PromotionKind.PERCENT_OFF, "-15%", "36000",
                          percent=Decimal(15))
    cart = price_cart([(oil, 1)], company=DE, promotions=(promotion,))
    assert cart.lines[0].to_pay == Money(Decimal("7.87"), "EUR")  # 7.871 -> 7.87
    cart = price_cart([(oil, 1)], company=DE, promotions=(replace(promotion,
                                                                  percent=Decimal(5)),))
    assert cart.lines[0].to_pay == Money(Decimal("8.80"), "EUR")  # 8.797 -> 8.80
    brush = product("39000", "14.00", consultant="10.30", currency="EUR")
    cart = price_cart([(brush, 1)], company=DE, promotions=(replace(
        promotion, product_code="39000", percent=Decimal(5)),))
    assert cart.lines[0].to_pay == Money(Decimal("9.79"), "EUR")  # 9.785: half up, not even


def test_a_line_paid_with_points_costs_whole_points_and_no_money():
    cart = price_cart([(CREAM, 2), (MASCARA, 1)], company=RU, promotions=ALL, gifts=GIFTS,
                      paid_with_points={"33012"})
    cream, mascara = cart.lines
    assert mascara.paid_with_points and not cream.paid_with_points
    assert mascara.points_spent == Decimal(396)  # 395,28 ₽ after the promotion, rounded up
    assert mascara.to_pay == rub("0") and mascara.points == 0
    assert mascara.discount == mascara.retail  # like a gift: the points paid the rest
    assert cart.points_spent == Decimal(396) and cart.points == Decimal(25)
    assert cart.to_pay == rub("1577.40")  # the cream and the delivery, as without mascara


def test_lines_paid_with_points_do_not_reach_a_threshold_or_free_delivery():
    cart = price_cart([(PERFUME, 3)], company=RU, promotions=(GEL_OVER_3000,), gifts=GIFTS,
                      paid_with_points={"35555"})
    assert cart.delivery_fee == rub("299") and cart.to_pay == rub("299")
    assert not any(line.is_gift for line in cart.lines)
    assert cart.points_spent == Decimal(3 * 2000)  # 1 999,20 ₽ each


def test_the_company_rate_prices_a_point():
    assert points_price(rub("639.20"), Decimal(1)) == Decimal(640)
    assert points_price(rub("639.20"), Decimal("0.5")) == Decimal("1279")  # 1278,4 rounded up
    assert points_price(Money(Decimal("7.87"), "EUR"), Decimal("0.10")) == Decimal(79)
    cart = price_cart([(CREAM, 1)], company=replace(RU, money_per_wallet_point=Decimal(10)),
                      paid_with_points={"32548"})
    assert cart.points_spent == Decimal(64)


# --- invariants, over any cart -------------------------------------------------------------

prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2)
percents = st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2)


@st.composite
def carts(draw):
    count = draw(st.integers(min_value=0, max_value=6))
    lines = []
    for n in range(count):
        retail = draw(prices)
        share = draw(st.decimals(min_value=Decimal("0.5"), max_value=Decimal("1.2"), places=2))
        p = product(f"{10000 + n}", str(retail), consultant=str(retail * share),
                    points=str(draw(st.decimals(min_value=0, max_value=100, places=2))))
        lines.append((p, draw(st.integers(min_value=1, max_value=99))))
    promotions = []
    for n, (p, _) in enumerate(lines):
        if draw(st.booleans()):
            promotions.append(Promotion(n, "2026-16", PromotionKind.PERCENT_OFF, "off",
                                        p.code, percent=draw(percents),
                                        closed_sale=draw(st.booleans())))
    threshold = Money(draw(prices), "RUB")
    promotions += [replace(GEL_OVER_3000, threshold=threshold), SAMPLE_FOR_DELIVERY]
    choice = draw(st.sampled_from([None, "38000", "99999"]))
    with_points = {p.code for p, _ in lines if draw(st.booleans())}
    return lines, promotions, choice, draw(st.booleans()), with_points


rates = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100), places=2)


@settings(max_examples=300, deadline=None)
@given(carts(), rates)
def test_totals_always_add_up(case, rate):
    lines, promotions, choice, consultant, with_points = case
    company = replace(RU, money_per_wallet_point=rate)
    cart = price_cart(lines, company=company, promotions=promotions, gifts=GIFTS,
                      delivery_product_code=choice, consultant=consultant,
                      paid_with_points=with_points)
    money_only = price_cart(lines, company=company, promotions=promotions, gifts=GIFTS,
                            delivery_product_code=choice, consultant=consultant)
    total_lines = sum((line.to_pay.amount for line in cart.lines), Decimal(0))
    assert cart.to_pay.amount == total_lines + cart.delivery_fee.amount
    assert cart.to_pay == (cart.retail - cart.discount + cart.delivery_fee).rounded()
    assert cart.points == sum((line.points for line in cart.lines), Decimal(0))
    for line in cart.lines:
        assert not line.to_pay.is_negative() and not line.discount.is_negative()
        assert line.retail - line.discount == line.to_pay
        if line.is_gift:
            assert line.to_pay.amount == 0 and line.points == 0
        assert line.paid_with_points == (not line.is_gift and line.product.code in with_points)
        if line.paid_with_points:
            assert line.to_pay.amount == 0 and line.points == 0
            # What the line would have cost in money, in whole points, rounded up.
            unit = line_in(money_only, line.product.code).to_pay.amount / line.quantity
            each = (unit / rate).to_integral_value(rounding=ROUND_CEILING)
            assert line.points_spent == each * line.quantity
            assert (line.points_spent - line.quantity) * rate < unit * line.quantity
            assert unit * line.quantity <= line.points_spent * rate
        else:
            assert line.points_spent == 0
    assert cart.points_spent == sum((line.points_spent for line in cart.lines), Decimal(0))
    for line in cart.lines:  # paying with points changes no line's retail value
        if not line.is_gift:
            assert line.retail == line_in(money_only, line.product.code).retail
    for money in (cart.to_pay, cart.retail, cart.discount, cart.delivery_fee,
                  *(line.to_pay for line in cart.lines)):
        assert money.amount == money.rounded().amount  # whole kopecks


def test_with_free_delivery_there_is_no_fee_to_exchange_for_a_product():
    cart = price_cart([(PERFUME, 3)], company=RU, promotions=ALL, gifts=GIFTS,
                      delivery_product_code="38000")  # 3 x 1 749,30 ₽: delivery is free
    assert cart.delivery_fee == rub("0")
    assert cart.delivery_product_code is None
    assert not any(line.product.code == "38000" for line in cart.lines)
