"""Checkouts per second through one ``mlm-tui serve`` process on PostgreSQL, then through
two on the same database, in one run (issue 15: two processes give >= 1.5x the
checkouts/s of one). The one-process figure is the baseline of the two-process one.

Each client is its own member and loops: a product put in the cart, the order placed
(paid at the service centre: no balance needed). The database is made afresh from the
demo store for each of the two measurements, so both start from the same data.

    .venv/bin/python benchmarks/bench_pg_checkouts.py [--clients 16] [--seconds 20]
        [--products 20000] [--orders 50000] [--server postgresql://postgres@127.0.0.1:5432/postgres]
        [--waits]

``--waits`` also says what the database's connections were doing during each measurement,
sampled from ``pg_stat_activity`` twenty times a second: how many, on average, waited for a
lock (and which), ran a statement, or sat in a transaction waiting for their server process
to send the next statement ("idle in transaction").
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _served import cpu_seconds, database_cpu_seconds, run_clients, serving, signed_in
from _stores import big_store
from bench_server import PASSWORD, give_passwords, orderable_codes, percentile

from mlm_tui.core.local.postgres import NUMBERING_LOCK, WRITE_LOCK

DATABASE = "mlm_tui_bench_checkouts"
ADVISORY_LOCKS = {WRITE_LOCK: "the write lock (a write that goes alone, or checkouts)",
                  NUMBERING_LOCK: "the numbering lock (the change counters, to the commit)"}


def fresh_database(server: str, source: Path, name: str = DATABASE) -> str:
    """Database ``name`` on ``server``, made anew holding a copy of the store ``source``."""
    import psycopg
    from sqlalchemy import make_url

    from mlm_tui.core.local.copy import copy_store
    from mlm_tui.core.local.postgres import PostgresStore
    from mlm_tui.core.local.store import Store

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    store, target = Store(source), PostgresStore(url)
    copy_store(store, target)
    store.close()
    target.close()
    with psycopg.connect(url, autocommit=True) as fresh:
        # The copy's pages written out now, not by a checkpoint during the measurement,
        # which it slowed by a third or more, more in one run than in the other.
        fresh.execute("CHECKPOINT")
    return url


# Every connection to the database but the watcher's: its state, what it waits for and, when
# that is an advisory lock it has not been granted, the lock's key.
_ACTIVITY = """
SELECT a.state, a.wait_event_type, a.wait_event,
       (SELECT (l.classid::bigint << 32) | l.objid::bigint FROM pg_locks AS l
         WHERE l.pid = a.pid AND l.locktype = 'advisory' AND NOT l.granted LIMIT 1),
       a.query
  FROM pg_stat_activity AS a
 WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
