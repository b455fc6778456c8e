"""A change made anywhere shows on the screens that display it: here a second backend on
the same store file stands for another app (another terminal, another member of the team).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest

from mlm_tui.core.local import LocalBackend
from mlm_tui.core.models import Checkout, DeliveryMethod, PaymentMethod, TopUpMethod
from mlm_tui.screens.orders import OrdersScreen
from mlm_tui.widgets.money import money_text
from mlm_tui.widgets.order_grid import OrderGrid
from tests import world
from tests.screens.snapshot_app import make_app, open_screen, screen_text, settle

pytestmark = pytest.mark.anyio


@contextmanager
def another_app(app) -> Iterator[LocalBackend]:
    """Anna at another terminal: a backend of its own on the same store file."""
    other = LocalBackend(app.settings, clock=app.clock)
    other.login(world.ANNA.registration_number, world.PASSWORD)
    try:
        yield other
    finally:
        other.close()


def header_balance(app, amount: Decimal) -> str:
    text = "Balance " + money_text(app.backend.money(amount), app.company)
    return text.replace("\xa0", " ").replace("\u202f", " ")  # as screen_text reads them


def grid_line(app, number: str) -> str:
    return next(line for line in screen_text(app).splitlines() if number in line)


async def one_poll(pilot) -> None:
    pilot.app.check_for_changes()
    await settle(pilot)


async def test_a_top_up_elsewhere_shows_in_the_header_at_the_next_poll(tmp_path) -> None:
    app = make_app(tmp_path, poll_seconds=0.05)
    async with app.run_test(size=(140, 24)) as pilot:
        await settle(pilot)
        before = app.account.balance.amount
        assert header_balance(app, before) in screen_text(app)
        with another_app(app) as other:
            other.top_up(other.money(Decimal("500")), TopUpMethod.CARD)
        await pilot.pause(0.2)  # a few polls' time: no key pressed, nothing opened
        await settle(pilot)
        assert header_balance(app, before + 500) in screen_text(app)


async def test_an_order_cancelled_elsewhere_shows_in_the_grid_and_header(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "orders")
        grid = app.screen.query_one(OrderGrid)
        await pilot.press("down", "down")
        await settle(pilot)
        cursor, scroll = grid.cursor_row, grid.scroll_offset
        assert "paid" in grid_line(app, world.ORDER_ANNA_PAID)
        before = app.account.balance.amount
        with another_app(app) as other:
            refund = other.cancellation_quote(world.ORDER_ANNA_PAID).refund.amount
            other.cancel_order(world.ORDER_ANNA_PAID)
        await one_poll(pilot)
        assert "cancelled" in grid_line(app, world.ORDER_ANNA_PAID)
        assert header_balance(app, before + refund) in screen_text(app)
        assert (grid.cursor_row, grid.scroll_offset) == (cursor, scroll)


async def test_an_order_placed_elsewhere_shows_in_the_grid_and_header(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "orders")
        count = app.screen.query_one(OrderGrid).count
        before = app.account.balance.amount
        with another_app(app) as other:
            other.add_to_cart("32548", 1)
            order = other.place_order(Checkout(DeliveryMethod.PICKUP_POINT,
                                               PaymentMethod.BALANCE, "elsewhere-1",
                                               pickup_point="PP-MSK-2"))
        await one_poll(pilot)
        text = screen_text(app)
        assert order.number in text
        assert f"{count + 1} orders" in text
        assert header_balance(app, before - order.total.amount) in text


async def test_an_order_cancelled_here_shows_in_the_grid_on_coming_back(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "orders")
        grid = app.screen.query_one(OrderGrid)
        while grid.cursor_order.number != world.ORDER_ANNA_PAID:
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)
        assert "cancelled" in grid_line(app, world.ORDER_ANNA_PAID)


async def test_a_quiet_poll_draws_nothing(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "orders")
        grid = app.screen.query_one(OrderGrid)
        drawn = []
        grid.refresh = lambda *a, **k: drawn.append(a) or grid  # type: ignore[method-assign]
        await one_poll(pilot)
        await one_poll(pilot)
        assert drawn == []
