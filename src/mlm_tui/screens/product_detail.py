"""One product: prices, points, stock, promotions and its description; add it to the cart."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from mlm_tui.core.models import CompanyProfile, Product
from mlm_tui.display import data_text
from mlm_tui.i18n import N_, _
from mlm_tui.screens.add_to_cart import Added, AddToCartScreen
from mlm_tui.screens.base import AppScreen, back_binding
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.money import money_text, points_text


def product_facts(product: Product, company: CompanyProfile | None) -> Table:
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    stock = (_("{count} in stock").format(count=product.stock) if product.available
             else _("sold out"))
    rows = [
        (_("Code"), product.code),
        (_("Category"), product.category),
        (_("Catalog"), product.period),
        (_("Your price"), money_text(product.price, company)),
        (_("Retail price"), money_text(product.retail_price, company)),
        (_("Points"), points_text(product.points, company)),
        (_("Availability"), stock),
    ]
    if product.promotion_marks:
        rows.append((_("Promotions"), " ".join(product.promotion_marks)))
    for label, value in rows:
        facts.add_row(label, data_text(value))
    return facts


class ProductDetailScreen(AppScreen[None]):
    DEFAULT_CSS = """
    ProductDetailScreen VerticalScroll { padding: 1 2; }
    ProductDetailScreen #product-name { text-style: bold; margin-bottom: 1; height: auto; }
    ProductDetailScreen #product-description { margin-top: 1; height: auto; }
    ProductDetailScreen #product-status { padding: 0 1; height: auto; }
    """

    BINDINGS = [
        Binding("a", "add_to_cart", N_("Add to cart"), id="product.add"),
        back_binding("product.back"),
    ]

    def __init__(self, product: Product) -> None:
        super().__init__()
        self.product = product

    def compose(self) -> ComposeResult:
        company = self.mlm_app.company
        yield AccountHeader()
        with VerticalScroll():
            yield Static(data_text(self.product.name), id="product-name")
            yield Static(product_facts(self.product, company), id="product-facts")
            yield Static(data_text(self.product.description, multiline=True),
                         id="product-description")
        yield Static("", id="product-status", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Product {code}").format(code=self.product.code)

    def action_add_to_cart(self) -> None:
        self.app.push_screen(AddToCartScreen(self.product), self._added)

    def _added(self, added: Added | None) -> None:
        if added is not None:
            self.query_one("#product-status", Static).update(
                data_text(added.describe(self.mlm_app.company)))
