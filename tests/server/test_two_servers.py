"""Two ``mlm-tui serve`` processes on one PostgreSQL database act as one server: sessions,
Idempotency-Keys, stock and balances live in the database, not in either process. A crowd
of shopper processes (``tests.shopper``) checks out through both at once:
``MLM_TUI_CONCURRENCY_CHECKOUTS`` orders each (CI: 200)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from itertools import accumulate

import pytest
from sqlalchemy import func, select, update

from mlm_tui.core.errors import DomainError, InvalidCredentials, SessionEnded, Throttled
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.postgres import PostgresStore
from mlm_tui.core.login_throttle import MAX_FAILURES
from mlm_tui.core.models import Checkout, DeliveryMethod, OrderFilter, PaymentMethod
from mlm_tui.core.remote.backend import RemoteBackend
from tests import world
from tests.postgres import database_url, drop_database, load_into, make_database
from tests.served import serving

pytestmark = pytest.mark.long_running  # runs for seconds: first in the run

SCARCE = "35555"  # 15 in stock in the world
CROWDED = "39000"  # the crowd's product: no promotion adds a gift to it
SHOPPERS = 8
# Checkouts per shopper: a few for the README's run, 200 in CI (``.ci/run``).
CHECKOUTS = int(os.environ.get("MLM_TUI_CONCURRENCY_CHECKOUTS", "25"))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# One database and its two servers for the module: the tests touch different products.
@pytest.fixture(scope="module")
def database(world_template) -> Iterator[str]:
    url = database_url(make_database("mlm_tui_test_two"))
    store = PostgresStore(url)
    load_into(store, world_template)
    with store.write() as conn:  # these servers order at today's date
        conn.execute(update(t.periods).where(t.periods.c.code == world.CURRENT_PERIOD)
                     .values(ends_on=date(2099, 12, 31)))
    store.close()
    yield url
    drop_database(url.rsplit("/", 1)[1])


@pytest.fixture(scope="module")
def servers(database, tmp_path_factory) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("two-servers")
    with serving(folder / "a", database=database) as (first, _a), \
            serving(folder / "b", database=database) as (second, _b):
        yield first, second


def signed_in(url: str, person: world.Person = world.ANNA) -> RemoteBackend:
    backend = RemoteBackend(url)
    backend.login(person.registration_number, world.PASSWORD)
    return backend


def checkout(key: str) -> Checkout:
    return Checkout(DeliveryMethod.PICKUP_POINT, PaymentMethod.BALANCE, key, "PP-MSK-2")


def test_a_session_and_a_retried_order_are_known_to_the_other_server(servers):
    first, second = servers
    on_first = signed_in(first)
    on_second = RemoteBackend(second)
    try:
        on_second.resume(on_first.session().token)  # opened on the first, good on the other
        on_first.add_to_cart("32548", 1)
        placed = on_first.place_order(checkout("once-only"))
        on_second.add_to_cart("32548", 1)
        again = on_second.place_order(checkout("once-only"))  # the retry reached the other
        assert again.number == placed.number
        assert on_first.count_orders(OrderFilter()) == on_second.count_orders(OrderFilter())
        on_second.logout()
        with pytest.raises(SessionEnded):
            on_first.cart()
    finally:
        on_first.close()
        on_second.close()


def test_checkouts_through_both_servers_sell_the_stock_exactly_and_spend_no_more_than_held(
        servers, database):
    people = [world.ANNA, world.ANNA, world.OLGA_MSK, world.PETR]
    errors: list[BaseException] = []

    def shop(index: int, person: world.Person) -> None:
        backends = [signed_in(url, person) for url in servers]
        try:
            for round_ in range(6):
                backend = backends[(index + round_) % 2]
                try:
                    backend.add_to_cart(SCARCE, 2)
                    backend.place_order(checkout(uuid.uuid4().hex))
                except DomainError:
                    pass  # sold out, not enough on the balance, the cart emptied by a twin
        except BaseException as exc:  # anything else fails the test
            errors.append(exc)
        finally:
            for backend in backends:
                backend.close()

    threads = [threading.Thread(target=shop, args=(i, p)) for i, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

    store = PostgresStore(database)
    try:
        with store.read() as conn:
            stock, sold, numbers = _sold(conn, SCARCE)
            b = t.balance_ledger
            balances = conn.execute(select(b.c.member_id, func.sum(b.c.amount))
                                    .group_by(b.c.member_id)).all()
    finally:
        store.close()
    world_stock = {code: stock for code, *_rest, stock in world.PRODUCTS}[SCARCE]
    assert stock >= 0 and sold > 0
    assert sold == world_stock - stock  # the world has no orders before these
    assert len(numbers) == len(set(numbers))
    assert all(balance >= 0 for _member, balance in balances)


def test_a_lockout_earned_on_one_server_holds_on_the_other(servers):
    first, second = servers
    guesser, owner = RemoteBackend(first), RemoteBackend(second)
    try:
        for _guess in range(MAX_FAILURES - 1):
            with pytest.raises(InvalidCredentials):
                guesser.login(world.OLGA_KZN.registration_number, "not-her-password")
        with pytest.raises(Throttled):  # the last failure allowed locks the login
            guesser.login(world.OLGA_KZN.registration_number, "not-her-password")
        with pytest.raises(Throttled):
            owner.login(world.OLGA_KZN.registration_number, world.PASSWORD)
    finally:
        guesser.close()
        owner.close()


def test_a_crowd_of_processes_on_both_servers_sells_the_stock_exactly_and_overdraws_nothing(
        servers, database):
    """Eight processes, each signed in as Irina on both servers, place ``CHECKOUTS`` orders
    of one unit of one product each, through either server in turn. Half pay from her one
    balance, which holds half a shopper's worth of orders; half pay at the service centre
    and ask for more units than the stock holds on their own."""
    stock = 3 * CHECKOUTS  # the four service-centre shoppers alone ask for 4 x CHECKOUTS
    price = _price(servers[0])
    start = price * (CHECKOUTS // 2) + price / 2  # half an order is left over at the end
    _stock_and_balance(database, stock, start)

    shoppers = [_shopper(servers, index) for index in range(SHOPPERS)]
    try:
        for shopper in shoppers:  # every one signed in and priced: they start together
            assert shopper.stdout.readline().strip() == "ready", shopper.stderr.read()
        began = time.monotonic()
        for shopper in shoppers:
            shopper.stdin.write("go\n")
            shopper.stdin.flush()
        outcomes = [_outcome(shopper) for shopper in shoppers]
        took = time.monotonic() - began
    finally:  # a shopper that failed leaves none of the others waiting forever
        for shopper in shoppers:
            if shopper.poll() is None:
                shopper.kill()
                shopper.wait()
    print(f"\n{SHOPPERS} processes x {CHECKOUTS} checkouts through two servers: {took:.1f} s, "
          f"{SHOPPERS * CHECKOUTS / took:.0f} checkouts/s")

    assert [o["unexpected"] for o in outcomes] == [[]] * SHOPPERS  # no 5xx, nothing else
    by_balance, at_centre = outcomes[::2], outcomes[1::2]
    assert {code for o in by_balance for code in o["refused"]} <= {
        "unavailable", "insufficient_balance"}
    assert {code for o in at_centre for code in o["refused"]} <= {"unavailable"}
    assert sum(o["refused"].get("unavailable", 0) for o in at_centre) >= (
        4 * CHECKOUTS - stock)  # more was asked than there was
    assert sum(o["refused"].get("insufficient_balance", 0) for o in by_balance) > 0

    placed = [number for o in outcomes for number, _total in o["placed"]]
    spent = sum((Decimal(total) for o in by_balance for _number, total in o["placed"]),
                Decimal(0))
    left, sold, numbers, balances = _crowd_result(database)
    assert (left, sold) == (0, stock) and len(placed) == stock  # sold out, one unit each
    assert len(set(placed)) == len(placed) and set(placed) <= set(numbers)
    assert len(numbers) == len(set(numbers))
    assert min(balances) >= 0  # after every entry of her ledger, not only the last
    assert balances[-1] == start - spent and balances[-1] < price  # not enough for one more


def _price(url: str) -> Decimal:
    """What one unit of the crowd's product costs Irina, delivered to a pickup point."""
    from tests.shopper import prepared

    backend = signed_in(url, world.IRINA)
    try:
        quote = backend.quote_prepared_order(prepared(CROWDED, PaymentMethod.BALANCE, None))
        return quote.to_pay.amount
    finally:
        backend.close()


