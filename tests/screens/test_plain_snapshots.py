"""Snapshots without colour (``NO_COLOR=1``), at 80x24 (SSH) and 120x40.

Textual draws in monochrome when ``NO_COLOR`` is set, so whatever colour says on the
other snapshots must show here by a mark, reverse video or bold: the wrong-password
error by its "✗", the cart's selected line by reverse video.
"""

from __future__ import annotations

import pytest

from tests.screens.keys import keys, typed
from tests.screens.snapshot_app import make_app
from tests.screens.test_cart import filled
from tests.screens.test_snapshots import SIZES, _cart, shoot


@pytest.fixture(autouse=True)
def no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    # Read once, when the app is built: set before every make_app below.
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.mark.parametrize("size", SIZES)
class TestWithoutColour:
    def test_login_with_a_wrong_password(self, snap_compare, tmp_path, size):
        app = make_app(tmp_path, login=False)
        assert app.no_color
        steps = lambda p: keys(p, typed("1000001"), "enter", typed("wrong-password"), "enter")  # noqa: E731
        assert shoot(snap_compare, app, size, steps)

    def test_cart_with_lines(self, snap_compare, tmp_path, size):
        app = make_app(tmp_path, wrap=filled(("32548", 2), ("33012", 3)))
        assert app.no_color
        assert shoot(snap_compare, app, size, lambda p: _cart(p))
