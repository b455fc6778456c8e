"""Catalog search past the first page, and words found inside words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import insert

from mlm_tui.core.errors import ValidationError
from mlm_tui.core.local import catalog as catalog_module
from mlm_tui.core.local import schema as t
from tests import world

# Over PostgreSQL too: money, stock and the team are where the dialects could differ.
pytestmark = pytest.mark.on_postgres

@pytest.fixture(params=["ranked", "newest first"])
def search_way(request, monkeypatch):
    """A narrow query is ranked; a broad one is read newest first: test both ways."""
    if request.param == "newest first":
        monkeypatch.setattr(catalog_module, "RANK_AT_MOST", 0)
    return request.param


def codes(products) -> list[str]:
    return [p.code for p in products]


def add_products(backend, names: list[tuple[str, str]], category_id: int = 1) -> None:
    """Products written into the store the backend serves, wherever that is."""
    with backend.store.write() as conn:
        conn.execute(insert(t.products), [
            dict(period_id=2, code=code, name=name, description="", category_id=category_id,
                 retail_price=Decimal(100), consultant_price=Decimal(80), points=Decimal(1),
                 stock=5)
            for code, name in names])


def every_page(backend, query: str, size: int, **options) -> list[list[str]]:
    pages, after = [], None
    while True:
        page = backend.search_products_page(query, after=after, limit=size, **options)
        pages.append(codes(page.items))
        if page.next_after is None:
            return pages
        after = page.next_after


@pytest.mark.usefixtures("search_way")
def test_part_of_a_word_finds_the_product(anna):
    add_products(anna, [("40001", "Маска «Ромашка»"), ("40002", "Creme Kamille")])
    assert codes(anna.search_products("машка")) == ["40001"]
    assert sorted(codes(anna.search_products("ежность"))) == ["32548", "38000"]
    assert codes(anna.search_products("CREME")) == ["40002", "36001"]  # word start first
    assert codes(anna.search_products("amil")) == ["40002"]


@pytest.mark.usefixtures("search_way")
def test_a_word_that_begins_a_name_comes_before_one_found_inside_a_word(anna):
    add_products(anna, [("40001", "Маска «Ромашка»"), ("40002", "Машка-игрушка")])
    assert codes(anna.search_products("машка")) == ["40002", "40001"]


@pytest.mark.usefixtures("search_way")
def test_short_words_and_codes_are_still_word_starts(anna):
    assert "33012" in codes(anna.search_products("т"))
    assert codes(anna.search_products("ща")) == []  # not inside «Общая»-like words
    assert codes(anna.search_products("325")) == ["32548"]
    assert codes(anna.search_products("254")) == []  # a code is typed from its start


@pytest.mark.usefixtures("search_way")
def test_pages_of_a_search_hold_every_match_once_in_order(anna):
    add_products(anna, [(str(41000 + i), f"Крем «Ромашка» {i}") for i in range(7)]
                 + [(str(42000 + i), f"Маска «Ромашка» {i}") for i in range(5)])
    whole = codes(anna.search_products("ромашка", limit=1000))
    assert len(whole) == 12
    for size in (1, 2, 5, 50):
        pages = every_page(anna, "ромашка", size)
        assert [code for page in pages for code in page] == whole
        assert all(len(page) == size for page in pages[:-1])


@pytest.mark.usefixtures("search_way")
def test_an_exact_code_leads_the_first_page_only(anna):
    add_products(anna, [("40000", "Набор 32548 и 33012")])
    assert every_page(anna, "32548", 1) == [["32548"], ["40000"]]


def test_a_category_is_listed_page_by_page_past_any_limit(anna):
    add_products(anna, [(str(50000 + i), f"Помада {i}") for i in range(60)],
                 category_id=world.PRODUCTS and 3)
    category = next(c for c in anna.categories() if c.id == 3)
    pages = every_page(anna, "", 50, category_id=category.id)
    listed = [code for page in pages for code in page]
    assert len(pages) == 2 and len(listed) == category.products
    assert listed == sorted(listed) and len(set(listed)) == len(listed)


@pytest.mark.parametrize("after", ["", "x", "r-1", "n9.1", "n1", "n0.x"])
def test_a_page_position_the_backend_did_not_give_is_refused(anna, after):
    with pytest.raises(ValidationError) as refused:
        anna.search_products_page("крем", after=after)
    assert refused.value.field == "after"


def test_a_store_of_version_7_finds_parts_of_words_once_opened(world_file, settings, clock):
    import sqlite3

    from mlm_tui.core.local import LocalBackend

    with sqlite3.connect(world_file) as conn:
        for trigger in ("insert", "delete", "update"):
            conn.execute(f"DROP TRIGGER products_substring_fts_{trigger}")
        conn.execute("DROP TABLE products_substring_fts")
        conn.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    conn.close()
    backend = LocalBackend(settings, clock=clock)
    try:
        assert sorted(codes(backend.search_products("ежность"))) == ["32548", "38000"]
    finally:
        backend.close()
