"""Snapshots without colour (``NO_COLOR=1``, as ``run_app`` finds it), at 80x24 (SSH) and
120x40.

No colour at all is drawn then (``mlm_tui.colours``), so whatever colour says on the
other snapshots must show here by a mark, reverse video or bold: the wrong-password
error by its "✗", the cart's selected line by reverse video.
"""

from __future__ import annotations

import pytest

from mlm_tui.colours import Colours, terminal_colours
from tests.screens.keys import keys, typed
from tests.screens.snapshot_app import make_app
from tests.screens.test_cart import filled
from tests.screens.test_snapshots import _cart


@pytest.fixture(autouse=True)
def no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert terminal_colours() is Colours.NONE  # what run_app then gives the app


class TestWithoutColour:
    def test_login_with_a_wrong_password(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, login=False, colours=Colours.NONE)
        assert app.no_color
        steps = lambda p: keys(p, typed("1000001"), "enter", typed("wrong-password"), "enter")  # noqa: E731
        assert snap_sizes(app, steps) == []

    def test_cart_with_lines(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, wrap=filled(("32548", 2), ("33012", 3)), colours=Colours.NONE)
        assert app.no_color
        assert snap_sizes(app, lambda p: _cart(p)) == []
