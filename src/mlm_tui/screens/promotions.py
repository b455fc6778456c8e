"""Promotions of the current catalog period; closed sales (for consultants only) marked."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Static

from mlm_tui.core.dates import format_day
from mlm_tui.core.models import CatalogPeriod, CompanyProfile, Product, Promotion, PromotionKind
from mlm_tui.display import data_text
from mlm_tui.formats import format_money, format_points, shown_locale
from mlm_tui.i18n import N_, _
from mlm_tui.messages import Failed
from mlm_tui.screens.base import AppScreen
from mlm_tui.widgets.fitting_table import FittingTable
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.table_cursor import cursor_key


def promotion_terms(promotion: Promotion, locale: str) -> str:
    """What the promotion gives, in a few words."""
    if promotion.kind is PromotionKind.PERCENT_OFF:
        percent = format_points(promotion.percent, locale)
        if promotion.product_code:
            return _("−{percent}% on {code}").format(percent=percent,
                                                     code=promotion.product_code)
        return _("−{percent}% on the cart").format(percent=percent)
    if promotion.kind is PromotionKind.GIFT_OVER_THRESHOLD:
        threshold = format_money(promotion.threshold, locale) if promotion.threshold else ""
        return _("{code} free from {threshold}").format(code=promotion.product_code or "",
                                                         threshold=threshold)
    return _("{code} free for the delivery fee").format(code=promotion.product_code or "")


class PromotionsTable(FittingTable):
    """The promotions, where Enter (named in the footer) opens the promotion's product."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", N_("Open product"), id="promotions.open"),
    ]


class PromotionsScreen(AppScreen[None]):
    DEFAULT_CSS = """
    PromotionsScreen #period { padding: 0 1; height: auto; text-style: bold; }
    PromotionsScreen #period.closed { color: $warning; }
    PromotionsScreen DataTable { height: 1fr; margin: 0 1; }
    PromotionsScreen #legend { padding: 0 1; color: $text-muted; height: auto; }
    """

    class Loaded(Message):
        def __init__(self, period: CatalogPeriod, promotions: list[Promotion],
                     company: CompanyProfile) -> None:
            super().__init__()
            self.period, self.promotions, self.company = period, promotions, company

    class ProductFound(Message):
        def __init__(self, product: Product) -> None:
            super().__init__()
            self.product = product

    def __init__(self) -> None:
        super().__init__()
        self._promotions: dict[str, Promotion] = {}

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        yield Static(_("Loading…"), id="period")
        # The title gives up width: the terms say what the promotion gives.
        table = PromotionsTable(id="promotions", cursor_type="row", shrink={"title": 12})
        table.add_columns(("", "mark"), (_("Promotion"), "title"), (_("Terms"), "terms"))
        yield table
        yield Static(_("★ closed sale: for consultants only, not for customers"), id="legend")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Promotions")
        self.load()

    def load(self) -> None:
        def ask() -> Message:
            company = self.company_profile()
            found = self.backend.period_promotions()  # one request for the whole screen
            return self.Loaded(found.period, list(found.promotions), company)

        self.in_background(ask, group="promotions")

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        locale = shown_locale(message.company.locale)
        period = message.period
        dates = f"{format_day(period.starts_on, locale)} – {format_day(period.ends_on, locale)}"
        text = f"{period.name}  ({dates})"
        if not period.ordering_open:
            text += "  " + _("ordering is closed")
        if not message.promotions:
            text += "\n" + _("No promotions in this period.")
        header = self.query_one("#period", Static)
        header.update(data_text(text, multiline=True))
        header.set_class(not period.ordering_open, "closed")
        table = self.query_one("#promotions", DataTable)
        table.clear()
        self._promotions = {str(promotion.id): promotion for promotion in message.promotions}
        # Closed sales first: they are the reason a consultant opens this screen.
        for promotion in sorted(message.promotions, key=lambda p: (not p.closed_sale, p.id)):
            table.add_row("★" if promotion.closed_sale else "",
                          data_text(promotion.title, end="", overflow="ellipsis"),
                          data_text(promotion_terms(promotion, locale), end=""),
                          key=str(promotion.id))
        table.focus()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#period", Static).update(data_text(message.error.message))

    @on(DataTable.RowSelected, "#promotions")
    def _row_chosen(self) -> None:
        self.action_open_product()

    def action_open_product(self) -> None:
        """The product the promotion is about, where ``a`` puts it in the cart."""
        promotion = self._promotions.get(cursor_key(self.query_one("#promotions", DataTable)) or "")
        if promotion is None:
            return
        if not promotion.product_code:
            self.notify(_("This promotion applies to the whole cart: there is no one "
                          "product to open."), title=promotion.title)
            return
        self.find_product(promotion.product_code)

    def find_product(self, code: str) -> None:
        def ask() -> Message:
            product = self.backend.product(code)
            return self.ProductFound(product)

        self.in_background(ask, group="promotions-product")

    @on(ProductFound)
    def _product_found(self, message: ProductFound) -> None:
        from mlm_tui.screens.product_detail import ProductDetailScreen

        self.app.push_screen(ProductDetailScreen(message.product))
