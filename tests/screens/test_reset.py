"""Forgot password: code sent (destination masked), errors at their fields, resend cooldown."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mlm_tui.screens.catalog import CatalogScreen
from mlm_tui.screens.login import LoginScreen
from mlm_tui.screens.reset import ResetScreen
from tests import world
from tests.conftest import Clock
from tests.screens.snapshot_app import codes_sent_to, make_app, screen_text, settle

pytestmark = pytest.mark.anyio

NEW_PASSWORD = "Lavender-field-77"


def field(app, name: str):
    return app.screen.query_one(f"#{name}-field")


async def open_reset(pilot, contact: str) -> None:
    await settle(pilot)
    await pilot.press("ctrl+r")
    assert isinstance(pilot.app.screen, ResetScreen)
    await pilot.press(*contact, "enter")
    await settle(pilot)


async def fill_code(pilot, code: str, password: str, confirmation: str) -> None:
    screen = pilot.app.screen
    screen.query_one("#code").value = code
    screen.query_one("#new_password").value = password
    screen.query_one("#confirmation").value = confirmation
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_the_whole_reset_then_logging_in_with_the_new_password(tmp_path):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reset(pilot, world.ANNA.email)
        assert "A code was sent to a***a@example.ru" in screen_text(app)
        # No mail server and no SMS gateway are set: the screen says where it went.
        sent_to = str(app.screen.query_one("#sent-to").render())
        assert "(by e-mail into the local mail folder (no mail server set); SMS not " \
            "configured)" in sent_to
        assert world.ANNA.email not in screen_text(app)
        [code] = codes_sent_to(app, world.ANNA.email)
        await fill_code(pilot, code, NEW_PASSWORD, NEW_PASSWORD)
        assert "Your password is changed" in screen_text(app)
        await pilot.press("enter")  # "Back to log in" has the focus
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#login").value == world.ANNA.email  # filled in
        await pilot.press(*NEW_PASSWORD, "enter")
        await settle(pilot)
        assert isinstance(app.screen, CatalogScreen)


async def test_a_phone_gets_the_code_too_and_is_shown_masked(tmp_path):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reset(pilot, world.ANNA.phone)
        assert "+7 *** ***-**-01" in screen_text(app)
        assert codes_sent_to(app, world.ANNA.phone)


async def test_neither_email_nor_phone_is_said_at_the_contact(tmp_path):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reset(pilot, "not a contact")
        assert field(app, "contact").error_text
        assert app.screen.step == "step-contact"
        assert app.screen.query_one("#contact").value == "not a contact"


@pytest.mark.parametrize(("case", "field_name"), [
    ("wrong code", "code"), ("mismatch", "confirmation"), ("weak", "new_password"),
])
async def test_each_refusal_is_said_at_its_field_and_keeps_the_input(tmp_path, case, field_name):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reset(pilot, world.ANNA.email)
        [code] = codes_sent_to(app, world.ANNA.email)
        wrong = str((int(code) + 1) % 10**8).zfill(8)
        values = {
            "wrong code": (wrong, NEW_PASSWORD, NEW_PASSWORD),
            "mismatch": (code, NEW_PASSWORD, NEW_PASSWORD + "x"),
            "weak": (code, "short", "short"),
        }[case]
        await fill_code(pilot, *values)
        assert field(app, field_name).error_text
        others = {"code", "new_password", "confirmation"} - {field_name}
        assert all(field(app, name).error_text == "" for name in others)
        assert app.screen.query_one("#code").value == values[0]
        assert app.screen.query_one("#new_password").value == values[1]


@pytest.mark.parametrize("typed", ["123456789", "1234 5678", "1234567"])
async def test_a_code_that_is_not_8_digits_is_kept_and_said_at_the_code(tmp_path, typed):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reset(pilot, world.ANNA.email)
        app.screen.query_one("#code").focus()
        await pilot.press(*typed)
        await fill_code(pilot, app.screen.query_one("#code").value, NEW_PASSWORD, NEW_PASSWORD)
        assert app.screen.query_one("#code").value == typed
        assert field(app, "code").error_text == "The code is 8 digits."


async def test_a_code_in_full_width_digits_is_that_code(tmp_path):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reset(pilot, world.ANNA.email)
        [code] = codes_sent_to(app, world.ANNA.email)
        wide = "".join(chr(ord("０") + int(digit)) for digit in code)
        await fill_code(pilot, wide, NEW_PASSWORD, NEW_PASSWORD)
        assert "Your password is changed" in screen_text(app)


async def test_an_expired_code_is_refused_at_the_code(tmp_path):
    clock = Clock()
    app = make_app(tmp_path, login=False, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reset(pilot, world.ANNA.email)
        [code] = codes_sent_to(app, world.ANNA.email)
        clock.advance(timedelta(minutes=16))
        await fill_code(pilot, code, NEW_PASSWORD, NEW_PASSWORD)
        assert field(app, "code").error_text
        assert app.screen.step == "step-code"


async def test_a_used_code_is_refused_the_second_time(tmp_path):
    clock = Clock()
    app = make_app(tmp_path, login=False, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reset(pilot, world.ANNA.email)
        [code] = codes_sent_to(app, world.ANNA.email)
        await fill_code(pilot, code, NEW_PASSWORD, NEW_PASSWORD)
        clock.advance(timedelta(minutes=2))  # past the resend cooldown
        await pilot.press("enter", "ctrl+r")
        await pilot.press(*world.ANNA.email, "enter")
        await settle(pilot)
        assert app.screen.step == "step-code"
        await fill_code(pilot, code, NEW_PASSWORD + "2", NEW_PASSWORD + "2")
        assert field(app, "code").error_text


async def test_resend_waits_out_its_cooldown_on_the_button(tmp_path):
    clock = Clock()
    app = make_app(tmp_path, login=False, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reset(pilot, world.ANNA.email)
        resend = app.screen.query_one("#resend")
        assert resend.disabled and "Resend code (in 1 min)" in str(resend.label)
        await pilot.press("ctrl+r")  # refused while cooling down: nothing sent
        await settle(pilot)
        assert len(codes_sent_to(app, world.ANNA.email)) == 1
        clock.advance(timedelta(seconds=45))
        app.screen._tick()
        assert "in 15 s" in str(resend.label)
        clock.advance(timedelta(seconds=15))
        app.screen._tick()
        assert not resend.disabled and str(resend.label) == "Resend code"
        await pilot.press("ctrl+r")
        await settle(pilot)
        _first, second = codes_sent_to(app, world.ANNA.email)  # two went out
        await fill_code(pilot, second, NEW_PASSWORD, NEW_PASSWORD)
        assert "Your password is changed" in screen_text(app)


async def test_asking_again_too_soon_is_said_with_the_time_left(tmp_path):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reset(pilot, world.ANNA.email)
        await pilot.press("escape", "ctrl+r", *world.ANNA.email, "enter")
        await settle(pilot)
        assert field(app, "contact").error_text == "Please wait 1 min before asking again."
