"""One user action, one request: what each screen asks the backend for, counted.

Over HTTP every Backend call is a round trip. Each test drives the app on the test world
through a counting wrapper (:mod:`tests.counting`) around the real LocalBackend and says
exactly which calls one action made: opening a screen, paging, a key. Loading further
pages of a list is the one thing that may ask again. After a write that moves money the
header reads the account once more (``account_summary``): that is the app's header, the
same for every screen, and is named where it happens.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import DataTable, Tree

from mlm_tui.core.models import OrderFilter, OrderSource
from mlm_tui.screens.checkout import CheckoutScreen
from mlm_tui.screens.customer import CustomerScreen
from mlm_tui.screens.order import OrderScreen
from mlm_tui.screens.orders import OrdersScreen
from mlm_tui.widgets.order_grid import OrderGrid
from tests import world
from tests.counting import CountingBackend, counting_wrap
from tests.screens.keys import keys, typed
from tests.screens.snapshot_app import make_app, open_screen, screen_text, settle

pytestmark = pytest.mark.anyio


async def opened(pilot, counting: Callable[[], CountingBackend]) -> None:
    """The app is open on its landing screen; what that cost is not this test's."""
    await settle(pilot)
    counting().take()


def app_with_counting(tmp_path, **options):
    wrap, counting = counting_wrap()
    return make_app(tmp_path, wrap=wrap, **options), counting


async def test_the_landing_catalog_opens_with_one_request_and_a_keystroke_costs_one(
        tmp_path) -> None:
    app, counting = app_with_counting(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        calls = counting().take()
        # Opening: the store, the session's header, and the catalog's one request.
        assert calls.get("catalog_overview") == 1
        assert "categories" not in calls and "search_products_page" not in calls
        await keys(pilot, "м")
        assert counting().take() == {"search_products_page": 1}
        assert "product" in screen_text(app)


async def test_the_order_history_opens_pages_and_filters_with_one_request_each(
        tmp_path) -> None:
    app, counting = app_with_counting(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, counting)
        await open_screen(pilot, "orders")
        # Rows, count, month menu and the flag marks: one answer.
        assert counting().take() == {"order_history": 1}
        text = screen_text(app)
        assert f"{len(world.WORLD_ORDERS) - 2} orders" in text  # Anna's team, not Petr's
        assert world.ORDER_ANNA_PLACED in text

        # Jumping to a month: every month's count in one request, the first time only.
        await keys(pilot, "j")
        assert counting().take() == {"order_month_counts": 1}
        assert "Jump to month" in screen_text(app)
        await keys(pilot, "escape", "j")
        assert counting().take() == {}
        await keys(pilot, "escape")

        # A filter is a new query: one request, which also refreshes the month menu.
        grid = app.screen.query_one(OrderGrid)
        grid.show(OrderFilter(source=OrderSource.AS))
        await settle(pilot)
        assert counting().take() == {"order_history": 1}
        assert grid.count == 2

        # Exporting what is shown: its pages, nothing for each row (flags included).
        await keys(pilot, "x")
        await settle(pilot)
        assert counting().take() == {"orders_page": 1}
        assert "Exported 2 orders" in screen_text(app)

        # Opening an order: the order, with its parcel and its buyer's facts.
        await keys(pilot, "enter")
        assert isinstance(app.screen, OrderScreen)
        assert counting().take() == {"order": 1}


async def test_paging_through_a_long_history_asks_for_pages_only(tmp_path, demo_template):
    """The demo store's history is many screens long: paging reads pages, one at a time,
    and never the buyers of their rows."""
    import shutil

    (tmp_path / "data").mkdir()
    shutil.copyfile(demo_template, tmp_path / "data" / "store.db")
    wrap, counting = counting_wrap()
    app = make_app(tmp_path, login=False, wrap=wrap)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        from mlm_tui.core.demo import DEMO_LOGIN

        hint = DEMO_LOGIN
        await keys(pilot, typed(hint.registration_number), "enter", typed(hint.password),
                   "enter")
        await settle(pilot)
        counting().take()
        await open_screen(pilot, "orders")
        assert counting().take() == {"order_history": 1}
        grid = app.screen.query_one(OrderGrid)
        assert grid.count and grid.count > 200
        for _ in range(8):
            await keys(pilot, "pagedown")
        await settle(pilot)
        calls = counting().take()
        assert set(calls) == {"orders_page"}, calls
        assert calls["orders_page"] <= 8  # a page holds several screenfuls
        await keys(pilot, "end")
        await settle(pilot)
        calls = counting().take()
        assert set(calls) <= {"orders_page"} and calls.get("orders_page", 0) <= 2, calls


async def test_the_history_for_one_member_names_her_without_asking_again(tmp_path) -> None:
    app, counting = app_with_counting(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, counting)
        await app.push_screen(OrdersScreen(member=world.OLGA_MSK.id))
        await settle(pilot)
        assert counting().take() == {"order_history": 1}
        assert f"{world.OLGA_MSK.full_name} ({world.OLGA_MSK.registration_number})" in (
            screen_text(app))


async def test_an_order_opened_flagged_and_corrected_costs_one_request_each(tmp_path):
    app, counting = app_with_counting(tmp_path, with_orders=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot, counting)
        # Klaus's enrolment order, placed long after he registered: flagged.
        await app.push_screen(OrderScreen(world.ORDER_KLAUS_ENROLMENT))
        await settle(pilot)
        assert counting().take() == {"order": 1}
        assert "!" in screen_text(app)
        await keys(pilot, "s")
        await settle(pilot)
        assert counting().take() == {"correct_order_source": 1}
        assert f"Order {world.ORDER_KLAUS_ENROLMENT} is now SO" in screen_text(app)


async def test_home_team_and_customer_open_with_one_request(tmp_path) -> None:
    app, counting = app_with_counting(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, counting)
        await open_screen(pilot, "home")
        assert counting().take() == {"alerts": 1}
        assert f"Hello, {world.ANNA.full_name}!" in screen_text(app)

        await open_screen(pilot, "team")
        assert counting().take() == {"team_root": 1}
        text = screen_text(app)
        # Her own node (her paid points this month) and who is below her.
        assert "Анна Смирнова  1000001  52,5 BB  (5)" in text
        assert "Ольга Иванова  1000002  46 BB  (1)" in text
        # Opening a branch reads that branch: one request.
        tree = app.screen.query_one(Tree)
        olga_row = next(i for i in range(tree.last_line + 1)
                        if tree.get_node_at_line(i).data
                        and tree.get_node_at_line(i).data.member.id == world.OLGA_MSK.id)
        await keys(pilot, *["down"] * olga_row)
        counting().take()
        await keys(pilot, "right")
        await settle(pilot)
        assert counting().take() == {"team_children": 1}

        await app.push_screen(CustomerScreen(world.OLGA_MSK.id))
        await settle(pilot)
        assert counting().take() == {"member_overview": 1}
        assert world.OLGA_MSK.full_name in screen_text(app)


async def test_cart_and_checkout_open_and_act_with_one_request(tmp_path) -> None:
    def filled_and_counted(backend):
        backend.add_to_cart("32548", 2)
        return wrap(backend)

    wrap, counting = counting_wrap()
    app = make_app(tmp_path, wrap=filled_and_counted)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, counting)
        await open_screen(pilot, "cart")
        assert counting().take() == {"cart": 1}
        await keys(pilot, "plus")
        await settle(pilot)
        assert counting().take() == {"set_cart_quantity": 1}

        await keys(pilot, "c")
        await settle(pilot)
        assert isinstance(app.screen, CheckoutScreen)
        # Who orders, the cart and the balance: one answer.
        assert counting().take() == {"checkout_overview": 1}

        await keys(pilot, "ctrl+s")
        await settle(pilot)
        assert "is placed." in screen_text(app)
        # The order, then the header reads the new balance (the app's, after any payment);
        # the cart under the dialog shows stock, which the order changed: it reads once.
        assert counting().take() == {"place_order": 1, "account_summary": 1, "cart": 1}


