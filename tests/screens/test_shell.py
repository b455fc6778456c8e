"""The shell: header, help, command palette, Escape, quitting, kept sessions, first run."""

from __future__ import annotations

import re

import pytest

from mlm_tui.core.session_keeper import SessionKeeper
from mlm_tui.navigation import DESTINATIONS
from mlm_tui.screens.cart import CartScreen
from mlm_tui.screens.catalog import CatalogScreen
from mlm_tui.screens.first_run import FirstRunScreen
from mlm_tui.screens.help import HelpScreen
from mlm_tui.screens.login import LoginScreen
from tests import world
from tests.screens.snapshot_app import make_app, open_screen, screen_text, settings_for, settle

pytestmark = pytest.mark.anyio


async def test_the_login_screen_comes_first_and_the_header_says_where_the_data_lives(tmp_path):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        text = screen_text(app)
        assert "Северное сияние" in text
        assert "local store" in text and "online" in text
        assert "Not logged in" in text


async def test_the_header_shows_member_number_balance_and_labelled_points(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        header = screen_text(app).splitlines()[:2]
        assert "Анна Смирнова" in header[1] and "1000001" in header[1]
        assert "10 000,00 ₽" in header[1]
        assert "Wallet 100 BB" in header[1]  # 120 earned, 20 spent, labelled as the company says


async def test_help_lists_the_screens_keys_and_the_global_ones(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for words in ("On this screen", "Add to cart", "Search", "Everywhere", "Quit",
                      "Commands", "Back", *(d.title for d in DESTINATIONS)):
            assert words in text
        await pilot.press("escape")
        assert isinstance(app.screen, CatalogScreen)


async def test_help_names_a_key_to_log_out_and_the_key_logs_out(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        assert re.search(r"f1, then l +Log out", screen_text(app))
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.session is None
        await pilot.press("f1")  # logged out: nothing to log out of
        assert "Log out" not in screen_text(app)


async def test_keys_moved_in_the_config_work_and_show_where_keys_are_shown(tmp_path):
    """[keys] help = "f11", catalog = "ctrl+k" (mlm_tui.keymap makes the keymap)."""
    app = make_app(tmp_path, keymap={"app.help": "f11", "go.catalog": "ctrl+k"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "cart")
        footer = screen_text(app).splitlines()[-1]
        assert "^k Catalog" in footer and "f11 Help" in footer and "f2" not in footer
        await pilot.press("f1", "f2")  # their old keys do nothing now
        assert isinstance(app.screen, CartScreen)
        await pilot.press("f11")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert re.search(r"\^k +Catalog", text) and re.search(r"f11 +Help", text)
        assert re.search(r"f11, then l +Log out", text)
        await pilot.press("escape", "ctrl+k")
        await settle(pilot)
        assert isinstance(app.screen, CatalogScreen)


async def test_over_ssh_a_text_fields_cursor_does_not_blink(tmp_path):
    """Every blink redraws the whole field: over a thin link the cursor stays still."""
    from textual.widgets import Input

    app = make_app(tmp_path, login=False, blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        field = app.focused
        assert isinstance(field, Input) and not field.cursor_blink
        await pilot.press("tab")
        assert app.focused is not field and not app.focused.cursor_blink


async def test_question_mark_opens_help_but_types_into_a_field(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("?")  # the search field has the focus: it is text
        assert app.screen.query_one("#search").value == "?"
        await pilot.press("backspace", "down", "?")  # the results table has the focus
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize("destination", DESTINATIONS, ids=lambda d: d.id)
async def test_the_palette_reaches_every_destination(tmp_path, destination):
    from mlm_tui.app import load_screen_class

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        if destination.id == DESTINATIONS[0].id:
            await open_screen(pilot, DESTINATIONS[1].id)  # start elsewhere
        await pilot.press("ctrl+p")
        await pilot.press(*destination.title)
        await pilot.pause(0.2)  # the palette searches in a task of its own
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen) is load_screen_class(destination)


async def test_destination_keys_open_screens_and_escape_goes_back(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, CartScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, CatalogScreen)
        await pilot.press("escape")  # nothing is under the first screen
        assert isinstance(app.screen, CatalogScreen)
        await pilot.press("f3", "f4")
        await settle(pilot)
        await pilot.press("f2")  # back to the catalog already open, not a second one
        assert len(app.screen_stack) == 2


async def test_nothing_but_the_login_opens_before_logging_in(tmp_path):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2", "f4")
        assert isinstance(app.screen, LoginScreen)
        assert "Catalog" not in screen_text(app).splitlines()[-1]


async def test_ctrl_q_quits_from_a_text_field(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.return_code is None
        await pilot.press("ctrl+q")
        assert app.return_code == 0  # the app is on its way out


async def _log_in(pilot, login: str, password: str) -> None:
    screen = pilot.app.screen
    screen.query_one("#login").value = login
    screen.query_one("#password").value = password
    await pilot.click("#submit")
    await settle(pilot)


async def test_a_kept_session_skips_the_login_next_time(tmp_path):
    keeper = SessionKeeper(tmp_path / "state")
    app = make_app(tmp_path, login=False, keeper=keeper)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _log_in(pilot, world.ANNA.registration_number, world.PASSWORD)
        assert isinstance(app.screen, CatalogScreen)

    again = make_app(tmp_path, login=False, keeper=SessionKeeper(tmp_path / "state"))
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, CatalogScreen)
        assert "Анна Смирнова" in screen_text(again)


async def test_an_expired_kept_session_falls_back_to_the_login(tmp_path):
    keeper = SessionKeeper(tmp_path / "state")
    app = make_app(tmp_path, login=False, keeper=keeper)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        account = app.location
        keeper.save(account, "no-such-token")
    again = make_app(tmp_path, login=False, keeper=keeper)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, LoginScreen)
    assert keeper.load(account) is None


async def test_log_out_from_the_palette_forgets_the_session(tmp_path):
    keeper = SessionKeeper(tmp_path / "state")
    app = make_app(tmp_path, login=False, keeper=keeper)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _log_in(pilot, world.ANNA.email, world.PASSWORD)
        assert keeper.load(app.location)
        await pilot.press("ctrl+p", *"Log out")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.session is None and app.account is None
        assert keeper.load(app.location) is None
        assert "Not logged in" in screen_text(app)


def test_the_app_the_command_line_starts_has_the_settings_it_was_given(tmp_path, monkeypatch):
    from mlm_tui.app import MlmApp, run_app

    started: list[MlmApp] = []
    monkeypatch.setattr(MlmApp, "run", lambda self, *args, **kwargs: started.append(self))
    settings = settings_for(tmp_path)
    assert run_app(settings) == 0
    assert started[0].settings is settings


async def test_a_store_that_cannot_open_is_reported_at_the_login(tmp_path):
    from mlm_tui.app import MlmApp
    from mlm_tui.core.errors import DomainError

    def broken():
        raise DomainError("the store could not be read: disk I/O error")

    app = MlmApp(broken, settings=settings_for(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _log_in(pilot, "1000001", "whatever-password")
        assert "disk I/O error" in screen_text(app)
        assert isinstance(app.screen, LoginScreen)


# --- first run --------------------------------------------------------------------------------


def small_demo(app):
    from mlm_tui.core.demo import build_demo

    def build(progress):
        return build_demo(app.settings.store_path, products=40, orders=30, members=6,
                          today=world.NOW.date(), progress=progress)

    return build


async def test_an_empty_store_offers_the_demo_data_and_then_its_login(tmp_path):
    app = make_app(tmp_path, empty=True)
    app.demo_builder = small_demo(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        assert "This store is empty" in screen_text(app)
        await pilot.press("enter")  # the focused button builds
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        text = screen_text(app)
        assert "Demo login: 1000001" in text and "demo-2026" in text
        await pilot.press("ctrl+t")  # fills the demo login in
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CatalogScreen)
        assert "1000001" in screen_text(app).splitlines()[1]


async def test_demo_start_builds_the_empty_store_without_asking(tmp_path):
    app = make_app(tmp_path, empty=True, build_demo_at_once=True)
    app.demo_builder = small_demo(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "Demo login: 1000001" in screen_text(app)


async def test_a_failed_demo_build_says_why_and_can_be_tried_again(tmp_path):
    app = make_app(tmp_path, empty=True)

    def failing(progress):
        progress("catalog", 1, 4)
        raise OSError("No space left on device")

    app.demo_builder = failing
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        assert "No space left on device" in screen_text(app)
        assert not app.screen.query_one("#build").disabled


async def test_without_a_demo_builder_the_first_run_offers_activation(tmp_path):
    app = make_app(tmp_path, empty=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Build the demo data" not in text
        assert "Activate an account" in text


def test_the_first_frame_imports_nothing_heavy() -> None:
    """Start-up to the login screen is measured: SQLAlchemy, Babel, argon2 and the local
    backend load in a worker after the first frame, never on the way to it."""
    import subprocess
    import sys

    code = ("import sys, mlm_tui.app, mlm_tui.screens.login\n"
            "print('\\n'.join(sys.modules))")
    loaded = set(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                text=True).stdout.split())
    assert "mlm_tui.app" in loaded and "textual" in loaded
    heavy = {m for m in loaded if m.split(".")[0] in {"sqlalchemy", "babel", "argon2"}
             or m.startswith("mlm_tui.core.local")}
    assert not heavy
