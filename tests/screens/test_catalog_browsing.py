"""Browsing the catalog: a category past one page, part of a word, an empty result under a
category filter."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import insert

from mlm_tui.core.local import schema as t
from tests.screens.keys import keys, typed
from tests.screens.snapshot_app import make_app, screen_text

pytestmark = pytest.mark.anyio

LIPSTICKS = [f"{50000 + i}" for i in range(120)]


def with_lipsticks(backend):
    """The world, with 120 more products in «Макияж»."""
    makeup = next(c for c in backend.categories() if c.name == "Макияж")
    with backend.store.write() as conn:
        conn.execute(insert(t.products), [
            dict(period_id=2, code=code, name=f"Помада «Оттенок {code}»", description="",
                 category_id=makeup.id, retail_price=Decimal(500),
                 consultant_price=Decimal(400), points=Decimal(5), stock=10)
            for code in LIPSTICKS])
    return backend


def shown_codes(app) -> list[str]:
    return app.screen.query_one("#products").row_keys


async def choose_makeup(pilot) -> None:
    await keys(pilot)  # the backend is open
    names = [category.name for category in pilot.app._backend.categories()]
    # Down past "All categories" to "Макияж", then choose it.
    await keys(pilot, "ctrl+g", "enter", *["down"] * (names.index("Макияж") + 1), "enter")


async def test_a_category_with_nothing_typed_lists_every_product_as_the_cursor_goes_down(
        tmp_path):
    app = make_app(tmp_path, wrap=with_lipsticks)
    async with app.run_test(size=(80, 24)) as pilot:
        await choose_makeup(pilot)
        everything = sorted(["33012", "39000", *LIPSTICKS])
        assert shown_codes(app) == everything[:50]
        assert "50 products so far: scroll down for more." in screen_text(app)
        await keys(pilot, "slash", "enter")  # into the results
        await keys(pilot, "ctrl+end")
        assert shown_codes(app) == everything[:100]
        await keys(pilot, "ctrl+end")
        assert shown_codes(app) == everything
        await keys(pilot, "ctrl+end")
        assert shown_codes(app) == everything
        text = screen_text(app)
        assert "122 products" in text and "type more" not in text
        assert everything[-1] in text  # the cursor is on the last one, in view


async def test_scrolling_the_view_reads_the_next_page(tmp_path):
    app = make_app(tmp_path, wrap=with_lipsticks)
    async with app.run_test(size=(80, 24)) as pilot:
        await choose_makeup(pilot)
        app.screen.query_one("#products").scroll_end(animate=False, immediate=True)
        await keys(pilot)
        assert len(shown_codes(app)) == 100


async def test_part_of_a_word_finds_the_product(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await keys(pilot, typed("ежност"))
        assert sorted(shown_codes(app)) == ["32548", "38000"]


async def test_nothing_found_in_a_category_names_the_filter_and_esc_clears_it(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await choose_makeup(pilot)
        await keys(pilot, "slash", typed("крем"))
        assert shown_codes(app) == []
        assert ("Nothing in «Макияж» matches “крем”; Esc clears the category."
                in screen_text(app))
        await keys(pilot, "escape")
        assert app.screen.query_one("#search").value == "крем"  # what was typed stays
        assert sorted(shown_codes(app)) == ["32548", "38000"]
        assert "All categories" in screen_text(app)
