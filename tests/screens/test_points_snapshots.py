"""Snapshots of paying cart lines with wallet points, at 80x24 (SSH) and 120x40.

Update with ``pytest tests/screens/test_points_snapshots.py --snapshot-update`` and look
at every changed SVG before keeping it.
"""

from __future__ import annotations

from tests.screens.snapshot_app import make_app
from tests.screens.test_cart import filled
from tests.screens.test_snapshots import _cart


class TestPayingWithPoints:
    def test_a_line_paid_with_points(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, wrap=filled(("32548", 2), ("38000", 1)))
        assert snap_sizes(app, lambda p: _cart(p, "down", "w")) == []

    def test_the_wallet_is_short(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, wrap=filled(("32548", 1), ("34001", 1)))
        assert snap_sizes(app, lambda p: _cart(p, "down", "w")) == []

    def test_the_checkout_summary_with_points(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, wrap=filled(("32548", 2), ("38000", 1)))
        assert snap_sizes(app, lambda p: _cart(p, "down", "w", "c")) == []
