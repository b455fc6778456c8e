"""The login screen's "Too many attempts" counts down, and goes when the lock does: at its
end, or once the password was reset (here, or in another app on the same store)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mlm_tui.core.errors import InvalidCredentials
from mlm_tui.core.local import LocalBackend
from mlm_tui.screens.login import LoginScreen
from mlm_tui.screens.reset import ResetScreen
from tests import world
from tests.conftest import Clock
from tests.screens.keys import keys, typed
from tests.screens.snapshot_app import codes_sent_to, make_app, screen_text, settle

pytestmark = pytest.mark.anyio

NEW_PASSWORD = "Lavender-field-77"
LOCKED = "Too many attempts. Try again in 5 min."


@pytest.fixture(autouse=True)
def quick_countdown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LoginScreen, "COUNTDOWN_SECONDS", 0.01)


def password_error(app) -> str:
    return app.screen.query_one("#password-field").error_text


async def lock_out(pilot, login: str) -> None:
    await keys(pilot, typed(login), "enter", typed("wrong-password-1"),
               *["enter"] * 5)
    assert password_error(pilot.app) == LOCKED


async def test_the_time_left_counts_down_and_the_message_goes_with_the_lock(tmp_path):
    clock = Clock()
    app = make_app(tmp_path, login=False, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await lock_out(pilot, world.ANNA.registration_number)
        clock.advance(timedelta(minutes=2, seconds=30))
        await pilot.pause(0.05)  # a few steps of the countdown; nothing pressed
        assert password_error(app) == "Too many attempts. Try again in 2 min 30 s."
        clock.advance(timedelta(minutes=2, seconds=30))
        await pilot.pause(0.05)
        assert password_error(app) == ""
        assert "Too many attempts" not in screen_text(app)


async def test_a_reset_here_lifts_the_message(tmp_path):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await lock_out(pilot, world.ANNA.registration_number)
        await keys(pilot, "ctrl+r", typed(world.ANNA.email), "enter")
        assert isinstance(app.screen, ResetScreen)
        [code] = codes_sent_to(app, world.ANNA.email)
        for name, value in (("code", code), ("new_password", NEW_PASSWORD),
                            ("confirmation", NEW_PASSWORD)):
            app.screen.query_one(f"#{name}").value = value
        await keys(pilot, "ctrl+s")
        assert "Your password is changed" in screen_text(app)
        await keys(pilot, "enter")  # back to log in
        assert isinstance(app.screen, LoginScreen)
        assert password_error(app) == ""
        assert "Too many attempts" not in screen_text(app)


async def test_a_reset_in_another_app_lifts_the_message_at_the_next_poll(tmp_path):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await lock_out(pilot, world.ANNA.registration_number)
        other = LocalBackend(app.settings, clock=app.clock)
        try:
            other.request_password_reset(world.ANNA.email)
            [code] = codes_sent_to(app, world.ANNA.email)
            other.confirm_password_reset(world.ANNA.email, code, NEW_PASSWORD, NEW_PASSWORD)
        finally:
            other.close()
        app.check_for_changes()
        await settle(pilot)
        assert password_error(app) == ""
        # What was typed stays; the new password signs in at once.
        assert app.screen.query_one("#login").value == world.ANNA.registration_number
        app.screen.query_one("#password").value = NEW_PASSWORD
        await keys(pilot, "enter")
        assert not isinstance(app.screen, LoginScreen)


async def test_another_failed_login_keeps_the_message(tmp_path):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await lock_out(pilot, world.ANNA.registration_number)
        other = LocalBackend(app.settings, clock=app.clock)
        try:
            with pytest.raises(InvalidCredentials):
                other.login(world.IRINA.registration_number, "wrong-password-1")
        finally:
            other.close()
        app.check_for_changes()
        await settle(pilot)
        assert password_error(app) == LOCKED
