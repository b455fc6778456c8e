"""The outbox screen: orders checked out offline with their state, the decision view of
one whose price changed (what was seen beside what it costs now), and the header's counts.
Snapshots at 80x24 and 120x40; Pilot tests confirm and drop as a consultant would."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import update

from mlm_tui.core.errors import Offline
from mlm_tui.core.local import LocalBackend
from mlm_tui.core.local import schema as t
from mlm_tui.core.models import Checkout, DeliveryMethod, OrderFilter, PaymentMethod
from mlm_tui.core.offline.outbox import Outbox, OutboxState, offline_file
from mlm_tui.core.offline.sync import sync
from mlm_tui.screens.outbox import OutboxScreen
from tests import world
from tests.conftest import Clock
from tests.screens.keys import keys
from tests.screens.snapshot_app import make_app, screen_text, settings_for, settle

CHECKOUT = Checkout(DeliveryMethod.PICKUP_POINT, PaymentMethod.BALANCE, "new",
                    pickup_point="PP-MSK-2")


def outbox_with_a_decision(tmp_path) -> None:
    """Three orders checked out offline: the first went through, the second's price has
    changed since, so it waits; the third was given up."""
    settings = settings_for(tmp_path)
    backend = LocalBackend(settings, clock=Clock())
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    outbox = Outbox(offline_file(settings.data_dir, backend.describe()),
                    clock=lambda: world.NOW)
    carts = []
    for lines in ((("33012", 1),), (("32548", 2), ("35555", 2)), (("33012", 3),)):
        for code, quantity in lines:
            backend.add_to_cart(code, quantity)
        carts.append(backend.cart())
        backend.clear_cart()
    outbox.queue(world.ANNA.id, carts[0], CHECKOUT)
    sync(outbox, backend, world.ANNA.id)  # the first goes through
    outbox.queue(world.ANNA.id, carts[1], CHECKOUT)
    outbox.drop(outbox.queue(world.ANNA.id, carts[2], CHECKOUT))
    with backend.store.write() as conn:
        conn.execute(update(t.products).where(t.products.c.code == "32548")
                     .values(consultant_price=Decimal("999")))
    sync(outbox, backend, world.ANNA.id)  # the second now costs more: it waits
    assert outbox.get(2).state is OutboxState.WAITING
    outbox.close()
    backend.close()


def prepared_app(tmp_path):
    app = make_app(tmp_path)
    outbox_with_a_decision(tmp_path)
    return app


async def open_outbox(pilot) -> None:
    await settle(pilot)
    await pilot.app.push_screen(OutboxScreen())
    await settle(pilot)


async def on_the_waiting_one(pilot) -> None:
    await open_outbox(pilot)
    await keys(pilot, "down")
    await settle(pilot)


STATES = {"list": open_outbox, "decision": on_the_waiting_one}


@pytest.mark.parametrize("state", list(STATES))
def test_outbox_snapshot(snap_sizes, tmp_path, state) -> None:
    assert snap_sizes(prepared_app(tmp_path), STATES[state]) == []


@pytest.mark.anyio
async def test_the_waiting_order_shows_both_prices_and_confirming_places_it(tmp_path):
    app = prepared_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_the_waiting_one(pilot)
        text = screen_text(app)
        assert "needs your decision" in text and "1 waiting" in text
        assert "Seen" in text and "Now" in text
        await keys(pilot, "c")
        await settle(pilot)
        text = screen_text(app)
        assert "Sent: 1" in text and "waiting" not in text.split("\n")[0]
        sent = app.with_own_outbox(lambda outbox: outbox.get(2))
        assert sent.state is OutboxState.SENT
        assert app.outbox_counts == (0, 0)


@pytest.mark.anyio
async def test_dropping_the_waiting_order_takes_it_out_of_the_count(tmp_path):
    app = prepared_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_the_waiting_one(pilot)
        await keys(pilot, "d")
        await settle(pilot)
        assert "Order Q-000002 dropped." in screen_text(app)
        assert app.with_own_outbox(lambda outbox: outbox.get(2)).state is OutboxState.DROPPED
        assert app.outbox_counts == (0, 0)


class AwayWhenPlacing:
    """The backend with the server gone at the moment the order is placed (``away``);
    ``committed`` makes the request reach the server before the answer is lost."""

    def __init__(self, backend, *, committed: bool = False) -> None:
        self._backend, self.away, self.committed = backend, True, committed

    def place_order(self, checkout):
        if self.away:
            if self.committed:
                self._backend.place_order(checkout)
            raise Offline("The server {url} cannot be reached.", params={"url": "x"})
        return self._backend.place_order(checkout)

    def __getattr__(self, name):
        return getattr(self._backend, name)


def on_a_server(tmp_path, **options):
    """The app as it runs with a team server, over the test store."""
    from tests.screens.test_cart import filled

    holder = {}

    def wrap(backend):
        filled(("32548", 2), ("33012", 1))(backend)
        holder["backend"] = AwayWhenPlacing(backend, **options)
        return holder["backend"]

    app = make_app(tmp_path, wrap=wrap)
    app.settings = replace(app.settings, server_url="http://127.0.0.1:9")
    return app, holder


@pytest.mark.anyio
async def test_checking_out_with_the_server_away_queues_the_order_which_goes_later(tmp_path):
    from tests.screens.test_checkout import open_checkout

    app, holder = on_a_server(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkout(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert "Order Q-000001 is queued" in text and "1 queued" in text.splitlines()[0]
        queued = app.with_own_outbox(lambda outbox: outbox.get(1))
        assert queued.state is OutboxState.QUEUED
        holder["backend"].away = False  # the server is back
        app.refresh_account()
        await settle(pilot)
        sent = app.with_own_outbox(lambda outbox: outbox.get(1))
        assert sent.state is OutboxState.SENT and app.outbox_counts == (0, 0)
        order = holder["backend"].order(sent.order_number)
        assert order.idempotency_key == queued.key  # the checkout's own key
        assert holder["backend"].cart().is_empty  # not to be ordered twice


@pytest.mark.anyio
async def test_an_order_whose_answer_was_lost_is_not_placed_again_from_the_outbox(tmp_path):
    from tests.screens.test_checkout import open_checkout

    app, holder = on_a_server(tmp_path, committed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkout(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Order Q-000001 is queued" in screen_text(app)
        holder["backend"].away = False
        app.refresh_account()
        await settle(pilot)
        sent = app.with_own_outbox(lambda outbox: outbox.get(1))
        assert sent.state is OutboxState.SENT
        assert holder["backend"].count_orders(OrderFilter()) == 1


@pytest.mark.anyio
async def test_the_outbox_opens_only_for_someone_signed_in(tmp_path):
    app = make_app(tmp_path, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.check_action("outbox", ()) is False
