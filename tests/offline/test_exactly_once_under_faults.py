"""Exactly once, under faults: every order queued offline ends on the server exactly once,
or waits for (or was given up by) its consultant's decision; none lost, none duplicated,
and the outbox and the server agree.

A real team server (``tests.remote_server``, uvicorn in its own process) behind a proxy
that breaks the order request before it reaches the server, after it has, or after the
server committed and before its answer (``tests.faulty_proxy``). Each trial starts a
client process that checks out (queues an order) and syncs; at random it is killed with
SIGKILL part-way, the server is killed and started again mid-sync, or a price changes so
the orders sent meanwhile wait, and are then confirmed, dropped or left waiting.

The trials are seeded (``MLM_TUI_FAULT_SEED``) and the counts are printed. The suite runs
100 trials, so that it stays quick; ``.ci/run`` runs 1,000 (``MLM_TUI_FAULT_TRIALS``).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, update

from mlm_tui.core.local import schema as t
from mlm_tui.core.local.store import Store
from mlm_tui.core.models import (
    Checkout,
    DeliveryMethod,
    PaymentMethod,
    PreparedLine,
    PreparedOrder,
)
from mlm_tui.core.offline.outbox import Outbox, OutboxState
from mlm_tui.core.offline.sync import sync
from mlm_tui.core.prepared_orders import seen_totals
from mlm_tui.core.remote.backend import RemoteBackend
from tests import world
from tests.faulty_proxy import FaultyProxy
from tests.offline.harness_client import check_out_and_sync
from tests.remote_server import CLOCK_FILE, store_id

pytestmark = pytest.mark.long_running  # runs for seconds: first in the run

ROOT = Path(__file__).resolve().parents[2]
TRIALS = int(os.environ.get("MLM_TUI_FAULT_TRIALS", "100"))
SEED = int(os.environ.get("MLM_TUI_FAULT_SEED", "20261202"))
CHECKOUT = Checkout(DeliveryMethod.SERVICE_CENTRE, PaymentMethod.SERVICE_CENTRE, "new",
                    pickup_point="SC-MSK-1")  # paid on collection: no balance runs dry
BASKETS = ((("32548", 1),), (("33012", 2),), (("35555", 1), ("32548", 1)),
           (("33012", 1), ("35555", 2)))
CHANGING = "33012"  # the product whose price changes now and then


class Server:
    """The test team server in its own process, to be killed and started again."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.port = 0
        self.restarts = 0

    def start(self) -> int:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.remote_server"], cwd=ROOT, stdout=subprocess.PIPE,
            text=True)
        assert self.process.stdout is not None
        self.port = int(self.process.stdout.readline())
        return self.port

    def kill_and_restart(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.restarts += 1
        return self.start()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def server_store(world_template: Path, tmp_path: Path) -> Path:
    data_dir = tmp_path / "server"
    data_dir.mkdir()
    shutil.copyfile(world_template, data_dir / "store.db")
    (data_dir / CLOCK_FILE).write_text(world.NOW.isoformat())
    store = Store(data_dir / "store.db")
    with store.write() as conn:  # stock for every trial's order
        conn.execute(update(t.products).values(stock=1_000_000))
    store.close()
    return data_dir


def set_price(store: Store, code: str, price: Decimal) -> None:
    with store.write() as conn:
        conn.execute(update(t.products).where(t.products.c.period_id == 2,
                                              t.products.c.code == code)
                     .values(consultant_price=price))


def consultant_price(store: Store, code: str) -> Decimal:
    with store.read() as conn:
        price: Decimal = conn.execute(
            select(t.products.c.consultant_price).where(t.products.c.period_id == 2,
                                                        t.products.c.code == code)
        ).scalar_one()
        return price


def test_every_queued_order_is_placed_once_or_waits(server_store, tmp_path, capsys):
    started = time.monotonic()
    rng = random.Random(SEED)
    server = Server()
    proxy = FaultyProxy(server.start(), target=b"/orders/prepared/batch ")
    url = f"http://127.0.0.1:{proxy.port}/{store_id(server_store)}"
    direct = RemoteBackend(f"http://127.0.0.1:{server.port}/{store_id(server_store)}")
    session = direct.login(world.ANNA.registration_number, world.PASSWORD)
    direct.close()
    here = RemoteBackend(url, retries=2)
    here._session = session
    carts = [here.quote_prepared_order(PreparedOrder(
        tuple(PreparedLine(code, quantity) for code, quantity in basket), CHECKOUT,
        seen_totals(here.cart()))) for basket in BASKETS]
    outbox_path = tmp_path / "client" / "offline" / "server.db"
    outbox = Outbox(outbox_path)
    store = Store(server_store / "store.db")
    usual_price = consultant_price(store, CHANGING)
    clients = multiprocessing.get_context("forkserver")
    clients.set_forkserver_preload(["tests.offline.harness_client"])
    # Without a lock: a client killed while it held the lock would leave the harness
    # waiting for it for ever. Only one client runs at a time, so none is needed.
    started_steps = clients.RawValue("i", 0)
    happened: Counter[str] = Counter()
    proxy.plan(SEED, rate=0.45)
    must_happen = ["kill_server", "kill_client", "price"]
    try:
        while started_steps.value < TRIALS:
            # One client process runs a few trials (checkout, then sync) in a row.
            steps = [rng.choice(carts) if rng.random() < 0.85 else None
                     for _step in range(rng.randint(2, 12))]
            roll = rng.random()
            fault = ("kill_client" if roll < 0.3 else "kill_server" if roll < 0.33
                     else "price" if roll < 0.39 else None)
            if must_happen:  # every kind of fault at least once, however few the trials
                fault = must_happen.pop()
                if fault == "price":  # orders of the product whose price changes, sent
                    steps = [carts[1], carts[3]]
                    proxy.plan(SEED, rate=0)  # and not lost to a dropped connection
            happened[fault or "no fault"] += 1
            if fault == "price":
                set_price(store, CHANGING, usual_price + rng.randint(1, 50))
            client = clients.Process(target=check_out_and_sync, args=(
                str(outbox_path), url, session, steps, CHECKOUT, rng.choice((0, 0, 0, 1)),
                started_steps))
            client.start()
            if fault == "kill_client":
                client.join(rng.uniform(0, 0.05 * len(steps)))
                if client.is_alive():
                    try:
                        os.kill(client.pid, signal.SIGKILL)
                        happened["client killed part-way"] += 1
                    except ProcessLookupError:
                        # The forkserver, its parent, reaped it first: it had just ended
                        # by itself, which is a trial without the fault.
                        pass
            elif fault == "kill_server":
                time.sleep(rng.uniform(0, 0.05 * len(steps)))
                proxy.upstream = server.kill_and_restart()
            client.join(120)
            assert client.exitcode is not None, "a client hung"
            if fault == "price":
                decide(outbox, here, rng, happened)
                set_price(store, CHANGING, usual_price)
                proxy.plan(SEED + started_steps.value, rate=0.45)
        proxy.plan(SEED, rate=0)
        # Back online for good: whatever is still to send goes now.
        for _round in range(3):
            sync(outbox, here, world.ANNA.id)
        counts = agreement(outbox, store)
    finally:
        proxy.close()
        server.stop()
        store.close()
    with capsys.disabled():
        print(f"\nexactly once under faults (seed {SEED}): {started_steps.value} trials in "
              f"{time.monotonic() - started:.0f} s; trials by fault: {dict(happened)}; "
              f"proxy faults applied: {dict(proxy.applied)}; server restarts: "
              f"{server.restarts}; outbox: {counts}")
    assert counts["lost"] == counts["duplicated"] == counts["disagree"] == 0
    assert counts["queued"] == counts["sent"] + counts["waiting"] + counts["dropped"]
    assert counts["sent"] > TRIALS // 2
    assert any(what.startswith("waiting, then") for what in happened)  # a price changed
    assert proxy.applied and server.restarts and happened["client killed part-way"]


def decide(outbox: Outbox, backend: RemoteBackend, rng: random.Random,
           happened: Counter[str]) -> None:
    """The consultant confirms, drops or leaves each order waiting after a price change."""
    for order in outbox.orders(world.ANNA.id, states=(OutboxState.WAITING,)):
        choice = rng.choice(("confirm", "drop", "leave"))
        happened[f"waiting, then {choice}"] += 1
        if choice == "confirm" and order.server_cart is not None:
            outbox.confirm(order)
            sync(outbox, backend, world.ANNA.id)
        elif choice == "drop":
            outbox.drop(order)


def agreement(outbox: Outbox, store: Store) -> dict[str, int]:
    """How the outbox and the server's orders compare, order by order."""
    queued = outbox.orders(world.ANNA.id)
    with store.read() as conn:
        rows = conn.execute(select(t.orders.c.idempotency_key, t.orders.c.number)
                            .where(t.orders.c.placed_by_id == world.ANNA.id)).all()
    on_server = Counter(key for key, _number in rows)
    number_of = {key: number for key, number in rows}
    keys = {order.key for order in queued}
    counts = Counter(order.state.value for order in queued)
    disagree = 0
    for order in queued:
        if order.state is OutboxState.SENT:
            disagree += number_of.get(order.key) != order.order_number
        else:
            disagree += on_server[order.key] != 0
    return {
        "queued": len(queued), "sent": counts["sent"], "waiting": counts["waiting"],
        "dropped": counts["dropped"],
        "lost": sum(1 for order in queued if order.state in (OutboxState.QUEUED,
                                                             OutboxState.SENDING)),
        "duplicated": sum(count - 1 for count in on_server.values() if count > 1)
                      + sum(1 for key in on_server if key not in keys),
        "disagree": disagree,
    }


def test_the_proxy_breaks_only_the_request_it_is_armed_for(server_store):
    server = Server()
    proxy = FaultyProxy(server.start(), target=b"/orders/prepared/batch ")
    backend = RemoteBackend(f"http://127.0.0.1:{proxy.port}/{store_id(server_store)}",
                            retries=0)
    try:
        backend.login(world.ANNA.registration_number, world.PASSWORD)
        proxy.arm("after_commit")
        assert backend.me().id == world.ANNA.id  # not the target: passes
        prepared = PreparedOrder((PreparedLine("32548", 1),), replace(CHECKOUT,
                                 idempotency_key="proxy-check"), seen_totals(backend.cart()))
        prepared = replace(prepared, seen=seen_totals(backend.quote_prepared_order(prepared)))
        assert backend.place_prepared_order(prepared).idempotency_key == "proxy-check"
        assert not proxy.applied  # one order alone: not the target either
        proxy.arm("after_commit")
        with pytest.raises(Exception, match="cannot be reached"):
            backend.place_prepared_orders([prepared])
        assert proxy.applied == Counter({"after_commit": 1})
        [again] = backend.place_prepared_orders([prepared])  # the same order comes
        assert again.order is not None and again.order.idempotency_key == "proxy-check"
    finally:
        backend.close()
        proxy.close()
        server.stop()
