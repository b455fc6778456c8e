"""Her language follows her: a member who chose German reads German as soon as she signs
in, whatever language the app started in, on the store and over a team server."""

from __future__ import annotations

import pytest

from mlm_tui.screens.catalog import CatalogScreen
from tests import world
from tests.screens.snapshot_app import make_app, screen_text, settle
from tests.screens.test_login import type_login

pytestmark = pytest.mark.anyio


class Borrowed:
    """The test's backend, lent to the app: the test's fixture closes it, not the app."""

    def __init__(self, backend) -> None:
        self._backend = backend

    def __getattr__(self, name: str):
        return getattr(self._backend, name)

    def close(self) -> None:
        pass


async def test_she_signs_in_on_an_english_app_and_reads_german(tmp_path, backend):
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    backend.set_language("de")  # chosen once, on another computer
    backend.logout()
    # The app's own settings point at the test's store (the same file the backend reads).
    app = make_app(tmp_path, login=False, language="en", wrap=lambda _own: Borrowed(backend))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Forgot password" in screen_text(app)
        await type_login(pilot, world.ANNA.registration_number, world.PASSWORD)
        assert isinstance(app.screen, CatalogScreen)
        assert app.language == "de"
        text = screen_text(app)
        assert "Suche" in text and "Hilfe" in text and "Warenkorb" in text
        assert "Search" not in text and "Help" not in text and "Cart" not in text


async def test_without_a_language_of_her_own_the_app_keeps_its_language(tmp_path, backend):
    app = make_app(tmp_path, login=False, language="en", wrap=lambda _own: Borrowed(backend))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_login(pilot, world.ANNA.registration_number, world.PASSWORD)
        assert isinstance(app.screen, CatalogScreen)
        assert app.language == "en"
        assert "Help" in screen_text(app) and "Cart" in screen_text(app)
