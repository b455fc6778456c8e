"""Pricing a cart: pure arithmetic over products, quantities, promotions and the company.

The rules, in the order they apply:

- A line is bought at the product's consultant price (the company's consultant discount,
  stored on the product per catalog period); a customer pays the retail price.
- A PERCENT_OFF promotion takes its percent off that price (on one product, or on every
  line when it names no product). Promotions do not stack: a line gets the best percent.
- A closed sale is for consultants only and *is* a consultant's price: its percent comes
  off the retail price instead of the consultant discount, never on top of it (the
  consultant pays whichever of the two prices is lower).
- :func:`unit_price` is the one answer to "what does one unit cost this buyer": the
  catalog, the product page, quick order, the cart, checkout and the invoice all show it.
- The unit price is rounded half up to the currency's minor unit *before* it is multiplied
  by the quantity, so an order's lines (unit price x quantity) add up to the cart exactly.
- GIFT_OVER_THRESHOLD adds its product as a free line once the lines to pay reach the
  threshold; until then the progress says what is missing.
- DELIVERY_PRODUCT: a product given in exchange for the delivery fee. The fee is paid as
  usual and the chosen product comes with the order as a free line; when the delivery is
  free there is no fee to exchange and no product.
- Delivery is free from ``company.free_delivery_from``; an empty cart has no delivery.
- Points come from the bought lines (points per unit x quantity); gifts earn none.
- A line may be paid with wallet points instead of money. One unit costs its unit price
  (the consultant price less promotions, as above) divided by
  ``company.money_per_wallet_point``, rounded up to a whole point, so a point never buys
  more than it is worth; the line costs that times the quantity. Like a gift, its retail
  value shows as the discount: it costs no money, earns no points and does not count
  towards a threshold or free delivery. Whether the wallet holds enough is the store's
  question, not this module's.

Nothing here does I/O: the caller loads the products and promotions.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import ROUND_CEILING, Decimal

from mlm_tui.core.models import (
    Cart,
    CartLine,
    CompanyProfile,
    Product,
    Promotion,
    PromotionKind,
    PromotionProgress,
)
from mlm_tui.core.money import Money

HUNDRED = Decimal(100)
ZERO = Decimal(0)


def price_cart(
    lines: Sequence[tuple[Product, int]],
    *,
    company: CompanyProfile,
    promotions: Sequence[Promotion] = (),
    gifts: Mapping[str, Product] | None = None,
    delivery_product_code: str | None = None,
    consultant: bool = True,
    paid_with_points: Collection[str] = (),
) -> Cart:
    """Price ``lines`` (product, quantity); ``gifts`` holds the products promotions give away.

    A product listed twice is priced as one line. A delivery product that no promotion
    offers, or that is sold out, is ignored (the cart then says which one, if any, applies).
    The products whose codes are in ``paid_with_points`` are paid from the points wallet.
    """
    currency = company.currency
    usable = [p for p in promotions if consultant or not p.closed_sale]
    bought = [
        _points_line(product, quantity, usable, consultant, company.money_per_wallet_point)
        if product.code in paid_with_points
        else _bought_line(product, quantity, usable, consultant)
        for product, quantity in _merged(lines)
    ]
    goods = _sum((line.to_pay for line in bought), currency)

    delivery = _delivery_fee(company, goods, has_goods=bool(bought))
    gift_lines: list[CartLine] = []
    progress: list[PromotionProgress] = []
    delivery_choice: str | None = None
    for promotion in promotions:
        if promotion.kind is PromotionKind.PERCENT_OFF:
            progress.append(_percent_progress(promotion, bought, promotion in usable))
        elif promotion.kind is PromotionKind.GIFT_OVER_THRESHOLD:
            gift, state = _threshold_gift(promotion, goods, bool(bought), gifts or {})
            progress.append(state)
            if gift is not None:
                gift_lines.append(gift)
        elif promotion.kind is PromotionKind.DELIVERY_PRODUCT:
            chosen = _delivery_gift(promotion, delivery_product_code, bool(delivery),
                                    gifts or {})
            progress.append(PromotionProgress(promotion, chosen is not None, None))
            if chosen is not None and delivery_choice is None:
                delivery_choice = chosen.product.code
                gift_lines.append(chosen)

    all_lines = tuple(bought + gift_lines)
    retail = _sum((line.retail for line in all_lines), currency)
    discount = _sum((line.discount for line in all_lines), currency)
    return Cart(
        lines=all_lines,
        retail=retail,
        discount=discount,
        delivery_fee=delivery,
        to_pay=(goods + delivery).rounded(),
        points=sum((line.points for line in all_lines), Decimal(0)),
        promotions=tuple(progress),
        delivery_product_code=delivery_choice,
        points_spent=sum((line.points_spent for line in all_lines), Decimal(0)),
    )


def unit_price(product: Product, promotions: Sequence[Promotion], consultant: bool) -> Money:
    """What one unit costs this buyer, rounded: every price shown comes from here.

    The buyer's base price less the best open promotion; for a consultant, a closed sale
    takes its percent off the retail price instead, when that is cheaper.
    """
    return UnitPrices(promotions, consultant).of(product)


class UnitPrices:
    """:func:`unit_price` for many products under the same promotions: the promotions are
    sorted once, so a page of products costs one lookup each (the catalog prices every
    product it reads)."""

    def __init__(self, promotions: Sequence[Promotion], consultant: bool) -> None:
        self.consultant = consultant
        self._open = _percents(p for p in promotions if not p.closed_sale)
        # Closed sales are a consultant's price only.
        self._closed = _percents(p for p in promotions if p.closed_sale) if consultant else {}
        # The codes some percent is taken off, or None for all: any other product costs
        # its base price, which a page of search results is mostly made of.
        self._cart_wide = None in self._open or None in self._closed
        self._codes = set(self._open) | set(self._closed)

    def of(self, product: Product) -> Money:
        return self.price(product.code, product.retail_price, product.consultant_price)

    def price(self, code: str, retail_price: Money, consultant_price: Money) -> Money:
        """The unit price of the product ``code`` with these prices (as :meth:`of`)."""
        base = consultant_price if self.consultant else retail_price
        base = min(base, retail_price)  # a discount never makes a product dearer
        if not self._cart_wide and code not in self._codes:
            return base.rounded()
        price = _less(base, self._percent(self._open, code))
        if self.consultant:
            price = min(price, _less(retail_price, self._percent(self._closed, code)))
        return price.rounded()

    @staticmethod
    def _percent(percents: dict[str | None, Decimal], code: str) -> Decimal:
        """The best of the product's own percent and a cart-wide one (``None``)."""
        best = max(percents.get(code, ZERO), percents.get(None, ZERO))
        return min(best, HUNDRED).max(ZERO)


