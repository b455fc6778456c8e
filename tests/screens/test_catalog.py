"""The catalog: instant search, categories, a product's page, adding with a quantity."""

from __future__ import annotations

import threading

import pytest

from mlm_tui.screens.add_to_cart import AddToCartScreen
from mlm_tui.screens.catalog import CatalogScreen
from mlm_tui.screens.product_detail import ProductDetailScreen
from tests.screens.snapshot_app import make_app, screen_text, settle

pytestmark = pytest.mark.anyio


def shown_codes(app) -> list[str]:
    return app.screen.query_one("#products").row_keys


async def test_part_of_a_russian_name_finds_the_product(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert len(shown_codes(app)) == 10  # everything, before typing
        await pilot.press(*"нежн")
        await settle(pilot)
        assert set(shown_codes(app)) == {"32548", "38000"}
        text = screen_text(app)
        assert "Крем для лица" in text and "639,20 ₽" in text and "799,00 ₽" in text
        assert "2 products" in text


async def test_a_code_finds_its_product(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"33012")
        await settle(pilot)
        assert shown_codes(app) == ["33012"]


async def test_results_show_points_availability_and_promotion_marks(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rows = {line.split()[0]: line for line in screen_text(app).splitlines()
                if line.strip()[:5].isdigit()}
        assert "sold out" in rows["37000"]
        assert "-10%" in rows["33012"]
        assert "12,5" in rows["32548"]
        assert " BB " in screen_text(app).splitlines()[6]  # the points column's heading


async def test_nothing_found_says_so(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"qqqzzz")
        await settle(pilot)
        assert shown_codes(app) == []
        assert "Nothing found for “qqqzzz”" in screen_text(app)


async def test_a_category_narrows_the_results(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        names = [category.name for category in app._backend.categories()]
        await pilot.press("ctrl+g", "enter")  # open the category list
        # Down past "All categories" to "Макияж", then choose it.
        await pilot.press(*["down"] * (names.index("Макияж") + 1), "enter")
        await settle(pilot)
        assert set(shown_codes(app)) == {"33012", "39000"}


class SlowSearch:
    """The world's backend, but a search waits until the test lets it go."""

    def __init__(self, backend) -> None:
        self._backend = backend
        self.release = threading.Event()
        self.calls: list[str] = []

    def __getattr__(self, name):
        return getattr(self._backend, name)

    def search_products_page(self, query, **options):
        self.calls.append(query)
        if query:
            self.release.wait(10)
        return self._backend.search_products_page(query, **options)


async def test_typing_never_waits_for_the_search_and_only_the_latest_result_shows(tmp_path):
    slow: list[SlowSearch] = []
    app = make_app(tmp_path, wrap=lambda backend: slow.append(SlowSearch(backend)) or slow[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"тушь")
        await pilot.pause()
        # Every keystroke is in the field although no search has answered yet.
        assert app.screen.query_one("#search").value == "тушь"
        assert len(shown_codes(app)) == 10
        slow[0].release.set()
        await settle(pilot)
        assert shown_codes(app) == ["33012"]
        assert slow[0].calls[-1] == "тушь"


async def test_enter_opens_the_product_and_escape_comes_back(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"тушь", "enter")  # Enter in the search moves to the results
        await settle(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, ProductDetailScreen)
        text = screen_text(app)
        assert "Тушь для ресниц «Объём»" in text and "80 in stock" in text
        assert "8 BB" in text and "-10%" in text
        await pilot.press("escape")
        assert isinstance(app.screen, CatalogScreen)


async def test_add_to_cart_asks_for_a_quantity(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"32548", "enter")
        await settle(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, AddToCartScreen)
        await pilot.press("3", "enter")  # the 1 shown is selected: typing replaces it
        await settle(pilot)
        assert isinstance(app.screen, CatalogScreen)
        assert "Added 3 × Крем для лица «Нежность»" in screen_text(app)
        cart = app._backend.cart()
        assert [(line.product.code, line.quantity) for line in cart.lines] == [("32548", 3)]


@pytest.mark.parametrize(("code", "typed", "says"), [
    ("32548", "0", "Enter a whole number of at least 1."),
    ("32548", "1.5", "Enter a whole number of at least 1."),
    ("32548", "1e3", "Enter a whole number of at least 1."),
    ("32548", "-1", "Enter a whole number of at least 1."),
    ("32548", "150", "The quantity must be a whole number from 1 to 99"),
    ("32548", "99999999", "The quantity must be a whole number from 1 to 99"),
    ("35555", "20", "Only 15 of 35555 left"),
    ("37000", "1", "sold out"),
])
async def test_a_refused_quantity_is_said_at_the_quantity(tmp_path, code, typed, says):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*code, "enter")
        await settle(pilot)
        await pilot.press("a", *typed, "enter")
        await settle(pilot)
        assert isinstance(app.screen, AddToCartScreen)
        assert says in app.screen.query_one("#quantity-field").error_text
        assert app.screen.query_one("#quantity").value == typed
        assert app._backend.cart().is_empty
        await pilot.press("escape")
        assert isinstance(app.screen, CatalogScreen)


@pytest.mark.parametrize("typed", ["٣", "３"])
async def test_a_quantity_in_digits_of_another_script_is_that_number(tmp_path, typed):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"32548", "enter")
        await settle(pilot)
        await pilot.press("a", typed, "enter")
        await settle(pilot)
        assert isinstance(app.screen, CatalogScreen)
        cart = app._backend.cart()
        assert [(line.product.code, line.quantity) for line in cart.lines] == [("32548", 3)]


async def test_add_from_the_product_page(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter", "a", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ProductDetailScreen)
        assert "Added 1 ×" in screen_text(app)