def _stock_and_balance(database: str, stock: int, balance: Decimal) -> None:
    store = PostgresStore(database)
    try:
        with store.write() as conn:
            p, b = t.products, t.balance_ledger
            conn.execute(update(p).where(p.c.code == CROWDED).values(stock=stock))
            held = conn.execute(select(func.coalesce(func.sum(b.c.amount), 0))
                                .where(b.c.member_id == world.IRINA.id)).scalar_one()
            conn.execute(b.insert().values(member_id=world.IRINA.id, at=datetime(2026, 11, 1),
                                           kind="top_up", amount=balance - Decimal(held),
                                           note="for the crowd"))
    finally:
        store.close()


def _shopper(servers: tuple[str, str], index: int) -> subprocess.Popen[str]:
    """A shopper's process, on a session of its own."""
    opened = signed_in(servers[0], world.IRINA)
    opened.close()
    session = opened.session()
    assert session is not None
    task = {"servers": list(servers), "token": session.token, "code": CROWDED,
            "checkouts": CHECKOUTS, "first": index,
            "payment": "balance" if index % 2 == 0 else "service_centre"}
    return subprocess.Popen([sys.executable, "-m", "tests.shopper", json.dumps(task)],
                            cwd=ROOT, text=True, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _outcome(shopper: subprocess.Popen[str]) -> dict:
    said, complained = shopper.communicate(timeout=1800)
    assert shopper.returncode == 0, complained
    return json.loads(said)


def _sold(conn, code: str) -> tuple[int, int, list[str]]:
    """The product's stock left in the open period, the units of it sold, and every order
    number."""
    p, lines, o = t.products, t.order_lines, t.orders
    left = conn.execute(select(p.c.stock).where(p.c.code == code,
                                                p.c.period_id == 2)).scalar_one()
    sold = conn.execute(select(func.coalesce(func.sum(lines.c.quantity), 0))
                        .where(lines.c.product_code == code)).scalar_one()
    return left, sold, list(conn.execute(select(o.c.number)).scalars())


def _crowd_result(database: str) -> tuple[int, int, list[str], list[Decimal]]:
    """The crowd's product's stock and units sold, every order number, and Irina's balance
    after each entry of her ledger, in the order they were written."""
    store = PostgresStore(database)
    try:
        with store.read() as conn:
            left, sold, numbers = _sold(conn, CROWDED)
            b = t.balance_ledger
            entries = conn.execute(select(b.c.amount).where(b.c.member_id == world.IRINA.id)
                                   .order_by(b.c.id)).scalars().all()
    finally:
        store.close()
    return left, sold, list(numbers), list(accumulate(entries, initial=Decimal(0)))[1:]
