"""A failure of the app's own code is logged and shown, and the user's work stays."""

from __future__ import annotations

import pytest

from mlm_tui.screens.quick_order import QuickOrderScreen
from tests.screens.snapshot_app import make_app, open_screen, screen_text, settle

pytestmark = pytest.mark.anyio


def fail_on_code(monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    """A defect in the quick order: looking up ``code`` raises."""
    look_up = QuickOrderScreen._look_up

    def failing(self, row):
        if row.code == code:
            raise RuntimeError(f"lookup of {code} broke")
        look_up(self, row)

    monkeypatch.setattr(QuickOrderScreen, "_look_up", failing)


async def test_a_failing_handler_is_logged_and_shown_and_the_app_goes_on(tmp_path, monkeypatch):
    fail_on_code(monkeypatch, "33012")
    log = tmp_path / "state" / "errors.log"
    app = make_app(tmp_path, error_log=log)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await open_screen(pilot, "quick_order")
        await pilot.press(*"32548", "enter", "2", "enter", *"33012")
        await settle(pilot)
        text = screen_text(app)
        assert "Something failed" in text and "That did not work: RuntimeError:" in text
        assert "lookup of 33012 broke" in log.read_text()
        assert log.stat().st_mode & 0o777 == 0o600
        # The screen still takes keys and the rows typed before are all there.
        await pilot.press("enter", "enter", *"34001", "enter", "3")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, QuickOrderScreen)
        assert [(row.code, row.quantity_input.value) for row in app.screen.rows][:3] == [
            ("32548", "2"), ("33012", "1"), ("34001", "3")]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "1 line put into the cart." not in screen_text(app)  # two went in
        assert "2 lines put into the cart." in screen_text(app)


async def test_the_cli_app_keeps_a_log_in_the_state_dir(tmp_path, monkeypatch):
    from mlm_tui import app as app_module
    from tests.screens.snapshot_app import settings_for

    made = {}
    monkeypatch.setattr(app_module.MlmApp, "run", lambda self: made.setdefault("app", self))
    app_module.run_app(settings_for(tmp_path))
    assert made["app"].error_log == tmp_path / "state" / "errors.log"