"""


@contextmanager
def waits_sampled(url: str, seen: Counter, every: float = 0.05) -> Iterator[None]:
    """What the connections to the database of ``url`` do, added up in ``seen`` over samples
    taken every ``every`` seconds while the block runs (the samples' count: ``"samples"``)."""
    import psycopg

    done = threading.Event()

    def sample() -> None:
        with psycopg.connect(url, autocommit=True) as watcher:
            while not done.is_set():
                rows = watcher.execute(_ACTIVITY).fetchall()
                seen["samples"] += 1
                for state, kind, event, advisory, query in rows:
                    if state == "active" and kind == "Lock":
                        what = (ADVISORY_LOCKS.get(advisory, f"advisory lock {advisory}")
                                if advisory is not None
                                else f"{event}: {' '.join(query.split())[:40]}")
                        seen[f"waiting for {what}"] += 1
                    elif state == "active":
                        seen["running a statement" + (f" ({kind}: {event})" if kind else "")] += 1
                    elif state == "idle in transaction":
                        seen["idle in transaction: waiting for its server process"] += 1
                done.wait(every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield
    finally:
        done.set()
        sampler.join()


def print_waits(seen: Counter) -> None:
    samples = max(seen.pop("samples", 0), 1)
    print(f"    connections on average ({samples} samples):")
    for what, count in seen.most_common(6):
        print(f"      {count / samples:5.2f}  {what}")


def checkouts(urls: list[str], logins: list[str], seconds: float, codes: list[str],
              during: Callable[[], AbstractContextManager[object]] = nullcontext,
              ) -> tuple[int, list[float], list[str], float]:
    """Checkouts made by the clients in ``seconds`` (client n through ``urls[n % len]``),
    their durations, the errors met, and the time taken; ``during()`` is entered for the
    time they run, once they are signed in."""
    from mlm_tui.core.models import Checkout, DeliveryMethod, PaymentMethod

    backends = signed_in(urls, logins, PASSWORD)
    centre = next(p.code for p in backends[0].company().pickup_points
                  if p.kind is DeliveryMethod.SERVICE_CENTRE)
    durations: list[list[float]] = [[] for _ in backends]  # each client's own

    def round_of(backend, n: int):
        mine = durations[n]

        def one_checkout() -> None:
            backend.add_to_cart(codes[(n * 7 + len(mine)) % len(codes)], 1)
            began = time.perf_counter()
            backend.place_order(Checkout(
                DeliveryMethod.SERVICE_CENTRE, PaymentMethod.SERVICE_CENTRE,
                str(uuid.uuid4()), pickup_point=centre))
            mine.append(time.perf_counter() - began)
        return one_checkout

    with during():
        errors, elapsed = run_clients(backends, seconds, round_of)
    every = [d for mine in durations for d in mine]
    return len(every), every, errors, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--waits", action="store_true",
                        help="sample what the database's connections wait for")
    args = parser.parse_args()

    built, _login = big_store(products=args.products, orders=args.orders)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source" / "store.db"
        source.parent.mkdir()
        shutil.copy(built, source)
        logins = give_passwords(source, args.clients)
        codes = orderable_codes(source, logins[0])
        print(f"store: {args.products:,} products, {args.orders:,} orders; "
              f"{len(logins)} clients, {args.seconds:.0f} s each\n")
        rates = {}
        for processes in (1, 2):
            url = fresh_database(args.server, source)
            folders = [Path(tmp) / f"server-{processes}-{n}" for n in range(processes)]
            with ExitStack() as stack:
                served = [stack.enter_context(serving(folder, workers=1,
                                                      extra=("--database", url)))
                          for folder in folders]
                cpu_before = sum(cpu_seconds(pid) for _url, pid in served)
                database_before = database_cpu_seconds()
                clients_before = time.process_time()
                seen: Counter = Counter()
                sampled = partial(waits_sampled, url, seen) if args.waits else nullcontext
                made, durations, errors, elapsed = checkouts(
                    [u for u, _pid in served], logins, args.seconds, codes, sampled)
                cpu = sum(cpu_seconds(pid) for _url, pid in served) - cpu_before
                database = database_cpu_seconds() - database_before
                clients = time.process_time() - clients_before
            rates[processes] = made / elapsed
            print(f"{processes} server process{'es' if processes > 1 else ''}: "
                  f"{rates[processes]:6.1f} checkouts/s  (p50 {percentile(durations, .5):.0f} "
                  f"ms, p99 {percentile(durations, .99):.0f} ms, {made} in {elapsed:.1f} s, "
                  f"{len(errors)} errors)\n    CPU a checkout: servers "
                  f"{cpu / max(made, 1) * 1000:.1f} ms, database "
                  f"{database / max(made, 1) * 1000:.1f} ms, clients "
                  f"{clients / max(made, 1) * 1000:.1f}"
                  f" ms; machine load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
            if args.waits:
                print_waits(seen)
            for error in sorted(set(errors))[:5]:
                print(f"    {error}")
        print(f"\n2 processes / 1: {rates[2] / rates[1]:.2f}x (target >= 1.5x)")


if __name__ == "__main__":
    main()
