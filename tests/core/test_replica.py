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


class Counted:
    """The remote backend, counting the bytes of the answers and the products read."""

    def __init__(self, backend) -> None:
        self.backend, self.bytes, self.read = backend, 0, []
        backend._client.event_hooks["response"].append(self._count)

    def _count(self, response) -> None:
        response.read()
        self.bytes += len(response.content)

    def products_by_code(self, codes):
        self.read += list(codes)
        return self.backend.products_by_code(codes)

    def __getattr__(self, name):
        return getattr(self.backend, name)


def test_a_refresh_reads_only_the_products_that_changed(remote, replica, world_file):
    from tests.core.test_prepared_orders import set_price

    remote.login(world.ANNA.registration_number, world.PASSWORD)
    counted = Counted(remote)
    replica.refresh_catalog(counted)
    first_copy = counted.bytes
    counted.bytes = 0
    replica.refresh_catalog(counted)  # nothing changed
    assert counted.bytes <= 10_000 and counted.read == []
    set_price(world_file, "33012", "111")
    counted.bytes = 0
    replica.refresh_catalog(counted)
    assert counted.read == ["33012"]
    assert replica.products(["33012"])["33012"].consultant_price.amount == 111
    assert counted.bytes < first_copy


def test_digests_name_the_buckets_and_the_codes_in_each(backend):
    from mlm_tui.core.catalog_digests import bucket_of

    backend.login(world.ANNA.registration_number, world.PASSWORD)
    buckets = backend.product_digests()
    bucket = bucket_of("32548")
    in_bucket = backend.product_digests(bucket)
    assert bucket in buckets and "32548" in in_bucket
    assert all(bucket_of(code) == bucket for code in in_bucket)
