"""The catalog: the current period, categories, search as people type, promotions."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import insert

from mlm_tui.core.errors import NotFound
from mlm_tui.core.local import catalog as catalog_module
from mlm_tui.core.local import schema as t
from mlm_tui.core.models import PromotionKind
from tests import world

# Search is what differs most on PostgreSQL: every test here runs over it too.
pytestmark = pytest.mark.on_postgres


@pytest.fixture(params=["ranked", "newest first"])
def search_way(request, monkeypatch):
    """A narrow query is ranked; a broad one is read newest first, names that begin with
    the query before the rest: test both ways."""
    if request.param == "newest first":
        monkeypatch.setattr(catalog_module, "RANK_AT_MOST", 0)
    return request.param


def codes(products) -> list[str]:
    return [p.code for p in products]


# --- periods and categories ----------------------------------------------------------------


def test_the_current_period_is_the_one_holding_today(backend, clock):
    # Signed in by nobody: the clock goes past where a session would have run out.
    assert backend.current_period().code == world.CURRENT_PERIOD
    assert [p.code for p in backend.periods()] == [world.PREVIOUS_PERIOD, world.CURRENT_PERIOD]
    clock.now = datetime(2026, 11, 5, 12)
    period = backend.current_period()
    assert period.code == world.PREVIOUS_PERIOD and not period.ordering_open
    clock.now = datetime(2026, 12, 5, 12)  # after the last period: it stays current
    assert backend.current_period().code == world.CURRENT_PERIOD


def test_categories_count_the_current_periods_products(anna):
    categories = {c.name: c.products for c in anna.categories()}
    assert categories["Макияж"] == 2
    assert categories["Уход за телом"] == 2
    assert sum(categories.values()) == len(world.PRODUCTS)


# --- search --------------------------------------------------------------------------------


@pytest.mark.usefixtures("search_way")
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("крем", "32548"),
        ("КРЕМ", "32548"),
        ("Крем для лица", "32548"),
        ("туш", "33012"),
        ("т", "33012"),
        ("ёлочная", "38100"),
        ("елочная", "38100"),  # ё and е are the same letter to the index
        ("öl", "36000"),
        ("OL", "36000"),
        ("LAVENDEL", "36000"),
        ("straßen", "36001"),
        ("fuß", "36001"),
        ("325", "32548"),
        ("парфюмерия", "35555"),  # by category
    ],
)
def test_search_finds_word_beginnings_in_any_case_and_script(anna, query, code):
    assert code in codes(anna.search_products(query))


@pytest.mark.usefixtures("search_way")
def test_every_word_must_match(anna):
    assert codes(anna.search_products("крем для")) == ["32548"]
    assert sorted(codes(anna.search_products("нежн крем"))) == ["32548", "38000"]
    assert codes(anna.search_products("крем зима")) == []


def test_a_name_starting_with_the_query_comes_first(anna):
    assert codes(anna.search_products("крем")) == ["32548", "38000"]


@pytest.mark.usefixtures("search_way")
def test_an_exact_code_comes_first(anna):
    store = anna.store  # the store the backend serves, wherever that is
    with store.write() as conn:
        conn.execute(insert(t.products).values(
            period_id=2, code="40000", name="Набор 32548 и 33012", description="",
            category_id=1, retail_price=Decimal(999), consultant_price=Decimal("799.20"),
            points=Decimal(10), stock=5))
    assert codes(anna.search_products("32548")) == ["32548", "40000"]
    assert codes(anna.search_products("33012"))[0] == "33012"


def test_a_renamed_product_is_found_by_its_new_name_and_stock_keeps_it_found(anna):
    store = anna.store  # the store the backend serves, wherever that is
    with store.write() as conn:
        conn.execute(t.products.update().where(t.products.c.code == "32548")
                     .values(name="Сыворотка «Утро»"))
        conn.execute(t.products.update().where(t.products.c.code == "33012")
                     .values(stock=t.products.c.stock - 1))
    assert "32548" in codes(anna.search_products("сыворотка"))
    assert "32548" not in codes(anna.search_products("крем для лица"))
    assert "33012" in codes(anna.search_products("тушь"))


@pytest.mark.usefixtures("search_way")
@pytest.mark.parametrize(
    "query",
    ['"', 'крем"', "крем OR", "AND", "NOT крем", "*", "крем*", "(", "NEAR(крем", "code:32548",
     "^крем", "-крем", "'", "крем + гель", "{code}", "32548;DROP TABLE products"],
)
def test_fts_syntax_in_the_input_is_plain_text(anna, query):
    found = anna.search_products(query)
    assert isinstance(found, list)


def test_input_without_words_finds_nothing_and_the_syntax_is_not_obeyed(anna):
    assert anna.search_products('  "*"  ') == []
    assert codes(anna.search_products("NOT крем")) == []  # "not" is just a word here
    assert codes(anna.search_products("code:32548")) == []  # no column filter either


@pytest.mark.usefixtures("search_way")
def test_search_shows_only_the_current_period(anna, clock):
    (cream,) = anna.search_products("32548")
    assert cream.period == world.CURRENT_PERIOD
    assert cream.retail_price.amount == Decimal("799.00")
    clock.now = datetime(2026, 11, 5, 12)
    (older,) = anna.search_products("32548")
    assert older.period == world.PREVIOUS_PERIOD
    assert older.retail_price.amount == Decimal("749.00")


def test_an_empty_query_lists_the_category_in_code_order(anna):
    everything = anna.search_products("")
    assert codes(everything) == sorted(p[0] for p in world.PRODUCTS)
    body = next(c for c in anna.categories() if c.name == "Уход за телом")
    assert codes(anna.search_products("  ", category_id=body.id)) == ["34001", "36001"]
    assert codes(anna.search_products("", limit=3)) == ["32548", "33012", "34001"]


@pytest.mark.usefixtures("search_way")
def test_a_category_narrows_the_search(anna):
    makeup = next(c for c in anna.categories() if c.name == "Макияж")
    assert codes(anna.search_products("набор", category_id=makeup.id)) == ["39000"]
    assert codes(anna.search_products("крем", category_id=makeup.id)) == []
    assert codes(anna.search_products("32548", category_id=makeup.id)) == []


@pytest.mark.usefixtures("search_way")
def test_the_limit_is_kept(anna):
    found = anna.search_products("3", limit=4)
    assert len(found) == 4
    assert all(p.period == world.CURRENT_PERIOD for p in found)
    assert anna.search_products("крем", limit=0) == []


# --- products and promotions ---------------------------------------------------------------


def test_a_product_by_code(anna):
    product = anna.product("33012")
    assert product.name == "Тушь для ресниц «Объём»"
    assert product.consultant_price.amount == Decimal("439.20")
    assert product.points == Decimal(8)
    assert not anna.product("37000").available  # sold out, still shown


@pytest.mark.parametrize("code", ["99999", "", "3254", "32548x"])
def test_an_unknown_code_is_not_found_naming_the_code(anna, code):
    with pytest.raises(NotFound) as caught:
        anna.product(code)
    assert caught.value.field == "code"


def test_products_by_code_returns_those_that_exist(anna):
    found = anna.products_by_code(["32548", "99999", "33012", "32548"])
    assert set(found) == {"32548", "33012"}


def test_promotions_include_closed_sales(anna):
    promotions = anna.promotions()
    assert {p.kind for p in promotions} == set(PromotionKind)
    closed = [p for p in promotions if p.closed_sale]
    assert [(p.product_code, p.percent) for p in closed] == [("39000", Decimal(30))]
    assert all(p.period == world.CURRENT_PERIOD for p in promotions)


def test_products_carry_short_promotion_marks(anna):
    marks = {p.code: p.promotion_marks for p in anna.search_products("")}
    assert marks["33012"] == ("-10%",)
    assert marks["34001"] == ("gift",)
    assert marks["38000"] == ("instead of delivery",)
    assert marks["39000"] == ("-30%", "closed sale")
    assert marks["32548"] == ()


def test_the_previous_period_had_no_promotions(anna, clock):
    clock.now = datetime(2026, 11, 1, 12)
    assert anna.promotions() == []
    assert anna.product("33012").promotion_marks == ()


# --- search in every spelling --------------------------------------------------------------


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# Names as they come from a supplier's file: some decomposed (NFD), some with ё, some
# with ß, ı or umlauts.
SPELLED = [
    ("41000", "Чай «Зимний»"),
    ("41001", nfd("Травяной чай с мятой")),
    ("41002", "Seife «Strauß»"),
    ("41003", "Handcreme «Yılmaz»"),
    ("41004", "Елочная игрушка"),
    ("41005", "Браслет «Переплетённые нити»"),
    ("41006", "Ölbad Rose"),
    ("41007", nfd("Körperbutter «Süße Träume»")),
]


@pytest.fixture
def spelled(anna):
    store = anna.store  # the store the backend serves, wherever that is
    with store.write() as conn:
        conn.execute(insert(t.products), [
            dict(period_id=2, code=code, name=name, description="", category_id=1,
                 retail_price=Decimal(100), consultant_price=Decimal(80), points=Decimal(1),
                 stock=10)
            for code, name in SPELLED
        ])
    return anna


@pytest.mark.usefixtures("search_way")
@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        (nfd("чай"), {"41000", "41001"}),  # typed decomposed: finds both
        ("чай", {"41000", "41001"}),  # the decomposed name is found by the composed word
        (nfd("Травяной чай"), {"41001"}),
        ("FUSSCREME", {"36001"}),
        ("fussc", {"36001"}),
        ("strauss", {"41002"}),
        ("STRAUSS", {"41002"}),
        ("yilmaz", {"41003"}),
        ("YILMAZ", {"41003"}),
        ("yılmaz", {"41003"}),
        ("oel", {"36000", "41006"}),
        ("Oel Lavendel", {"36000"}),
        ("aetherisches", {"36000"}),
        ("ёлочная", {"38100", "41004"}),  # ё and е, both ways
        ("елочная", {"38100", "41004"}),
        ("переплетенные", {"41005"}),  # ё in the fourth place an е could be
        ("koerperbutter suesse", {"41007"}),
        ("körperbutter süße träume", {"41007"}),
        ("korperbutter susse traume", {"41007"}),
    ],
)
def test_search_finds_every_spelling_of_a_name(spelled, query, wanted):
    assert set(codes(spelled.search_products(query))) == wanted


@pytest.mark.usefixtures("search_way")
@pytest.mark.parametrize("query", ["oel", "öl", "ol", "OEL"])
def test_a_name_beginning_with_a_word_comes_first_in_either_spelling(spelled, query):
    assert codes(spelled.search_products(query))[:2] == ["41006", "36000"]
