"""Checkout: masked details, delivery and payment, the shortfall, placing exactly once."""

from __future__ import annotations

import pytest

from mlm_tui.core.models import DeliveryMethod, OrderFilter, PaymentMethod
from mlm_tui.screens.catalog import CatalogScreen
from mlm_tui.screens.checkout import CheckoutScreen
from tests import world
from tests.screens.snapshot_app import make_app, open_screen, screen_text, settle
from tests.screens.test_cart import filled

pytestmark = pytest.mark.anyio


async def open_checkout(pilot) -> CheckoutScreen:
    await settle(pilot)
    await open_screen(pilot, "cart")
    await pilot.press("c")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CheckoutScreen)
    return screen


def choose(screen: CheckoutScreen, button_id: str) -> None:
    screen.query_one(f"#{button_id}").value = True


async def test_personal_data_is_shown_masked(tmp_path):
    app = make_app(tmp_path, wrap=filled(("32548", 1)))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_checkout(pilot)
        text = screen_text(app)
        assert "a***a@example.ru" in text and "+7 *** ***-**-01" in text
        assert "Москва, ***" in text
        assert world.ANNA.email not in text and world.ANNA.phone not in text
        assert "ул. Примерная" not in text


async def test_paying_from_the_balance_places_the_order_and_empties_the_cart(tmp_path):
    app = make_app(tmp_path, wrap=filled(("32548", 2), ("33012", 3)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_checkout(pilot)
        assert "7 236,76 ₽ stay on it after this order" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        [order] = app._backend.orders_page(OrderFilter(member_id=world.ANNA.id)).items
        text = screen_text(app)
        assert f"✓ Order {order.number} is placed." in text
        assert "2 763,24 ₽ — paid from your balance" in text and "49 BB" in text
        assert app._backend.cart().is_empty
        assert str(order.total.amount) == "2763.24"
        assert "Balance 7 236,76 ₽" in text.splitlines()[1]  # the header followed
        assert "Month 49 BB" in text.splitlines()[1]
        full = app._backend.order(order.number)
        assert full.idempotency_key == screen.idempotency_key
        assert full.payment_method is PaymentMethod.BALANCE
        await pilot.press("enter")
        assert isinstance(app.screen, CatalogScreen)


async def test_a_short_balance_shows_the_shortfall_and_another_payment_works(tmp_path):
    app = make_app(tmp_path, wrap=filled(("35555", 7)))  # 13 994,40 ₽, more than 10 000
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_checkout(pilot)
        assert "short by 3 994,40 ₽" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CheckoutScreen)
        assert "✗ Your balance holds 10 000,00 ₽: short by 3 994,40 ₽" in screen_text(app)
        assert app.focused is screen.query_one("#payment")  # where to change it
        assert not app._backend.cart().is_empty  # nothing happened
        choose(screen, "pay-service_centre")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        [order] = app._backend.orders_page(OrderFilter(member_id=world.ANNA.id)).items
        # The same attempt, retried with another way to pay: the same key.
        assert app._backend.order(order.number).idempotency_key == screen.idempotency_key
        assert app._backend.order(order.number).payment_method is PaymentMethod.SERVICE_CENTRE
        assert app._backend.balance().amount == 10000


async def test_a_retry_after_a_lost_answer_does_not_order_twice(tmp_path):
    class LostAnswer:
        """The store takes the first order, but its answer never arrives."""

        def __init__(self, backend) -> None:
            self._backend, self.lost = backend, False

        def __getattr__(self, name):
            return getattr(self._backend, name)

        def place_order(self, checkout):
            order = self._backend.place_order(checkout)
            if not self.lost:
                self.lost = True
                from mlm_tui.core.errors import Offline

                raise Offline("the connection dropped")
            return order

    app = make_app(tmp_path, wrap=lambda backend: LostAnswer(filled(("32548", 1))(backend)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkout(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "✗ The connection dropped" in screen_text(app)
        await pilot.press("ctrl+s")  # try again
        await settle(pilot)
        assert "is placed" in screen_text(app)
        assert len(app._backend.orders_page(OrderFilter(member_id=world.ANNA.id)).items) == 1


async def test_a_courier_delivery_with_cash(tmp_path):
    app = make_app(tmp_path, wrap=filled(("32548", 1)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_checkout(pilot)
        choose(screen, "courier")
        choose(screen, "pay-cash_to_courier")
        await pilot.pause()
        assert "stay on it" not in screen_text(app)  # the balance is not touched
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Courier to your address" in screen_text(app)
        [order] = app._backend.orders_page(OrderFilter(member_id=world.ANNA.id)).items
        full = app._backend.order(order.number)
        assert full.delivery_method.value == "courier" and full.pickup_point is None


async def test_every_pickup_point_and_the_ways_to_pay_that_fit_it_are_offered(tmp_path):
    app = make_app(tmp_path, wrap=filled(("32548", 1)))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_checkout(pilot)
        text = screen_text(app)
        for name in ("СЦ Москва, Тверская", "Пункт выдачи «Сокол»", "Пункт выдачи «Невский»",
                     "Courier to my address"):
            assert name in text
        ways = {
            # Never instalments: nothing keeps their schedule yet.
            "pickup-SC-MSK-1": ["From my balance", "At the service centre"],
            "pickup-PP-MSK-2": ["From my balance"],
            "courier": ["From my balance", "Cash to the courier"],
        }
        every = {"From my balance", "At the service centre", "Cash to the courier",
                 "In instalments"}
        for delivery, offered in ways.items():
            choose(screen, delivery)
            await pilot.pause()
            payment = screen_text(app).split("3. Payment")[1]
            assert [way for way in every if way in payment] == [
                way for way in every if way in offered]


async def test_cash_chosen_for_a_courier_gives_way_when_a_pickup_is_chosen(tmp_path):
    app = make_app(tmp_path, wrap=filled(("32548", 1)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_checkout(pilot)
        choose(screen, "courier")
        await pilot.pause()
        choose(screen, "pay-cash_to_courier")
        await pilot.pause()
        choose(screen, "pickup-SC-MSK-1")
        await pilot.pause()
        assert screen.payment_method is PaymentMethod.BALANCE
        await pilot.press("ctrl+s")
        await settle(pilot)
        [order] = app._backend.orders_page(OrderFilter(member_id=world.ANNA.id)).items
        assert app._backend.order(order.number).payment_method is PaymentMethod.BALANCE


async def test_points_of_an_order_paid_later_are_shown_as_pending(tmp_path):
    app = make_app(tmp_path, wrap=filled(("32548", 2)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_checkout(pilot)
        choose(screen, "pay-service_centre")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "25 BB — earned when the order is paid" in screen_text(app)


async def test_the_keyboard_alone_chooses_delivery_and_payment(tmp_path):
    app = make_app(tmp_path, wrap=filled(("32548", 1)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_checkout(pilot)
        await pilot.press("down", "down", "down", "enter")  # the courier
        await pilot.press("tab", "down", "enter")  # cash to the courier
        await pilot.press("ctrl+s")
        await settle(pilot)
        [order] = app._backend.orders_page(OrderFilter(member_id=world.ANNA.id)).items
        full = app._backend.order(order.number)
        assert full.delivery_method is DeliveryMethod.COURIER
        assert full.payment_method is PaymentMethod.CASH_TO_COURIER
        assert screen.order is not None