async def test_quick_order_puts_every_line_in_with_one_request(tmp_path) -> None:
    app, counting = app_with_counting(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, counting)
        await open_screen(pilot, "quick_order")
        assert counting().take() == {}
        await keys(pilot, *"32548", "enter", "enter", *"33012", "enter", "2", "enter",
                   *"99999", "enter")
        await settle(pilot)
        counting().take()  # each code is looked up as it is typed: one request a line
        await keys(pilot, "ctrl+s")
        await settle(pilot)
        assert counting().take() == {"add_lines_to_cart": 1}
        assert "2 lines put into the cart." in screen_text(app)
        cart = app._backend.cart()
        assert {line.product.code: line.quantity for line in cart.lines} == {
            "32548": 1, "33012": 2}


async def test_wallet_promotions_and_training_open_with_one_request(tmp_path) -> None:
    app, counting = app_with_counting(tmp_path, with_orders=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot, counting)
        await open_screen(pilot, "wallet")
        # Both tabs, amounts and first pages: one answer.
        assert counting().take() == {"wallet_overview": 1}
        assert "On your account:" in screen_text(app)
        ledger = app.screen.query_one("#ledger", DataTable)
        rows = ledger.row_count

        # A top-up asks for the money: the screen lists the pending request from the
        # answer, reading neither tab again (nothing is credited yet).
        await keys(pilot, "t", *"150", "enter")
        await settle(pilot)
        assert counting().take() == {"top_up": 1}
        text = screen_text(app)
        assert "TU-2611-000001  150,00 ₽  by card  pending" in text
        assert ledger.row_count == rows

        await open_screen(pilot, "promotions")
        assert counting().take() == {"period_promotions": 1}

        await open_screen(pilot, "training")
        assert counting().take() == {"training_progress": 1}
        await keys(pilot, "d")
        await settle(pilot)
        # Finishing a lesson answers with the progress after it.
        assert counting().take() == {"complete_lesson": 1}
        assert app._backend.training_progress()


async def test_a_claim_form_opens_with_one_request(tmp_path) -> None:
    from mlm_tui.screens.claim import ClaimScreen

    app, counting = app_with_counting(tmp_path, with_orders=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot, counting)
        invoice = app._backend.order(world.ORDER_ANNA_PAID).invoice_number
        counting().take()
        await app.push_screen(ClaimScreen(invoice))
        await settle(pilot)
        assert counting().take() == {"claimable_invoice": 1}
        assert invoice in screen_text(app)
