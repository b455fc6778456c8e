"""The catalog: instant search by code or name, a category filter, add to cart.

Every keystroke starts a search worker; a newer one makes the older result stale, so
typing never waits for the database and the table only ever shows the latest query.
Results come a page at a time: moving or scrolling near the last row reads the next page
(a category with nothing typed lists all its products that way). Enter opens a product;
``a`` asks for a quantity and puts it into the cart; Esc clears the category first.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Input, Select, Static
from textual.worker import get_current_worker

from mlm_tui.core.errors import DomainError
from mlm_tui.core.models import Category, CompanyProfile, Product
from mlm_tui.core.money import Money
from mlm_tui.display import data_text
from mlm_tui.i18n import N_, _, ngettext
from mlm_tui.messages import Failed
from mlm_tui.screens.add_to_cart import Added, AddToCartScreen
from mlm_tui.screens.base import AppScreen
from mlm_tui.widgets.flex_table import ColumnSpec, FlexTable
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.money import money_text, points_number, right
from mlm_tui.widgets.points_column import points_column
from mlm_tui.widgets.status_line import StatusLine
from mlm_tui.widgets.text_input import TextInput

RESULT_LIMIT = 50  # products per page read


def product_columns(company: CompanyProfile | None) -> list[ColumnSpec]:
    # Room for 9 999,99 ₽ and a space; more where the currency is written longer (RUB in
    # a German interface).
    price = max(11, len(money_text(Money(Decimal("9999.99"), company.currency), company)) + 1
                ) if company else 11
    return [
        ColumnSpec("code", _("Code"), 6),
        ColumnSpec("name", _("Product"), None),
        ColumnSpec("price", _("Your price"), price, "right", wide=max(12, price)),
        ColumnSpec("retail", _("Retail"), price, "right", wide=max(12, price)),
        points_column(company),
        ColumnSpec("stock", _("In stock"), 8, "right"),
        ColumnSpec("promo", _("Promo"), 8, wide=24),
    ]


def short_mark(mark: str) -> str:
    """The catalog's promotion marks, short enough for their column."""
    short = {"instead of delivery": _("delivery"), "closed sale": _("closed"),
             "gift": _("gift")}
    return short.get(mark, _(mark))


def product_cells(product: Product, company: CompanyProfile | None) -> list[Any]:
    stock = str(product.stock) if product.available else _("sold out")
    return [
        data_text(product.code),
        data_text(product.name, no_wrap=True, overflow="ellipsis"),
        right(money_text(product.price, company), "bold"),
        right(money_text(product.retail_price, company)),
        right(points_number(product.points, company)),
        right(stock, "" if product.available else "italic"),
        data_text(", ".join(short_mark(mark) for mark in product.promotion_marks),
                  no_wrap=True, overflow="ellipsis"),
    ]


