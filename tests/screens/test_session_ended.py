"""A session ended elsewhere (a password reset, a logout from the CLI) while the app runs:
the next call asks to log in again, and the same member gets back what they were doing."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from mlm_tui.core.local import LocalBackend
from mlm_tui.screens.catalog import CatalogScreen
from mlm_tui.screens.login import LoginScreen
from mlm_tui.screens.register import RegisterScreen
from tests import world
from tests.screens.snapshot_app import (
    codes_sent_to,
    make_app,
    open_screen,
    screen_text,
    settle,
)

pytestmark = pytest.mark.anyio

NEW_PASSWORD = "Lavender-field-77"
TYPED = {"full_name": "Мария Петрова", "birth_date": "03.04.1990", "postcode": "420111",
         "city": "Казань", "street": "ул. Баумана, 5", "phone": "+7 917 555-12-34",
         "email": "maria@example.ru"}
ENDED = "Your session has ended: the password was changed, or you logged out elsewhere."


def end_the_session_elsewhere(app, how: str) -> str:
    """Another process on the same store ends Anna's session; returns her password now."""
    other = LocalBackend(app.settings, clock=app.clock)
    try:
        if how == "logout":  # `mlm-tui logout` forgets the session the app holds too
            other.resume(app.session.token)
            other.logout()
            return world.PASSWORD
        other.request_password_reset(world.ANNA.email)
        [code] = set(codes_sent_to(app, world.ANNA.email))
        other.confirm_password_reset(world.ANNA.email, code, NEW_PASSWORD, NEW_PASSWORD)
        return NEW_PASSWORD
    finally:
        other.close()


def said(app) -> str:
    """The screen's words, read across line breaks and the login box's borders."""
    return " ".join(screen_text(app).translate(str.maketrans("│╭╮╰╯─", "      ")).split())


async def half_filled_registration(pilot) -> None:
    await settle(pilot)
    await open_screen(pilot, "register")
    for name, value in TYPED.items():
        pilot.app.screen.query_one(f"#{name}", Input).value = value


@pytest.mark.parametrize("how", ["logout", "reset"])
async def test_the_same_member_logs_in_again_and_finds_the_form_as_typed(tmp_path, how):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await half_filled_registration(pilot)
        password = end_the_session_elsewhere(app, how)
        await pilot.press("ctrl+s")  # the next call finds the session ended
        await settle(pilot)

        assert isinstance(app.screen, LoginScreen)
        assert ENDED in said(app)
        assert app.session is None
        assert app.screen.query_one("#login", Input).value == world.ANNA.registration_number
        await pilot.press("escape")  # no way back without logging in
        assert isinstance(app.screen, LoginScreen)
        await pilot.press(*password, "enter")
        await settle(pilot)

        assert isinstance(app.screen, RegisterScreen)
        assert {name: app.screen.query_one(f"#{name}", Input).value for name in TYPED} == TYPED
        assert app.session is not None and app.session.member_id == world.ANNA.id
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Мария Петрова is registered as" in screen_text(app)


async def test_someone_else_logging_in_starts_afresh(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await half_filled_registration(pilot)
        end_the_session_elsewhere(app, "logout")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        app.screen.query_one("#login", Input).value = world.OLGA_MSK.email
        await pilot.press(*world.PASSWORD, "enter")
        await settle(pilot)
        assert isinstance(app.screen, CatalogScreen)
        assert not [s for s in app.screen_stack if isinstance(s, RegisterScreen)]
        assert app.session.member_id == world.OLGA_MSK.id
        assert TYPED["full_name"] not in screen_text(app)


async def test_a_call_in_the_background_finds_the_session_ended_too(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        end_the_session_elsewhere(app, "logout")
        await open_screen(pilot, "cart")  # reading the cart is a call like any other
        assert isinstance(app.screen, LoginScreen)
        assert ENDED in said(app)


def test_snapshot_of_the_login_asked_again(snap_sizes, tmp_path):
    app = make_app(tmp_path)

    async def steps(pilot) -> None:
        await half_filled_registration(pilot)
        end_the_session_elsewhere(app, "logout")
        await pilot.press("ctrl+s")

    assert snap_sizes(app, steps) == []
