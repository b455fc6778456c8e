"""Paying cart lines with wallet points: the key, the line, the totals, refusals, checkout.

Anna's wallet holds 100 BB: the sample 38000 costs 80 BB, the shower gel 34001 240 BB.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from mlm_tui.core.local import schema as t
from mlm_tui.core.models import PointsKind
from mlm_tui.screens.checkout import CheckoutScreen
from tests import world
from tests.screens.snapshot_app import screen_text, settle
from tests.screens.test_cart import filled, make_app, open_cart, text_line

pytestmark = pytest.mark.anyio


def paid_with_points(app) -> set[str]:
    return {line.product.code for line in app._backend.cart().lines if line.paid_with_points}


def expire(app, points: str) -> None:
    with app._backend.store.write() as conn:
        conn.execute(t.points_ledger.insert().values(
            member_id=world.ANNA.id, at=world.NOW, kind=PointsKind.EXPIRED.value,
            points=-Decimal(points), note="expired"))


async def test_w_pays_the_line_with_points_and_back_with_money(tmp_path):
    app = make_app(tmp_path, wrap=filled(("32548", 2), ("38000", 1)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot)
        assert "1 577,40 ₽" not in text_line(app, "To pay")
        await pilot.press("down", "w")
        await settle(pilot)
        assert paid_with_points(app) == {"38000"}
        sample = text_line(app, "38000")
        assert "Пробник" in sample and sample.split()[-2:] == ["BB", "0"]  # pays, earns none
        assert "80 BB" in sample and "0,00 ₽" not in sample
        to_pay = text_line(app, "To pay")
        assert "1 577,40 ₽" in to_pay and "25 BB" in to_pay  # the cream and the delivery
        assert "Paid with" in to_pay and "80 BB" in to_pay
        await pilot.press("w")
        await settle(pilot)
        assert paid_with_points(app) == set()
        assert "paid with" not in screen_text(app).casefold()
        assert "1 656,60 ₽" in text_line(app, "To pay")


async def test_a_short_wallet_says_what_is_needed_and_keeps_the_line_on_money(tmp_path):
    app = make_app(tmp_path, wrap=filled(("34001", 1)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert "✗ Paying with points needs 240 BB; the wallet holds 100 BB." in (
            screen_text(app))
        assert paid_with_points(app) == set()
        assert "239,20 ₽" in text_line(app, "34001")


async def test_checkout_shows_the_points_and_the_header_the_wallet_left(tmp_path):
    app = make_app(tmp_path, wrap=filled(("32548", 2), ("38000", 1)))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_cart(pilot)
        await pilot.press("down", "w", "c")
        await settle(pilot)
        assert isinstance(app.screen, CheckoutScreen)
        assert "Wallet 100 BB" in screen_text(app)
        assert "Paid with" in text_line(app, "To pay") and "80 BB" in text_line(app, "To pay")
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert "Paid with points  80 BB" in text
        assert "Wallet 22,5 BB" in text  # 100 - 80 + a tenth of the order's 25 BB


async def test_a_wallet_that_shrank_before_placing_refuses_the_order(tmp_path):
    app = make_app(tmp_path, wrap=filled(("32548", 1), ("38000", 1)))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_cart(pilot)
        await pilot.press("down", "w", "c")
        await settle(pilot)
        expire(app, "30")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "✗ Paying with points needs 80 BB; the wallet holds 70 BB." in screen_text(app)
        assert app.screen.order is None
        assert paid_with_points(app) == {"38000"}
        assert app._backend.points_wallet() == Decimal(70)


async def test_two_quick_presses_end_where_they_started(tmp_path):
    app = make_app(tmp_path, wrap=filled(("38000", 1)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot)
        await pilot.press("w", "w")
        await settle(pilot)
        assert paid_with_points(app) == set()
        assert "79,20 ₽" in text_line(app, "38000")


async def test_the_help_screen_lists_the_key(tmp_path):
    app = make_app(tmp_path, wrap=filled(("38000", 1)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_cart(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert "Pay with points" in screen_text(app)
