"""The outbox: an order queued offline reaches the server exactly once, or waits for its
consultant's decision beside what the server would charge now."""

from __future__ import annotations

import stat
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from mlm_tui.core.errors import Conflict, Offline
from mlm_tui.core.local import schema as t
from mlm_tui.core.models import Checkout, DeliveryMethod, OrderFilter, PaymentMethod
from mlm_tui.core.offline.outbox import Outbox, OutboxState, offline_file
from mlm_tui.core.offline.sync import sync
from mlm_tui.core.remote.backend import RemoteBackend
from tests import world
from tests.core.test_prepared_orders import set_price
from tests.smtp import free_port

CHECKOUT = Checkout(DeliveryMethod.PICKUP_POINT, PaymentMethod.BALANCE, "replaced",
                    pickup_point="PP-MSK-2")


@pytest.fixture
def anna_remote(remote):
    remote.login(world.ANNA.registration_number, world.PASSWORD)
    return remote


@pytest.fixture
def outbox(tmp_path):
    box = Outbox(offline_file(tmp_path / "client", "http://127.0.0.1:8080"))
    yield box
    box.close()


def seen_cart(backend, *lines: tuple[str, int]):
    """The cart as the consultant saw it before the network went away."""
    for code, quantity in lines:
        backend.add_to_cart(code, quantity)
    cart = backend.cart()
    backend.clear_cart()
    return cart


def server_orders(backend, key: str) -> int:
    with backend.store.read() as conn:
        return conn.execute(select(func.count()).select_from(t.orders)
                            .where(t.orders.c.idempotency_key == key)).scalar_one()


def test_queuing_keeps_the_order_and_its_totals_in_a_file_of_ones_own(anna_remote, outbox):
    cart = seen_cart(anna_remote, ("32548", 2), ("35555", 2))
    queued = outbox.queue(world.ANNA.id, cart, CHECKOUT)
    assert queued.state is OutboxState.QUEUED and queued.number == "Q-000001"
    assert queued.prepared.seen.to_pay == cart.to_pay
    assert [(line.code, line.quantity) for line in queued.prepared.lines] == [
        ("32548", 2), ("35555", 2)]  # the gift comes from the promotion again
    assert queued.prepared.checkout.idempotency_key == queued.key != "replaced"
    assert stat.S_IMODE(outbox.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(outbox.path.parent.stat().st_mode) == 0o700


def test_sync_places_each_queued_order_once_with_its_real_number(anna_remote, outbox):
    first = outbox.queue(world.ANNA.id, seen_cart(anna_remote, ("32548", 1)), CHECKOUT)
    second = outbox.queue(world.ANNA.id, seen_cart(anna_remote, ("33012", 2)), CHECKOUT)
    report = sync(outbox, anna_remote, world.ANNA.id)
    assert [o.id for o in report.sent] == [first.id, second.id]
    number = outbox.get(first.id).order_number
    assert anna_remote.order(number).total == first.prepared.seen.to_pay
    assert sync(outbox, anna_remote, world.ANNA.id).sent == []
    assert anna_remote.count_orders(OrderFilter()) == 2


def test_a_changed_price_makes_it_wait_and_confirming_sends_it(anna_remote, outbox,
                                                               world_file):
    queued = outbox.queue(world.ANNA.id, seen_cart(anna_remote, ("32548", 2)), CHECKOUT)
    set_price(world_file, "32548", "999")
    report = sync(outbox, anna_remote, world.ANNA.id)
    (waiting,) = report.waiting
    assert waiting.state is OutboxState.WAITING and waiting.differences == ("to_pay",)
    assert waiting.server_cart.lines[0].product.consultant_price.amount == Decimal(999)
    assert waiting.last_error.code == "totals_changed"
    assert server_orders(anna_remote, queued.key) == 0
    confirmed = outbox.confirm(waiting)
    assert confirmed.state is OutboxState.QUEUED
    assert confirmed.prepared.seen.to_pay == waiting.server_cart.to_pay
    (sent,) = sync(outbox, anna_remote, world.ANNA.id).sent
    assert anna_remote.order(sent.order_number).total == waiting.server_cart.to_pay
    assert server_orders(anna_remote, queued.key) == 1


def test_a_balance_too_short_waits_and_can_be_dropped(remote, outbox):
    remote.login(world.OLGA_MSK.registration_number, world.PASSWORD)  # 500 on her balance
    queued = outbox.queue(world.OLGA_MSK.id, seen_cart(remote, ("35555", 1)), CHECKOUT)
    (waiting,) = sync(outbox, remote, world.OLGA_MSK.id).waiting
    assert waiting.last_error.code == "insufficient_balance"
    assert waiting.differences == ()  # the price is the same: only the balance is short
    assert outbox.drop(waiting).state is OutboxState.DROPPED
    assert sync(outbox, remote, world.OLGA_MSK.id).sent == []
    assert server_orders(remote, queued.key) == 0


def test_an_order_whose_answer_was_lost_is_not_placed_twice(anna_remote, outbox):
    queued = outbox.queue(world.ANNA.id, seen_cart(anna_remote, ("32548", 1)), CHECKOUT)
    assert outbox.mark_sending(queued)  # the process died with the request on its way...
    placed = anna_remote.place_prepared_order(queued.prepared)  # ...which the server placed
    with pytest.raises(Conflict):
        outbox.drop(outbox.get(queued.id))  # it may be placed: not to be given up
    (sent,) = sync(outbox, anna_remote, world.ANNA.id).sent
    assert sent.order_number == placed.number
    assert server_orders(anna_remote, queued.key) == 1


def test_with_the_server_away_orders_stay_queued_and_go_when_it_is_back(anna_remote, outbox):
    first = outbox.queue(world.ANNA.id, seen_cart(anna_remote, ("32548", 1)), CHECKOUT)
    second = outbox.queue(world.ANNA.id, seen_cart(anna_remote, ("33012", 1)), CHECKOUT)
    away = RemoteBackend(f"http://127.0.0.1:{free_port()}", retries=0)
    report = sync(outbox, away, world.ANNA.id, batch=1)  # one order to a request
    assert report.offline and report.sent == [] and len(report.still_queued) == 2
    assert isinstance(outbox.get(first.id).last_error, Offline)
    assert outbox.get(second.id).state is OutboxState.QUEUED  # not tried: the server is away
    assert [o.id for o in sync(outbox, anna_remote, world.ANNA.id).sent] == [first.id, second.id]
    assert outbox.counts(world.ANNA.id)[OutboxState.SENT] == 2

