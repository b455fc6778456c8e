"""LocalBackend: what a screen needs at once, in one call (catalog_overview, checkout_overview,
wallet_overview, period_promotions, claimable_invoice, add_lines_to_cart).

Over HTTP every Backend call is a round trip, so a screen that opens with several things
asks for them together. In-process each answer is made of the single calls it stands for,
so the two can never disagree.
"""

from __future__ import annotations

from mlm_tui.core.errors import DomainError
from mlm_tui.core.local.auth import AuthMixin
from mlm_tui.core.local.cart import CartMixin
from mlm_tui.core.local.catalog import CatalogMixin
from mlm_tui.core.local.claims import ClaimsMixin
from mlm_tui.core.local.orders import OrdersMixin
from mlm_tui.core.local.wallet import WalletMixin
from mlm_tui.core.models import (
    Cart,
    CartAdditions,
    CatalogOverview,
    CheckoutOverview,
    ClaimableInvoice,
    LineRefused,
    PeriodPromotions,
    WalletOverview,
)


class OverviewsMixin(AuthMixin, CatalogMixin, CartMixin, OrdersMixin, WalletMixin, ClaimsMixin):
    def catalog_overview(self, *, limit: int = 50) -> CatalogOverview:
        return CatalogOverview(tuple(self.categories()),
                               self.search_products_page("", limit=limit))

    def checkout_overview(self) -> CheckoutOverview:
        return CheckoutOverview(self.me(), self.cart(), self.balance())

    def wallet_overview(self, *, limit: int = 50) -> WalletOverview:
        return WalletOverview(self.balance(), self.balance_ledger(limit=limit),
                              self.points_wallet(), self.points_ledger(limit=limit),
                              tuple(self.payment_requests()))

    def period_promotions(self) -> PeriodPromotions:
        return PeriodPromotions(self.current_period(), tuple(self.promotions()))

    def claimable_invoice(self, invoice_number: str) -> ClaimableInvoice:
        invoice = self.invoice(invoice_number)
        # Whoever may read the invoice may read its order: they are seen by the same rule.
        status = self.order(invoice.order_number).status
        earlier = tuple(c for c in self.claims() if c.invoice_number == invoice_number)
        return ClaimableInvoice(invoice, status, earlier)

    def add_lines_to_cart(self, lines: list[tuple[str, int]]) -> CartAdditions:
        cart: Cart | None = None
        refused: list[LineRefused] = []
        for code, quantity in lines:
            try:
                cart = self.add_to_cart(code, quantity)
            except DomainError as error:
                refused.append(LineRefused(code, error.code, error.message, error.field))
        return CartAdditions(cart if cart is not None else self.cart(), tuple(refused))
