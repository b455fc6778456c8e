"""Every screen that has a new password chosen states the one rule the backend applies."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input

from mlm_tui.core.models import Address, Registration
from mlm_tui.core.rules.passwords import password_rule
from mlm_tui.screens.activate import ActivateScreen
from mlm_tui.screens.reset import ResetScreen
from tests import world
from tests.screens.snapshot_app import codes_sent_to, make_app, open_screen, screen_text, settle

pytestmark = pytest.mark.anyio

SIZE = (160, 50)  # wide enough that the rule is not wrapped between words and borders
RULE = "at least 8 characters, is not a common or easily guessed one"
NEWCOMER = Registration(
    full_name="Мария Петрова", birth_date=date(1990, 4, 3), email="maria@example.ru",
    phone="+7 917 555-12-34", address=Address("420111", "Казань", "ул. Баумана, 5"),
)


def said(app) -> str:
    return " ".join(screen_text(app).split())


async def activate(pilot, login: str, code: str, password: str) -> None:
    screen = pilot.app.screen
    for name, value in (("login", login), ("code", code), ("password", password),
                        ("confirmation", password)):
        screen.query_one(f"#{name}", Input).value = value
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_activation_states_the_rule_it_applies(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        member = app.backend.register_member(NEWCOMER)
        [code] = codes_sent_to(app, NEWCOMER.email)
        await app.push_screen(ActivateScreen(member.registration_number))
        await settle(pilot)
        assert password_rule() in said(app)
        assert "10 characters" not in said(app)

        await activate(pilot, member.registration_number, code, "qwerty12")
        assert "✗ This password is too common or too easy to guess" in said(app)
        await activate(pilot, member.registration_number, code, "Kw9#mLp")
        assert "✗ The password needs at least 8 characters." in said(app)
        await activate(pilot, member.registration_number, code, "Kw9#mLp2")  # 8 are enough
        assert app.session is not None and app.session.member_id == member.id


async def test_the_reset_states_the_same_rule(tmp_path):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ResetScreen)
        await pilot.press(*world.ANNA.email, "enter")
        await settle(pilot)
        assert app.screen.step == "step-code"
        assert password_rule() in said(app)
        assert RULE in password_rule()


async def test_the_registration_tells_the_newcomer_the_same_rule(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_screen(pilot, "register")
        values = {"full_name": NEWCOMER.full_name, "birth_date": "03.04.1990",
                  "postcode": "420111", "city": "Казань", "street": "ул. Баумана, 5",
                  "phone": NEWCOMER.phone, "email": NEWCOMER.email}
        for name, value in values.items():
            app.screen.query_one(f"#{name}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Мария Петрова is registered as" in said(app)
        assert password_rule() in said(app)
