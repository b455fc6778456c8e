"""The app in the language chosen, the company's when none is, and switched from the
command palette without starting again."""

from __future__ import annotations

import pytest

from mlm_tui.screens.cart import CartScreen
from mlm_tui.screens.catalog import CatalogScreen
from mlm_tui.screens.help import HelpScreen
from mlm_tui.screens.login import LoginScreen
from tests.screens.keys import keys, typed
from tests.screens.snapshot_app import make_app, open_screen, screen_text, settle

pytestmark = pytest.mark.anyio


async def test_the_login_screen_in_german(tmp_path):
    app = make_app(tmp_path, login=False, language="de")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Mitgliedsnummer oder E-Mail" in text and "Passwort vergessen" in text
        assert "Nicht angemeldet" in text  # the header
        assert "Forgot password" not in text and "Password" not in text


async def test_without_a_choice_the_company_language_shows_once_the_store_opens(tmp_path):
    app = make_app(tmp_path, login=False, language=None)  # the world's company is Russian
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.language == "ru"
        assert isinstance(app.screen, LoginScreen)
        text = screen_text(app)
        assert "Рег. номер или эл. почта" in text and "Забыли пароль" in text
        assert "Log in" not in text


async def test_a_chosen_language_beats_the_company_one(tmp_path):
    app = make_app(tmp_path, login=False, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.language == "en"
        assert "Forgot password" in screen_text(app)


async def test_the_palette_switches_the_language_and_the_screens_stay_open(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "cart")
        assert "The cart is empty" in screen_text(app)
        await pilot.press("ctrl+p")
        await keys(pilot, typed("Deutsch"))
        await pilot.pause(0.2)  # the palette searches in a task of its own
        await pilot.press("enter")
        await settle(pilot)
        assert app.language == "de"
        assert app.backend.me().language == "de"  # hers now: mails to her come in German
        assert isinstance(app.screen, CartScreen)
        text = screen_text(app)
        assert "Der Warenkorb ist leer" in text  # the screen
        assert "Schnellbestellung" in text and "Hilfe" in text  # its footer
        assert "Quick order" not in text and "Help" not in text
        await pilot.press("escape")  # the screen under it came back too, in German
        await settle(pilot)
        assert isinstance(app.screen, CatalogScreen)
        assert "Suche" in screen_text(app) and "Katalog" in screen_text(app)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Auf diesem Bildschirm" in text and "Überall" in text
        assert "Schnellbestellung" in text and "Beenden" in text  # bindings, translated
        await pilot.press("escape")

        await pilot.press("ctrl+p")  # and back, in the language's own name
        await keys(pilot, typed("English"))
        await pilot.pause(0.2)
        await pilot.press("enter")
        await settle(pilot)
        assert app.language == "en"
        assert "Search" in screen_text(app) and "Catalog" in screen_text(app)


async def test_the_palette_offers_the_other_languages_by_their_own_names(tmp_path):
    app = make_app(tmp_path, language="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await keys(pilot, typed("Язык"))
        await pilot.pause(0.2)
        text = screen_text(app)
        assert "Язык: Deutsch" in text and "Язык: English" in text
        assert "Язык: Русский" not in text  # the one in use


async def test_a_german_top_up_is_typed_and_shown_the_german_way(tmp_path):
    from textual.widgets import DataTable

    app = make_app(tmp_path, language="de")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "wallet")
        assert "Auf Ihrem Konto: 10.000,00 RUB" in screen_text(app)
        await keys(pilot, "t", *"1.234,50")
        app.screen.query_one("#terminal").press()
        await settle(pilot)
        text = screen_text(app)
        assert "Aufladung TU-2611-000001 über 1.234,50 RUB ist ausstehend" in text
        assert "TU-2611-000001  1.234,50 RUB  am Terminal  ausstehend" in text
        assert "Auf Ihrem Konto: 10.000,00 RUB" in text  # credited once confirmed
        assert app.screen.query_one("#ledger", DataTable).row_count == 1


async def test_month_names_are_in_the_interface_language(tmp_path):
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "orders")
        await keys(pilot, "j")  # jump to a month: the months by name
        await settle(pilot)
        text = screen_text(app)
        assert "November 2026" in text and "ноябрь" not in text


async def test_the_next_start_draws_its_first_frame_in_the_company_language(tmp_path):
    first = make_app(tmp_path, login=False, language=None)
    async with first.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert first.language == "ru"
    again = make_app(tmp_path, login=False, language=None)
    assert again.language == "ru"  # before the store opens: the first frame is Russian
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Забыли пароль" in screen_text(again)
        await settle(pilot)
        assert again.language == "ru"
    chosen = make_app(tmp_path, login=False, language="de")  # a choice still wins
    assert chosen.language == "de"
