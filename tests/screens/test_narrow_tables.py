"""At 80 columns, in every language, the customers and promotions tables keep their last
column on the screen: names, cities and promotion titles give up width instead.

The app runs on the demo store, whose names, cities and titles are long (a German city,
a product name inside a promotion's title), signed in as the demo consultant.
"""

from __future__ import annotations

import pytest

from mlm_tui.formats import shown_locale
from mlm_tui.screens.promotions import promotion_terms
from mlm_tui.widgets.member_text import status_label
from tests.screens.keys import keys
from tests.screens.snapshot_app import open_screen, screen_text, settle
from tests.screens.test_demo_home import demo_app

LANGUAGES = ["en", "ru", "de"]
QUERY = "н"  # six of the demo team, with long names and cities (Санкт-Петербург)


async def customers(pilot) -> None:
    await settle(pilot)
    await open_screen(pilot, "customers")
    await keys(pilot, *QUERY)
    await settle(pilot)


async def promotions(pilot) -> None:
    await settle(pilot)
    await open_screen(pilot, "promotions")


def _rows(text: str) -> list[str]:
    return text.splitlines()


@pytest.mark.anyio
@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_match_shows_its_status_at_80_columns(tmp_path, demo_template,
                                                          language) -> None:
    app = demo_app(tmp_path, demo_template, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await customers(pilot)
        matches = app.backend.search_members(QUERY, limit=50)
        lines = _rows(screen_text(app))
        shown = [m for m in matches if any(m.registration_number in line for line in lines)]
        assert len(shown) >= 5
        for match in shown:
            line = next(line for line in lines if match.registration_number in line)
            assert line.rstrip().endswith(status_label(match.status)), line
            assert match.phone_masked in line


@pytest.mark.anyio
@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_promotion_shows_its_terms_at_80_columns(tmp_path, demo_template,
                                                             language) -> None:
    app = demo_app(tmp_path, demo_template, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await promotions(pilot)
        found = app.backend.period_promotions()
        locale = shown_locale(app.company.locale)
        text = screen_text(app)
        assert found.promotions
        for promotion in found.promotions:
            terms = promotion_terms(promotion, locale).replace("\xa0", " ")
            assert terms in text
        assert "…" in text  # the long titles were cut, not the terms


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("screen", ["customers", "promotions"])
def test_narrow_table(snap_sizes, tmp_path, demo_template, screen, language) -> None:
    steps = customers if screen == "customers" else promotions
    assert snap_sizes(demo_app(tmp_path, demo_template, language=language), steps) == []


@pytest.mark.anyio
async def test_a_wider_terminal_gives_the_names_back(tmp_path, demo_template) -> None:
    app = demo_app(tmp_path, demo_template, language="de")
    async with app.run_test(size=(80, 24)) as pilot:
        await customers(pilot)
        longest = max(app.backend.search_members(QUERY, limit=50),
                      key=lambda match: len(match.full_name) + len(match.city))
        assert longest.full_name not in screen_text(app)  # cut at 80 columns
        await pilot.resize_terminal(120, 40)
        table = app.screen.query_one("#matches")
        for _ in range(100):  # the new size reaches the table a few messages later
            await pilot.pause()
            if table.size.width > 100:
                break
        await settle(pilot)
        line = next(line for line in screen_text(app).splitlines()
                    if longest.registration_number in line)
        assert longest.full_name in line and longest.city in line and "…" not in line
