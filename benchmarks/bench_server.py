"""The team server under load: concurrent clients doing a realistic mix through
``RemoteBackend`` against ``mlm-tui serve --workers 2``, beside the same operations called
in-process on a LocalBackend over a copy of the same store in the same run.

Each client is its own member (own session, own cart) and loops: a catalog search, a
history page, one order opened (each of the three ``--reads`` times), and a checkout (a
product put in the cart, the order placed). Printed: requests per second and p50/p99 per
operation, and the CPU a round costs the server's workers, the clients (on the same
machine) and the in-process backend. The same mix then runs against ``serve --database``
on a PostgreSQL copy of the same store (``--postgres``, a server URL; ``--postgres ''``
leaves it out).

By default each client sends its next call as soon as the last one is answered, so the
run finds the most the server can serve; its latencies are then those of a queue kept
full (50 calls always waiting). People pause between calls: ``--rate R`` offers R rounds
a second from all the clients together, each client's calls spaced at random (a Poisson
stream), and a call's time counts from when it was due, not from when it was sent, so a
server that falls behind is charged for the wait it causes.

    .venv/bin/python benchmarks/bench_server.py [--clients 50] [--seconds 30]
        [--products 100000] [--orders 200000] [--reads 1] [--rate ROUNDS_A_SECOND]
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _served import cpu_seconds, database_cpu_seconds, run_clients, serving, signed_in
from _stores import big_store

QUERIES = ["крем", "тушь", "гель", "32", "lavendel", "набор", "парф", "вода", "öl", "шамп"]
PASSWORD = "Bench-pass-2026"


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def give_passwords(path: Path, how_many: int) -> list[str]:
    """Registration numbers of active members, each given PASSWORD (a client each)."""
    from sqlalchemy import select, update

    from mlm_tui.core.local import schema as t
    from mlm_tui.core.local.store import Store
    from mlm_tui.core.passwords import hash_secret

    store = Store(path)
    hashed = hash_secret(PASSWORD)
    with store.write() as conn:
        rows = conn.execute(select(t.members.c.id, t.members.c.registration_number)
                            .where(t.members.c.status == "active")
                            .order_by(t.members.c.id).limit(how_many)).all()
        conn.execute(update(t.members).where(t.members.c.id.in_([r.id for r in rows]))
                     .values(password_hash=hashed))
    store.close()
    return [r.registration_number for r in rows]


def orderable_codes(path: Path, login: str) -> list[str]:
    """Codes of the current period with plenty in stock, for the checkouts."""
    from mlm_tui.core.local import LocalBackend
    from mlm_tui.core.settings import load_settings

    backend = LocalBackend(load_settings(data_dir=path.parent))
    backend.login(login, PASSWORD)
    found = [p.code for p in backend.search_products("", limit=500) if p.stock > 100]
    backend.close()
    return found


class Pace:
    """When a paced client's next call is due: spaced at random around ``gap`` seconds
    apart. Called before each call, it waits until then and says when that was."""

    def __init__(self, gap: float, rng: random.Random) -> None:
        self.gap, self.rng = gap, rng
        self.due: float | None = None  # set at the first call: the clock starts then

    def __call__(self) -> float:
        if self.due is None:  # the clients start spread out
            self.due = time.perf_counter() + self.rng.uniform(0, self.gap)
        due = self.due
        wait = due - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        self.due += self.rng.expovariate(1 / self.gap)
        return due


def one_round(backend, rng: random.Random, numbers: list[str], timings, product_codes,
              company, *, reads: int = 1, pace=time.perf_counter) -> None:
    """The mix: ``reads`` times a search, a history page and an order opened; then a
    product put in the cart and the order placed. ``pace`` says when each call starts."""
    from mlm_tui.core.models import Checkout, DeliveryMethod, OrderFilter, PaymentMethod

    def timed(name: str, call):
        started = pace()
        result = call()
        timings[name].append(time.perf_counter() - started)
        return result

    for _read in range(reads):
        timed("catalog search", lambda: backend.search_products(rng.choice(QUERIES),
                                                                limit=50))
        page = timed("history page", lambda: backend.orders_page(OrderFilter(), limit=100))
        numbers.extend(o.number for o in page.items[:5])
        if numbers:
            timed("order view", lambda: backend.order(rng.choice(numbers)))
    timed("add to cart", lambda: backend.add_to_cart(rng.choice(product_codes), 1))
    # Paid at the service centre where it is picked up: no balance needed.
    centre = next(p.code for p in company.pickup_points
                  if p.kind is DeliveryMethod.SERVICE_CENTRE)
    timed("checkout", lambda: backend.place_order(Checkout(
        DeliveryMethod.SERVICE_CENTRE, PaymentMethod.SERVICE_CENTRE, str(uuid.uuid4()),
        pickup_point=centre)))


def mixed_rounds(url: str, logins: list[str], seconds: float, product_codes: list[str],
                 reads: int = 1, rate: float = 0):
    """The realistic mix (``one_round``) by one client per login for ``seconds``, at
    ``rate`` rounds a second from all of them (0: as fast as they are answered): the
    samples of each operation, the errors met, and the time taken."""
    backends = signed_in([url], logins, PASSWORD)
    mine: list[dict[str, list[float]]] = [defaultdict(list) for _ in backends]
    calls_a_round = 3 * reads + 2

    def round_of(backend, seed: int):
        rng, company, numbers = random.Random(seed), backend.company(), []
        pace = (Pace(len(backends) / (rate * calls_a_round), rng) if rate
                else time.perf_counter)
        return lambda: one_round(backend, rng, numbers, mine[seed], product_codes, company,
                                 reads=reads, pace=pace)

    errors, elapsed = run_clients(backends, seconds, round_of)
    timings: dict[str, list[float]] = defaultdict(list)
    for samples_of in mine:
        for name, samples in samples_of.items():
            timings[name] += samples
    return timings, errors, elapsed


def in_process(path: Path, login: str, seconds: float, product_codes: list[str],
               reads: int):
    from mlm_tui.core.local import LocalBackend
    from mlm_tui.core.settings import load_settings

    backend = LocalBackend(load_settings(data_dir=path.parent))
    backend.login(login, PASSWORD)
    company = backend.company()
    timings: dict[str, list[float]] = defaultdict(list)
    rng, numbers = random.Random(1), []
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        one_round(backend, rng, numbers, timings, product_codes, company, reads=reads)
    backend.close()
    return timings


def report(title: str, timings, elapsed: float) -> None:
    print(title)
    reads = sum(len(timings[n]) for n in ("catalog search", "history page", "order view"))
    checkouts = len(timings['checkout'])
    print(f"  reads {reads / elapsed:7.1f}/s   checkouts {checkouts / elapsed:6.1f}/s")
    for name, samples in list(timings.items()):
        if not samples:
            continue
        print(f"  {name:15} n={len(samples):6}  p50 {percentile(samples, 0.5):7.1f} ms  "
              f"p99 {percentile(samples, 0.99):7.1f} ms")
    print()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reads", type=int, default=1,
                        help="searches, history pages and orders opened a round, each")
    parser.add_argument("--rate", type=float, default=0,
                        help="rounds a second offered by all clients (0: no pauses)")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()

    template, _login = big_store(products=args.products, orders=args.orders, members=200)
    work = Path(tempfile.mkdtemp(prefix="bench-server-"))
    served, local, on_postgres = work / "served", work / "local", work / "postgres"
    for folder in (served, local, on_postgres) if args.postgres else (served, local):
        folder.mkdir()
        shutil.copyfile(template, folder / "store.db")
        logins = give_passwords(folder / "store.db", args.clients)
    product_codes = orderable_codes(local / "store.db", logins[0])

    with serving(served, workers=args.workers, extra=("--sign-ins-per-minute", "0")) as (
            url, pid):
        print(f"{args.clients} clients, {args.seconds:.0f} s, {args.workers} workers, "
              f"{args.products:,} products, {args.orders:,} orders; load average "
              f"{os.getloadavg()[0]:.1f}")
        print(f"{args.reads} of each read a round; " + (
            f"{args.rate:g} rounds/s offered, a call timed from when it was due\n"
            if args.rate else "no pauses: each client calls again once answered\n"))
        cpu_before, client_before = cpu_seconds(pid), time.process_time()
        timings, errors, elapsed = mixed_rounds(url, logins, args.seconds, product_codes,
                                                args.reads, args.rate)
        server_cpu = cpu_seconds(pid) - cpu_before
        client_cpu = time.process_time() - client_before
        if errors:
            print(f"  {len(errors)} failed calls, e.g. {errors[0]}\n")
        report("over HTTP (RemoteBackend -> mlm-tui serve)", timings, elapsed)
    if args.postgres:
        from bench_pg_checkouts import fresh_database  # it imports this module

        database = fresh_database(args.postgres, on_postgres / "store.db", "mlm_tui_bench_mix")
        with serving(on_postgres, workers=args.workers,
                     extra=("--sign-ins-per-minute", "0", "--database", database)) as (
                url, pid):
            cpu_before, database_before = cpu_seconds(pid), database_cpu_seconds()
            pg_timings, errors, pg_elapsed = mixed_rounds(url, logins, args.seconds,
                                                          product_codes, args.reads, args.rate)
            pg_cpu = cpu_seconds(pid) - cpu_before
            database_cpu = database_cpu_seconds() - database_before
            if errors:
                print(f"  {len(errors)} failed calls, e.g. {errors[0]}\n")
            report("over HTTP on PostgreSQL (serve --database)", pg_timings, pg_elapsed)
    cpu_before = time.process_time()
    local_timings = in_process(local / "store.db", logins[0], min(args.seconds, 10),
                               product_codes, args.reads)
    local_cpu = time.process_time() - cpu_before
    report("in-process (LocalBackend, one caller)", local_timings, min(args.seconds, 10))
    # What one round costs in CPU: unlike the rates above, not inflated by whatever else
    # the machine is running. The targets (300 reads/s, 50 checkouts/s: 50 rounds/s of
    # --reads 2) leave 40 ms a round on 2 cores, for the server and the clients together.
    print(f"CPU per round ({args.reads} x search, history page, order view; add to cart, "
          "checkout)")
    print(f"  server, all workers   {server_cpu / len(timings['checkout']) * 1000:7.1f} ms")
    if args.postgres:
        rounds = len(pg_timings["checkout"])
        print(f"  server on PostgreSQL  {pg_cpu / rounds * 1000:7.1f} ms, and PostgreSQL "
              f"{database_cpu / rounds * 1000:.1f} ms")
    print(f"  the clients (same machine) {client_cpu / len(timings['checkout']) * 1000:7.1f} ms")
    print(f"  in-process            {local_cpu / len(local_timings['checkout']) * 1000:7.1f} ms")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
