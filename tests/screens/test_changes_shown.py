"""A change made anywhere shows on the screens that display it: here a second backend on
the same store file stands for another app (another terminal, another member of the team).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert
from textual.widgets import DataTable, Input

from mlm_tui.core.local import LocalBackend
from mlm_tui.core.local import schema as t
from mlm_tui.core.models import Checkout, DeliveryMethod, PaymentMethod, TopUpMethod
from mlm_tui.screens.cart import CartScreen
from mlm_tui.screens.inbox import InboxScreen
from mlm_tui.screens.order import OrderScreen
from mlm_tui.screens.orders import OrdersScreen
from mlm_tui.screens.team import TeamScreen, TeamTree
from mlm_tui.screens.wallet import WalletScreen
from mlm_tui.widgets.flex_table import FlexTable
from mlm_tui.widgets.money import money_text
from mlm_tui.widgets.order_grid import OrderGrid
from tests import world
from tests.screens.keys import keys, typed
from tests.screens.snapshot_app import make_app, open_screen, screen_text, settle
from tests.screens.test_cart import filled

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
            world.confirmed_top_up(other, other.money(Decimal("500")), TopUpMethod.CARD)
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


# --- every screen that shows data: cart, balance, order, team, inbox ------------------------


def cursor_key(table: DataTable) -> str | None:
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


async def test_a_line_added_elsewhere_shows_in_the_cart_with_the_cursor_kept(tmp_path) -> None:
    app = make_app(tmp_path, wrap=filled(("32548", 1), ("33012", 2)))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "cart")
        assert isinstance(app.screen, CartScreen)
        lines = app.screen.query_one("#cart-lines", FlexTable)
        await keys(pilot, "down")
        chosen = lines.current_key
        assert chosen == "33012"
        with another_app(app) as other:
            other.add_to_cart("35555", 3)
        await one_poll(pilot)
        assert "35555" in screen_text(app)
        assert set(lines.row_keys) >= {"32548", "33012", "35555"}
        assert lines.current_key == chosen


async def test_a_top_up_elsewhere_shows_in_the_balance_keeping_what_is_typed(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "wallet")
        assert isinstance(app.screen, WalletScreen)
        ledger = app.screen.query_one("#ledger", DataTable)
        rows = ledger.row_count
        await keys(pilot, "down")
        chosen = cursor_key(ledger)
        app.screen.query_one("#amount", Input).focus()
        await keys(pilot, typed("1500"))
        before = app.backend.balance().amount
        with another_app(app) as other:
            world.confirmed_top_up(other, other.money(Decimal("500")), TopUpMethod.TERMINAL)
        await one_poll(pilot)
        text = screen_text(app)
        assert header_balance(app, before + 500).replace("Balance", "On your account:") in text
        assert ledger.row_count == rows + 1
        assert cursor_key(ledger) == chosen
        assert app.screen.query_one("#amount", Input).value == "1500"
        assert app.screen.focused is app.screen.query_one("#amount", Input)


async def test_an_order_cancelled_elsewhere_shows_on_its_screen(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await app.push_screen(OrderScreen(world.ORDER_ANNA_PAID))
        await settle(pilot)
        assert f"Order {world.ORDER_ANNA_PAID} · 15.11.2026 · paid" in screen_text(app)
        with another_app(app) as other:
            other.cancel_order(world.ORDER_ANNA_PAID)
        await one_poll(pilot)
        text = screen_text(app)
        assert f"Order {world.ORDER_ANNA_PAID} · 15.11.2026 · cancelled" in text
        assert "Cancellation fee withheld" in text


async def test_points_earned_elsewhere_show_in_the_team_tree_on_the_same_member(
        tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "team")
        assert isinstance(app.screen, TeamScreen)
        tree = app.screen.query_one(TeamTree)
        olga = next(node for node in tree.root.children[0].children
                    if node.data.member.id == world.OLGA_MSK.id)
        tree.move_cursor(olga)
        await keys(pilot, "right")  # her branch: Klaus
        await keys(pilot, "down")
        assert tree.cursor_node.data.member.id == world.KLAUS.id
        assert "Ольга Иванова  1000002  46 BB  (1)" in screen_text(app)
        with another_app(app) as other, other.store.write() as conn:  # Olga buys, paid
            conn.execute(insert(t.orders).values(
                number="RU-2611-999002", buyer_id=world.OLGA_MSK.id,
                placed_by_id=world.OLGA_MSK.id, source="SO", status="paid", period_id=2,
                placed_at=world.NOW - timedelta(hours=1), paid_at=world.NOW,
                retail=Decimal(1000), discount=Decimal(200), delivery_fee=Decimal(0),
                total=Decimal(800), points=Decimal(20), payment_method="balance",
                delivery_method="courier"))
        await one_poll(pilot)
        await settle(pilot)
        assert "Ольга Иванова  1000002  66 BB  (1)" in screen_text(app)
        assert "Klaus Müller" in screen_text(app)  # her branch stays open
        assert tree.cursor_node.data.member.id == world.KLAUS.id


async def test_a_message_arriving_elsewhere_shows_in_the_inbox_with_the_cursor_kept(
        tmp_path) -> None:
    app = make_app(tmp_path)

    def notify(backend: LocalBackend, title: str, minutes: int) -> None:
        with backend.store.write() as conn:
            conn.execute(insert(t.notifications).values(
                member_id=world.ANNA.id, at=world.NOW - timedelta(minutes=minutes),
                kind="account", title=title, body=f"{title}: text"))

    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        with another_app(app) as other:
            notify(other, "Первое", 30)
            notify(other, "Второе", 20)
        await open_screen(pilot, "inbox")
        assert isinstance(app.screen, InboxScreen)
        table = app.screen.query_one("#messages", DataTable)
        await keys(pilot, "down")  # the older one
        chosen = cursor_key(table)
        assert "2 unread" in screen_text(app)
        with another_app(app) as other:
            notify(other, "Третье", 10)
        await one_poll(pilot)
        text = screen_text(app)
        assert "Третье" in text and "3 unread" in text
        assert cursor_key(table) == chosen


async def test_a_change_behind_another_screen_shows_on_coming_back(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "wallet")
        wallet = app.screen
        before = app.backend.balance().amount
        await app.push_screen(OrderScreen(world.ORDER_ANNA_PAID))
        await settle(pilot)
        with another_app(app) as other:
            world.confirmed_top_up(other, other.money(Decimal("700")), TopUpMethod.CARD)
        await one_poll(pilot)
        await keys(pilot, "escape")
        await settle(pilot)
        assert app.screen is wallet
        expected = header_balance(app, before + 700).replace("Balance", "On your account:")
        assert expected in screen_text(app)
