"""Every screen over the poisoned store: data is shown as plain text, nothing crashes.

The store holds terminal escapes (OSC 52 clipboard, OSC 0 window title, CSI 2J, C1 CSI,
DEL, a lone ESC) and Rich/Textual markup (``[/x]``, ``[link=...]``, ``[bold]``,
``[@click=...]``) in every free text (``tests/hostile.py``). After each step the test
renders what the app would write to the terminal and finds there no control character but
Textual's own colour and cursor sequences, and no hyperlink; a crash (``MarkupError``)
fails the step. Each test walks several screens in one app, to stay quick.
"""

from __future__ import annotations

from typing import Any

import pytest

from mlm_tui.core.models import OrderFilter, OrderStatus
from mlm_tui.navigation import DESTINATIONS
from mlm_tui.screens.cancel import CancelScreen
from mlm_tui.screens.claim import ClaimScreen
from mlm_tui.screens.invoice import InvoiceScreen
from mlm_tui.screens.order import OrderScreen
from mlm_tui.screens.tracking import TrackingScreen
from tests.hostile import make_hostile_app, smuggled, terminal_output
from tests.screens.snapshot_app import open_screen, screen_text, settle

pytestmark = pytest.mark.anyio


async def shown_plain(pilot, where: str, screen: str | None = None) -> str:
    """Settle, then check what reaches the terminal; the screen's text, for assertions.

    ``screen`` names the screen class the step must have reached.
    """
    await settle(pilot)
    app = pilot.app
    if screen is not None:
        assert type(app.screen).__name__ == screen, f"{where}: on {app.screen}"
    output = terminal_output(app)
    text = screen_text(app)
    assert smuggled(output) == [], f"{where}: control characters from the data\n{text}"
    assert "\x1b]8;" not in output, f"{where}: a hyperlink made of the data\n{text}"
    return text


async def keys(pilot, where: str, *pressed: str, screen: str | None = None) -> str:
    for key in pressed:
        await pilot.press(key)
    return await shown_plain(pilot, where, screen)


async def push(pilot, screen: Any, where: str) -> str:
    await pilot.app.push_screen(screen)
    return await shown_plain(pilot, where, type(screen).__name__)


def an_order(app, status: OrderStatus, *, own: bool = True) -> Any:
    """An order in ``status``: the demo consultant's own, or her team's (read at once)."""
    me = app.backend.session().member_id if own else None
    page = app.backend.orders_page(OrderFilter(member_id=me, status=status), limit=1)
    assert page.items, f"the demo store has an order that is {status}"
    return page.items[0]


async def test_every_destination(tmp_path):
    app = make_hostile_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        text = await shown_plain(pilot, "landing")
        # The data is there, its escapes made visible: the viewer sees something is odd.
        assert "␛]0;HACKED TITLE␇" in text
        for destination in DESTINATIONS:
            await open_screen(pilot, destination.id)
            await shown_plain(pilot, destination.id)
        await keys(pilot, "help", "f1", screen="HelpScreen")


async def test_catalog_product_cart_and_checkout(tmp_path):
    app = make_hostile_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown_plain(pilot, "landing")
        await open_screen(pilot, "catalog")
        text = await keys(pilot, "catalog: category list", "ctrl+g", "enter",
                          screen="CatalogScreen")
        assert "[bold]" in text  # a category name, shown as it is written
        await keys(pilot, "catalog", "escape", "slash")
        pilot.app.screen.query_one("#search").insert_text_at_cursor("крем")
        text = await shown_plain(pilot, "catalog: search")
        await keys(pilot, "product page", "down", "enter", screen="ProductDetailScreen")
        await keys(pilot, "add to cart", "a", screen="AddToCartScreen")
        await keys(pilot, "added", "enter", screen="ProductDetailScreen")
        await keys(pilot, "back to the catalog", "escape", screen="CatalogScreen")
        await open_screen(pilot, "cart")
        await shown_plain(pilot, "cart")
        await keys(pilot, "cart: delivery product", "d")
        await keys(pilot, "checkout", "c", screen="CheckoutScreen")
        await keys(pilot, "checkout: a pickup point", "tab", "enter")
        text = await keys(pilot, "order placed", "ctrl+s", screen="CheckoutScreen")
        assert "is placed" in text