def _percents(promotions: Iterable[Promotion]) -> dict[str | None, Decimal]:
    """The largest PERCENT_OFF per product code (``None``: on every product)."""
    best: dict[str | None, Decimal] = {}
    for promotion in promotions:
        if promotion.kind is PromotionKind.PERCENT_OFF:
            code = promotion.product_code
            best[code] = max(best.get(code, promotion.percent), promotion.percent)
    return best


def _less(price: Money, percent: Decimal) -> Money:
    if not percent:
        return price  # most products have no promotion: nothing to take off
    return price * ((HUNDRED - percent) / HUNDRED)


def best_percent(code: str, promotions: Sequence[Promotion]) -> Decimal:
    """The largest PERCENT_OFF for this product (its own or a cart-wide one), 0..100."""
    return UnitPrices._percent(_percents(promotions), code)


def _merged(lines: Sequence[tuple[Product, int]]) -> list[tuple[Product, int]]:
    merged: dict[str, tuple[Product, int]] = {}
    for product, quantity in lines:
        if product.code in merged:
            quantity += merged[product.code][1]
        merged[product.code] = (product, quantity)
    return list(merged.values())


def _bought_line(
    product: Product, quantity: int, promotions: Sequence[Promotion], consultant: bool
) -> CartLine:
    retail = (product.retail_price * quantity).rounded()
    to_pay = (unit_price(product, promotions, consultant) * quantity).rounded()
    return CartLine(
        product=product,
        quantity=quantity,
        retail=retail,
        discount=(retail - to_pay).rounded(),
        to_pay=to_pay,
        points=product.points * quantity,
    )


def points_price(unit: Money, money_per_point: Decimal) -> Decimal:
    """Whole wallet points for one unit costing ``unit``: rounded up, never below its worth."""
    if money_per_point <= 0:
        raise ValueError("a wallet point must be worth more than nothing")
    return (unit.amount / money_per_point).to_integral_value(rounding=ROUND_CEILING)


def _points_line(
    product: Product, quantity: int, promotions: Sequence[Promotion], consultant: bool,
    money_per_point: Decimal,
) -> CartLine:
    retail = (product.retail_price * quantity).rounded()
    each = points_price(unit_price(product, promotions, consultant), money_per_point)
    return CartLine(
        product=product,
        quantity=quantity,
        retail=retail,
        discount=retail,
        to_pay=Money.zero(retail.currency).rounded(),
        points=Decimal(0),
        paid_with_points=True,
        points_spent=each * quantity,
    )


def gift_line(product: Product) -> CartLine:
    """One free unit: its retail value shows as the discount; it earns no points."""
    retail = product.retail_price.rounded()
    return CartLine(
        product=product,
        quantity=1,
        retail=retail,
        discount=retail,
        to_pay=Money.zero(retail.currency).rounded(),
        points=Decimal(0),
        is_gift=True,
    )


def _percent_progress(
    promotion: Promotion, bought: list[CartLine], usable: bool
) -> PromotionProgress:
    if promotion.product_code is None:
        applied = bool(bought)
    else:
        applied = any(line.product.code == promotion.product_code for line in bought)
    return PromotionProgress(promotion, usable and applied and promotion.percent > 0, None)


def _threshold_gift(
    promotion: Promotion, goods: Money, has_goods: bool, gifts: Mapping[str, Product]
) -> tuple[CartLine | None, PromotionProgress]:
    threshold = promotion.threshold or Money.zero(goods.currency)
    product = gifts.get(promotion.product_code or "")
    if product is None or not product.available:
        return None, PromotionProgress(promotion, False, None)  # nothing left to give
    if has_goods and goods >= threshold:
        return gift_line(product), PromotionProgress(promotion, True, None)
    return None, PromotionProgress(promotion, False, (threshold - goods).rounded())


def _delivery_gift(
    promotion: Promotion, chosen: str | None, fee_paid: bool, gifts: Mapping[str, Product]
) -> CartLine | None:
    # Nothing to exchange when the delivery costs nothing (an empty cart, free delivery).
    if not fee_paid or chosen is None or promotion.product_code != chosen:
        return None
    product = gifts.get(chosen)
    if product is None or not product.available:
        return None
    return gift_line(product)


def _delivery_fee(company: CompanyProfile, goods: Money, *, has_goods: bool) -> Money:
    free = Money.zero(company.currency).rounded()
    if not has_goods:
        return free
    if company.free_delivery_from is not None and goods >= company.free_delivery_from:
        return free
    return company.delivery_fee.rounded()


def _sum(amounts: Iterable[Money], currency: str) -> Money:
    total = Money.zero(currency)
    for amount in amounts:
        total = total + amount
    return total.rounded()