class CatalogScreen(AppScreen[None]):
    DEFAULT_CSS = """
    CatalogScreen #catalog-filters { height: 3; }
    CatalogScreen #search { width: 1fr; }
    CatalogScreen #category { width: 30; }
    CatalogScreen #catalog-info { padding: 0 1; height: 1; color: $text-muted; }
    CatalogScreen #products { height: 1fr; }
    CatalogScreen #catalog-status { max-height: 3; }
    """

    BINDINGS = [
        Binding("slash", "focus_search", N_("Search"), id="catalog.search"),
        Binding("ctrl+f", "focus_search", N_("Search"), show=False, id="catalog.search_ctrl"),
        Binding("a", "add_to_cart", N_("Add to cart"), id="catalog.add"),
        Binding("ctrl+g", "focus_category", N_("Category"), show=False, id="catalog.category"),
        Binding("escape", "clear_category", N_("Clear the category"), show=False,
                id="catalog.clear_category"),
    ]

    @dataclass
    class Categories(Message):
        categories: list[Category]

    class Results(Message):
        """A page of products for the query and category; ``after`` is the position the
        page was read from (None: the first), ``next_after`` where the next one starts."""

        def __init__(self, query: str, category_id: int | None, products: list[Product],
                     *, after: str | None = None, next_after: str | None = None) -> None:
            super().__init__()
            self.query, self.category_id, self.products = query, category_id, products
            self.after, self.next_after = after, next_after

    def __init__(self) -> None:
        super().__init__()
        self.products: dict[str, Product] = {}
        self.category_names: dict[int, str] = {}
        self.next_after: str | None = None  # where the next page starts; None: no more
        self.reading_more = False

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        with Horizontal(id="catalog-filters"):
            yield TextInput(placeholder=_("Search by code or part of the name…"), id="search")
            yield Select[int]([], prompt=_("All categories"), id="category")
        yield Static("", id="catalog-info", markup=False)
        yield FlexTable(product_columns(self.company), id="products")
        yield StatusLine(id="catalog-status")
        yield KeysFooter()

    @property
    def company(self) -> CompanyProfile | None:
        return self.mlm_app.company

    def on_mount(self) -> None:
        self.title = _("Catalog")
        self.set_focus(self.query_one("#search", Input))
        self.open_catalog()

    # --- searching -------------------------------------------------------------------------
    @property
    def category_id(self) -> int | None:
        value = self.query_one("#category", Select).value
        return value if isinstance(value, int) else None

    @property
    def query_text(self) -> str:
        return self.query_one("#search", Input).value.strip()

    @on(Input.Changed, "#search")
    @on(Select.Changed, "#category")
    def _search(self) -> None:
        self.search(self.query_text, self.category_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="catalog-search")
    def search(self, query: str, category_id: int | None) -> None:
        self._read_page(query, category_id, None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="catalog-more")
    def read_more(self, query: str, category_id: int | None, after: str) -> None:
        self._read_page(query, category_id, after)

    def _read_page(self, query: str, category_id: int | None, after: str | None) -> None:
        try:
            page = self.backend.search_products_page(
                query, category_id=category_id, after=after, limit=RESULT_LIMIT)
        except DomainError as error:
            self.post_message(Failed(error))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Results(query, category_id, list(page.items),
                                           after=after, next_after=page.next_after))

    @on(Results)
    def _results(self, message: Results) -> None:
        if (message.query, message.category_id) != (self.query_text, self.category_id):
            return  # a newer search is on its way
        table = self.query_one("#products", FlexTable)
        rows = [(p.code, product_cells(p, self.company)) for p in message.products]
        if message.after is None:
            self.products = {product.code: product for product in message.products}
            table.fill(rows)
        elif message.after == self.next_after:
            self.products.update((product.code, product) for product in message.products)
            table.append(rows)
        else:
            return  # a page of an earlier list of the same query
        self.next_after, self.reading_more = message.next_after, False
        self.query_one("#catalog-info", Static).update(data_text(self._info(message)))

    @on(FlexTable.NearEnd, "#products")
    def _near_end(self) -> None:
        if self.next_after is not None and not self.reading_more:
            self.reading_more = True
            self.read_more(self.query_text, self.category_id, self.next_after)

    def _info(self, message: Results) -> str:
        found = len(self.products)
        if not found:
            category = self.category_names.get(message.category_id or -1)
            if message.query and category is not None:
                return _("Nothing in «{category}» matches “{query}”; Esc clears the "
                         "category.").format(category=category, query=message.query)
            if message.query:
                return _("Nothing found for “{query}”. Try part of the name or the code."
                         ).format(query=message.query)
            return _("No products in this category.")
        if self.next_after is not None:
            return _("{count} products so far: scroll down for more.").format(count=found)
        return ngettext("{count} product", "{count} products", found).format(count=found)

    @work(thread=True, exclusive=True, exit_on_error=False, group="catalog-open")
    def open_catalog(self) -> None:
        """The categories and the first products, in one request. A search typed meanwhile
        has its own answer: these products are then dropped as an older query's."""
        try:
            opened = self.backend.catalog_overview(limit=RESULT_LIMIT)
        except DomainError as error:
            self.post_message(Failed(error))
            return
        self.post_message(self.Categories(list(opened.categories)))
        self.post_message(self.Results("", None, list(opened.page.items),
                                       next_after=opened.page.next_after))

    @on(Categories)
    def _categories(self, message: Categories) -> None:
        self.category_names = {category.id: category.name for category in message.categories}
        self.query_one("#category", Select).set_options(
            (data_text(f"{category.name} ({category.products})"), category.id)
            for category in message.categories)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._status(_(message.error.message), error=True)

    # --- moving around ---------------------------------------------------------------------
    @on(Input.Submitted, "#search")
    def _to_results(self) -> None:
        self.set_focus(self.query_one("#products", FlexTable))

    def key_down(self) -> None:
        if self.focused is self.query_one("#search", Input):
            self.set_focus(self.query_one("#products", FlexTable))

    def action_focus_search(self) -> None:
        self.set_focus(self.query_one("#search", Input))

    def action_focus_category(self) -> None:
        self.set_focus(self.query_one("#category", Select))

    async def action_clear_category(self) -> None:
        """Esc drops the category filter first; without one it goes back."""
        category = self.query_one("#category", Select)
        if self.category_id is not None:
            category.clear()
            return
        await self.app.run_action("back")

    def _selected(self) -> Product | None:
        key = self.query_one("#products", FlexTable).current_key
        return self.products.get(key) if key else None

    @on(DataTable.RowSelected, "#products")
    def _open(self) -> None:
        product = self._selected()
        if product is not None:
            from mlm_tui.screens.product_detail import ProductDetailScreen

            self.app.push_screen(ProductDetailScreen(product))

    def action_add_to_cart(self) -> None:
        product = self._selected()
        if product is None:
            self._status(_("Choose a product first: type its name or code."), error=True)
            return
        self.app.push_screen(AddToCartScreen(product), self._added)

    def _added(self, added: Added | None) -> None:
        if added is not None:
            self._status(added.describe(self.company))

    def _status(self, text: str, *, error: bool = False) -> None:
        self.query_one("#catalog-status", StatusLine).show(text, error=error)

    def on_screen_resume(self) -> None:
        # The company may have arrived after this screen was built (the points label).
        table = self.query_one("#products", FlexTable)
        columns = product_columns(self.company)
        if [c.label for c in columns] != [c.label for c in table.specs]:
            table.set_specs(columns)