async def test_orders_order_invoice_tracking_cancel_and_claim(tmp_path):
    app = make_hostile_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown_plain(pilot, "landing")
        await open_screen(pilot, "orders")
        await keys(pilot, "orders: jump to a month", "j", screen="PickMonthScreen")
        await keys(pilot, "orders: a month", "enter", screen="OrdersScreen")
        field = pilot.app.screen.query_one("#filter-member")
        field.focus()
        field.insert_text_at_cursor("а")
        await keys(pilot, "orders: pick a member", "enter", screen="PickMemberScreen")
        await keys(pilot, "orders: of one member", "enter", screen="OrdersScreen")
        await keys(pilot, "an order", "enter", screen="OrderScreen")

        delivered = an_order(app, OrderStatus.DELIVERED)
        await push(pilot, OrderScreen(delivered.number), "a delivered order")
        await push(pilot, InvoiceScreen(delivered.invoice_number), "its invoice")
        await keys(pilot, "the invoice as PDF", "p")
        await keys(pilot, "the invoice e-mailed", "e")
        await push(pilot, ClaimScreen(delivered.invoice_number), "a claim")
        await keys(pilot, "a claim: one product", "plus")
        reason = pilot.app.screen.query_one("#reason")
        reason.insert_text_at_cursor("Разбит\x1b[2J")  # pasted with an escape in it
        text = await keys(pilot, "a claim refused", "ctrl+s")
        assert "✗ Remove the control characters" in text and "Разбит␛[2J" in text
        reason.value = "Разбит"
        text = await keys(pilot, "a claim submitted", "ctrl+s")
        assert "submitted" in text

        shipped = an_order(app, OrderStatus.SHIPPED, own=False)
        await push(pilot, TrackingScreen(shipped.number), "a parcel")
        await push(pilot, CancelScreen(shipped.number), "stopping a delivery")
        paid = an_order(app, OrderStatus.PAID, own=False)
        await push(pilot, CancelScreen(paid.number), "cancelling an order")
        await keys(pilot, "cancelled", "y")


async def test_team_customers_inbox_claims_and_quick_order(tmp_path):
    app = make_hostile_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown_plain(pilot, "landing")
        await open_screen(pilot, "customers")
        pilot.app.screen.query_one("#search").insert_text_at_cursor("а")
        await shown_plain(pilot, "customers: matches")
        await keys(pilot, "a customer", "down", "enter", screen="CustomerScreen")
        await keys(pilot, "a customer's contacts", "r")
        await keys(pilot, "a customer's orders", "o", screen="OrdersScreen")

        await open_screen(pilot, "team")
        me = pilot.app.screen.query_one("#tree").root.children[0]
        for member in me.children:
            if member.allow_expand:
                member.expand()
        await shown_plain(pilot, "team: every branch")
        await open_screen(pilot, "inbox")
        for _message in range(3):
            await keys(pilot, "inbox: a message", "enter", "down")
        await open_screen(pilot, "claims")
        for _claim in range(3):
            await keys(pilot, "claims: a claim", "enter", "down")
        await open_screen(pilot, "home")
        await keys(pilot, "home")
        if any(alert.members for alert in app.backend.alerts()):  # as the demo's day has them
            await keys(pilot, "home: a member", "down", "enter", screen="CustomerScreen")

        await open_screen(pilot, "quick_order")
        codes = [product.code for product in app.backend.search_products("", limit=3)]
        for code in codes:
            pilot.app.screen.focused.insert_text_at_cursor(code)
            await keys(pilot, "quick order: a line", "enter", "enter")
        await keys(pilot, "quick order: into the cart", "ctrl+s")
        await keys(pilot, "repeat an order", "ctrl+r", "down", screen="RepeatOrderScreen")
        text = await keys(pilot, "an order repeated", "enter", screen="QuickOrderScreen")
        assert "repeated" in text


async def test_a_pasted_escape_is_refused_at_its_field_and_what_was_typed_stays(tmp_path):
    from textual.widgets import Input

    app = make_hostile_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown_plain(pilot, "landing")
        await open_screen(pilot, "register")
        typed = {"full_name": "Мария Петрова", "birth_date": "03.04.1990",
                 "postcode": "420111", "city": "Каз\x1b]0;HACKED\x07ань",
                 "street": "ул. Баумана, 5", "phone": "+7 917 555-12-34",
                 "email": "maria@example.ru"}
        for name, value in typed.items():
            pilot.app.screen.query_one(f"#{name}", Input).value = value
        members = len(app.backend.search_members("Петрова"))
        text = await keys(pilot, "register: refused", "ctrl+s", screen="RegisterScreen")
        assert "✗ Remove the control characters (such as escape codes)" in text
        assert "Каз␛]0;HACKED␇ань" in text  # the field shows what it holds
        assert pilot.app.screen.query_one("#city", Input).value == typed["city"]
        assert len(app.backend.search_members("Петрова")) == members
