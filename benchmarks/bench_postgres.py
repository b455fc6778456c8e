"""The core figures on PostgreSQL beside SQLite, in one run on the same data: catalog search
at 100k products, one history page and one member's 3-month volume at 1M orders.

The demo store (``_stores.big_store``) is copied into a PostgreSQL database of its own
(``mlm-tui db copy``'s code: the time and the verification are printed) unless that
database already holds it. Targets on PostgreSQL: search p95 <= 10 ms, history page and
volume <= 20 ms.

    .venv/bin/python benchmarks/bench_postgres.py [--products N] [--orders N]
        [--statements] [--each-query]
        [--server postgresql://postgres@127.0.0.1:5432/postgres] [--database NAME]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _stores import big_store
from _terminal import summary
from bench_core import QUERIES, timed  # the same searches, timed the same way


def database_for(server: str, name: str, source) -> str:
    """The database ``name`` on ``server`` holding a copy of ``source``, copied if needed."""
    import psycopg
    from sqlalchemy import make_url

    from mlm_tui.core.local.copy import copy_store
    from mlm_tui.core.local.postgres import PostgresStore
    from mlm_tui.core.local.verify import differences, figures

    with psycopg.connect(server, autocommit=True) as admin:
        known = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if known.fetchone() is None:
            admin.execute(f"CREATE DATABASE {name}")
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    target = PostgresStore(url)
    wanted = figures(source)
    if differences(wanted, figures(target)):
        print(f"copying into {name} ...", flush=True)
        started = time.perf_counter()
        copy_store(source, target)
        copied = time.perf_counter() - started
        started = time.perf_counter()
        wrong = differences(wanted, figures(target))
        print(f"copied in {copied:.1f} s; verified in {time.perf_counter() - started:.1f} s: "
              f"{'; '.join(wrong) or 'every table agrees'}", flush=True)
    target.close()
    return url


def statements_of(backend, label: str) -> None:
    """How many statements each call sends to the database: on PostgreSQL each is a round
    trip, which costs more than most of the queries themselves."""
    from sqlalchemy import event

    from mlm_tui.core.models import OrderFilter

    sent: list[str] = []

    def note(conn, cursor, statement, *args) -> None:
        sent.append(statement.split(None, 1)[0].upper())

    engine = backend.store.engine
    event.listen(engine, "before_cursor_execute", note)

    def ended(kind: str):
        def noted(conn, *args) -> None:
            # Outside a transaction (autocommit) psycopg sends no BEGIN, COMMIT or ROLLBACK.
            if conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
                sent.append(kind.upper())
        return noted

    ends = {kind: ended(kind) for kind in ("begin", "commit", "rollback")}
    for kind, noted in ends.items():
        event.listen(engine, kind, noted)
    me = backend.session().member_id
    calls = {
        "search_products": lambda: backend.search_products("крем"),
        "history first page": lambda: backend.orders_page(OrderFilter(), limit=100),
        "3-month volume": lambda: backend.monthly_volume(me, months=3),
    }
    print(f"[{label}] statements per call")
    for name, call in calls.items():
        call()  # warm: what is read once per connection is not counted
        sent.clear()
        call()
        kinds = ", ".join(f"{kind} {sent.count(kind)}" for kind in dict.fromkeys(sent))
        print(f"  {name:<20} {len(sent):>3}  ({kinds})")
    event.remove(engine, "before_cursor_execute", note)
    for kind, noted in ends.items():
        event.remove(engine, kind, noted)


def figures_of(backend, label: str, *, each_query: bool = False) -> None:
    from mlm_tui.core.models import OrderFilter

    print(f"[{label}]")
    searches = []
    for q in QUERIES:
        backend.search_products(q)  # warm
        timings = timed(lambda q=q: backend.search_products(q))
        if each_query:
            print(f"    {q!r:18} {summary(timings)}")
        searches += timings
    print(f"  search_products      {summary(searches)}")
    everyone = OrderFilter()
    first = backend.orders_page(everyone, limit=100)
    page = timed(lambda: backend.orders_page(everyone, limit=100))
    print(f"  history first page   {summary(page)}")
    page = timed(lambda: backend.orders_page(everyone, after=first.next_after, limit=100))
    print(f"  history next page    {summary(page)}")
    me = backend.session().member_id
    print(f"  3-month volume       {summary(timed(lambda: backend.monthly_volume(me, months=3)))}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--statements", action="store_true",
                        help="also count the statements each call sends")
    parser.add_argument("--each-query", action="store_true",
                        help="also print the search figures of each query")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", help="the database on --server to copy the store into "
                        "(default: mlm_tui_bench_p<products>_o<orders>)")
    args = parser.parse_args()

    from mlm_tui.core.local import LocalBackend
    from mlm_tui.core.local.postgres import PostgresStore
    from mlm_tui.core.local.store import Store
    from mlm_tui.core.settings import load_settings

    path, login = big_store(products=args.products, orders=args.orders)
    settings = load_settings(data_dir=path.parent)
    source = Store(path)
    name = args.database or f"mlm_tui_bench_p{args.products}_o{args.orders}"
    url = database_for(args.server, name, source)
    print(f"store: {args.products:,} products, {args.orders:,} orders\n")
    for label, store in (("sqlite", source), ("postgresql", PostgresStore(url))):
        backend = LocalBackend(settings, store=store)
        backend.login(login["registration_number"], login["password"])
        if args.statements:
            statements_of(backend, label)
        figures_of(backend, label, each_query=args.each_query)
        backend.close()


if __name__ == "__main__":
    main()
