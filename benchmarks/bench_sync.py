"""Syncing the outbox against checking out online, in the same run, on one loopback server.

1,000 orders are checked out online one by one (a product put in the server's cart, the
order placed), then 1,000 orders are queued in the outbox (as offline) and sent by one
sync. Printed: the time of each, per order, and the queuing time apart.
Target: the 1,000 synced in at most 5 s, and no slower per order than online.

    .venv/bin/python benchmarks/bench_sync.py [--orders 1000] [--workers 1]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _served import cpu_seconds, serving
from _stores import big_store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    from sqlalchemy import update

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
    from mlm_tui.core.remote import RemoteBackend

    source, login = big_store(products=3200, orders=15_000)
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "server"
        data_dir.mkdir()
        shutil.copyfile(source, data_dir / "store.db")
        store = Store(data_dir / "store.db")
        with store.write() as conn:  # stock for every order of the run
            conn.execute(update(t.products).values(stock=1_000_000))
        store.close()
        with serving(data_dir, workers=args.workers) as (url, pid):
            backend = RemoteBackend(url)
            me = backend.login(login["registration_number"], login["password"])
            company = backend.company()
            centre = next(p.code for p in company.pickup_points
                          if p.kind is DeliveryMethod.SERVICE_CENTRE)
            codes = [p.code for p in backend.search_products("", limit=200)]
            rng = random.Random(7)

            def checkout(key: str) -> Checkout:
                # Paid at the service centre where it is picked up: no balance needed.
                return Checkout(DeliveryMethod.SERVICE_CENTRE, PaymentMethod.SERVICE_CENTRE,
                                key, pickup_point=centre)

            cpu_before = cpu_seconds(pid)
            started = time.perf_counter()
            for _ in range(args.orders):
                backend.add_to_cart(rng.choice(codes), 1)
                backend.place_order(checkout(str(uuid.uuid4())))
            online = time.perf_counter() - started
            online_cpu = cpu_seconds(pid) - cpu_before

            # The carts as seen before going offline: one quote per basket.
            carts = []
            for code in codes[:20]:
                draft = PreparedOrder((PreparedLine(code, 1),), checkout("seen"),
                                      seen_totals(backend.cart()))
                carts.append(backend.quote_prepared_order(draft))
            outbox = Outbox(Path(folder) / "client" / "offline.db")
            started = time.perf_counter()
            for _ in range(args.orders):
                outbox.queue(me.member_id, rng.choice(carts), checkout("new"))
            queuing = time.perf_counter() - started
            cpu_before = cpu_seconds(pid)
            client_before = time.process_time()
            started = time.perf_counter()
            report = sync(outbox, backend, me.member_id)
            synced = time.perf_counter() - started
            sync_cpu = cpu_seconds(pid) - cpu_before
            client_cpu = time.process_time() - client_before
            counts = outbox.counts(me.member_id)
            outbox.close()
            backend.close()
    n = args.orders
    print(f"online checkout (add to cart + place order), one by one: {n} orders in "
          f"{online:.2f} s = {online / n * 1000:.2f} ms/order (server CPU "
          f"{online_cpu / n * 1000:.2f} ms/order)")
    print(f"queued offline: {n} orders in {queuing:.2f} s = {queuing / n * 1000:.2f} ms/order")
    print(f"sync of the outbox: {len(report.sent)} sent in {synced:.2f} s = "
          f"{synced / n * 1000:.2f} ms/order (server CPU {sync_cpu / n * 1000:.2f} ms/order, "
          f"client CPU {client_cpu / n * 1000:.2f} ms/order); "
          f"sent {counts[OutboxState.SENT]}, waiting {counts[OutboxState.WAITING]}")
    print(f"target: sync <= 5 s: {'met' if synced <= 5 else 'MISSED'}; "
          f"no slower per order than online: {'met' if synced <= online else 'MISSED'}")


if __name__ == "__main__":
    main()
