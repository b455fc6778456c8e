"""A transaction reads the current period and its promotions once, however often its
steps ask (adding to the cart checks the product and prices the cart, under the write
lock every other writer waits for), and still sees what it wrote itself and, in the next
transaction, what others wrote."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import event, insert

from mlm_tui.core.local import LocalBackend
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.catalog import Catalog, current_period_row
from mlm_tui.core.local.store import Store
from tests import world

pytestmark = pytest.mark.in_process

NEW_PROMOTION = dict(period_id=2, kind="percent_off", title="−5% на гель", product_code="34001",
                     percent=Decimal(5), threshold=None, closed_sale=False)


def _titles(store: Store, conn, clock) -> list[str]:
    period = current_period_row(conn, clock().date())
    return [p.title for p in Catalog(conn, period, "RUB").promotions]


def pricing_reads(backend: LocalBackend) -> list[str]:
    """The tables of the period and its promotions, each time a statement reads one."""
    read: list[str] = []

    @event.listens_for(backend.store.engine, "before_cursor_execute")
    def note(_conn, _cursor, statement, *_args) -> None:
        for table in ("periods", "promotions"):
            if f"FROM {table}" in statement:
                read.append(table)

    return read


def test_adding_to_the_cart_reads_the_period_and_its_promotions_once(settings, clock):
    backend = LocalBackend(settings, clock=clock)
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    read = pricing_reads(backend)

    cart = backend.add_to_cart("33012", 1)
    backend.close()
    assert sorted(read) == ["periods", "promotions"]
    assert cart.lines[0].product.promotion_marks == ("-10%",)  # its promotion still holds


def test_a_promotion_written_in_the_transaction_is_seen_by_it(world_file: Path, clock):
    store = Store(world_file)
    with store.write() as conn:
        before = _titles(store, conn, clock)
        conn.execute(insert(t.promotions), [NEW_PROMOTION])
        after = _titles(store, conn, clock)
    store.close()
    assert after == [*before, NEW_PROMOTION["title"]]


def test_the_next_transaction_sees_what_another_process_wrote(world_file: Path, clock):
    store, other = Store(world_file), Store(world_file)
    with store.read() as conn:
        before = _titles(store, conn, clock)
    with other.write() as conn:
        conn.execute(insert(t.promotions), [NEW_PROMOTION])
    with store.read() as conn:  # the pool's one connection again
        after = _titles(store, conn, clock)
    store.close()
    other.close()
    assert after == [*before, NEW_PROMOTION["title"]]


def test_orders_do_not_make_the_next_calls_read_the_period_and_promotions_again(settings,
                                                                                clock):
    backend = LocalBackend(settings, clock=clock)
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    backend.add_to_cart("33012", 1)  # the period and promotions read once
    read = pricing_reads(backend)

    cart = backend.add_to_cart("34001", 1)  # the stock an order takes moves no price
    found = backend.search_products("тушь")
    backend.close()
    assert read == []
    assert cart.lines[0].product.promotion_marks == ("-10%",)
    assert found[0].promotion_marks == ("-10%",)


def test_a_promotion_added_later_through_the_same_store_is_priced_at_once(settings, clock):
    backend = LocalBackend(settings, clock=clock)
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    before = backend.product("34001")
    with backend.store.write() as conn:
        conn.execute(insert(t.promotions), [NEW_PROMOTION])
    after = backend.product("34001")
    backend.close()
    assert "-5%" not in before.promotion_marks
    assert "-5%" in after.promotion_marks
    assert after.price < before.price
