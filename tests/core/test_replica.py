"""The replica: what a member could read online, kept to price a cart with the server
away, by the same pricing as the server's."""

from __future__ import annotations

import stat
from datetime import datetime

import pytest

from mlm_tui.core.errors import NotFound, Offline
from mlm_tui.core.models import Checkout, DeliveryMethod, PaymentMethod, PreparedLine, PreparedOrder
from mlm_tui.core.offline.outbox import Outbox, offline_file
from mlm_tui.core.offline.replica import Replica
from mlm_tui.core.prepared_orders import seen_totals
from tests import world

LINES = (PreparedLine("32548", 2), PreparedLine("35555", 2), PreparedLine("33012", 1))


@pytest.fixture
def replica(tmp_path):
    outbox = Outbox(offline_file(tmp_path / "client", "http://127.0.0.1:8080"),
                    clock=lambda: datetime(2026, 11, 20, 14, 5))
    yield Replica(outbox)
    outbox.close()


def test_offline_the_cart_costs_what_the_server_would_charge(remote, replica):
    remote.login(world.ANNA.registration_number, world.PASSWORD)
    replica.refresh(remote)
    replica.refresh_catalog(remote)
    checkout = Checkout(DeliveryMethod.COURIER, PaymentMethod.BALANCE, "k")
    quote = remote.quote_prepared_order(PreparedOrder(LINES, checkout,
                                                      seen_totals(remote.cart())))
    here = replica.price(LINES)
    assert seen_totals(here) == seen_totals(quote)  # the gift and delivery alike
    assert [(line.product.code, line.to_pay) for line in here.lines] == [
        (line.product.code, line.to_pay) for line in quote.lines]
    assert replica.prices_as_of() == datetime(2026, 11, 20, 14, 5)
    assert replica.member() == (world.ANNA.id, True)
    assert stat.S_IMODE(replica._file.path.stat().st_mode) == 0o600


def test_a_code_never_read_is_not_priced_and_nothing_read_says_so(remote, replica):
    with pytest.raises(Offline):
        replica.price(LINES)  # nothing kept yet
    remote.login(world.ANNA.registration_number, world.PASSWORD)
    replica.refresh(remote, ["32548"])
    with pytest.raises(NotFound) as caught:
        replica.price([PreparedLine("99999", 1)])
    assert caught.value.field == "code" and "99999" in caught.value.message
