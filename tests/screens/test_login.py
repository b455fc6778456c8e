"""Logging in: each refusal has its own words at its field, and nothing typed is lost."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mlm_tui.core.demo import DEMO_LOGIN
from mlm_tui.screens.catalog import CatalogScreen
from mlm_tui.screens.login import LoginScreen
from mlm_tui.screens.reset import ResetScreen
from tests import world
from tests.conftest import Clock
from tests.screens.snapshot_app import make_app, screen_text, settle

pytestmark = pytest.mark.anyio


async def type_login(pilot, login: str, password: str) -> None:
    await pilot.press(*login, "enter", *password, "enter")
    await settle(pilot)


def field(app, name: str):
    return app.screen.query_one(f"#{name}-field")


@pytest.mark.parametrize("login", [world.ANNA.registration_number, world.ANNA.email])
async def test_logging_in_by_number_or_email_opens_the_catalog(tmp_path, login):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_login(pilot, login, world.PASSWORD)
        assert isinstance(app.screen, CatalogScreen)
        assert app.session is not None and app.session.full_name == world.ANNA.full_name


async def test_signing_in_while_the_store_still_opens_shows_the_catalog_in_its_money(
        tmp_path, monkeypatch):
    # The store opens in a worker, which goes on a moment after it can be used (Babel's
    # locale data loaded, say). One who signs in within that moment gets the catalog in
    # the company's money and points, not an English stand-in.
    from mlm_tui.app import MlmApp

    slow = MlmApp._warm_up_formatting

    def slow_warm_up(company) -> None:
        import time

        time.sleep(0.5)
        slow(company)

    monkeypatch.setattr(MlmApp, "_warm_up_formatting", staticmethod(slow_warm_up))
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_login(pilot, world.ANNA.registration_number, world.PASSWORD)
        assert isinstance(app.screen, CatalogScreen)
        text = screen_text(app)
        assert "639,20 ₽" in text and "RUB" not in text
        assert " BB " in text.splitlines()[6]  # the points column under the company's label


async def test_the_password_is_masked(tmp_path):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"1000001", "enter", *"secret-words")
        text = screen_text(app)
        assert "secret-words" not in text
        assert "•" * len("secret-words") in text


async def test_a_wrong_password_is_said_at_the_password_and_keeps_what_was_typed(tmp_path):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_login(pilot, world.ANNA.registration_number, "wrong-password-1")
        assert isinstance(app.screen, LoginScreen)
        assert field(app, "password").error_text == (
            "Wrong registration number, e-mail or password.")
        assert field(app, "login").error_text == ""
        assert app.screen.query_one("#login").value == world.ANNA.registration_number
        assert app.screen.query_one("#password").value == "wrong-password-1"
        assert "✗ Wrong registration number" in screen_text(app)


async def test_throttling_shows_the_time_left(tmp_path):
    clock = Clock()
    app = make_app(tmp_path, login=False, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_login(pilot, world.IRINA.registration_number, "wrong-password-1")
        for _attempt in range(5):
            await pilot.press("enter")
            await settle(pilot)
        assert field(app, "password").error_text == "Too many attempts. Try again in 5 min."
        clock.advance(timedelta(minutes=2, seconds=30))
        await pilot.press("enter")
        await settle(pilot)
        assert field(app, "password").error_text == (
            "Too many attempts. Try again in 2 min 30 s.")
        clock.advance(timedelta(minutes=3))
        app.screen.query_one("#password").value = world.PASSWORD
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CatalogScreen)


async def test_a_closed_account_is_said_at_the_login(tmp_path):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_login(pilot, world.CLOSED.registration_number, world.PASSWORD)
        assert field(app, "login").error_text.startswith("This account is closed.")
        assert field(app, "password").error_text == ""


async def test_an_account_not_yet_activated_says_how_to_activate(tmp_path):
    from tests.screens.test_state_snapshots import give_the_newcomer_a_password

    app = make_app(tmp_path, login=False)
    give_the_newcomer_a_password(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_login(pilot, world.NEWBIE.email, world.PASSWORD)
        assert "not activated yet" in field(app, "login").error_text
        assert "Ctrl+N" in field(app, "login").error_text
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.screen.query_one("#login").value == world.NEWBIE.email


async def test_empty_fields_are_asked_for_before_anything_is_sent(tmp_path):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "enter")
        assert field(app, "login").error_text == "Enter your registration number or e-mail."
        await pilot.press(*"1000001", "enter", "enter")
        assert field(app, "login").error_text == ""
        assert field(app, "password").error_text == "Enter your password."


async def test_the_demo_login_is_shown_and_ctrl_t_fills_it_in(tmp_path):
    app = make_app(tmp_path, login=False, demo_login=DEMO_LOGIN)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert f"Demo login: {DEMO_LOGIN.registration_number}, password " \
               f"{DEMO_LOGIN.password}" in screen_text(app)
        await pilot.press("ctrl+t")
        assert app.screen.query_one("#login").value == DEMO_LOGIN.registration_number
        assert app.screen.query_one("#password").value == DEMO_LOGIN.password


async def test_without_a_demo_login_there_is_no_hint_and_no_key(tmp_path):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        assert app.screen.query_one("#login").value == ""
        assert "Demo login" not in screen_text(app)


async def test_forgot_password_opens_the_reset(tmp_path):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ResetScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, LoginScreen)


async def test_a_login_typed_in_one_burst_is_not_mixed_up(tmp_path):
    from textual import events

    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in [*world.ANNA.registration_number, "enter", *world.PASSWORD, "enter"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot)
        assert isinstance(app.screen, CatalogScreen)
