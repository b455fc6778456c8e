"""Core figures at scale: catalog search at 100k products, one history page and one
member's 3-month volume at 1M orders.

Each figure is printed beside a baseline measured in the same run on the same file:
search beside a plain ``LIKE '%q%'`` scan; the history page and the volume beside
counting every order row (what a screen that loaded the whole table would pay at least).

    .venv/bin/python benchmarks/bench_core.py
"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _stores import big_store
from _terminal import summary

QUERIES = ["к", "кр", "крем", "тушь", "гель для", "32", "325", "lavendel", "öl", "набор кис",
           "ш", "парф", "Крем для лица", "zz", "вода"]
REPEAT = 20


def timed(fn, repeat: int = REPEAT) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    from mlm_tui.core.local import LocalBackend
    from mlm_tui.core.models import OrderFilter
    from mlm_tui.core.settings import load_settings

    path, login = big_store()
    backend = LocalBackend(load_settings(data_dir=path.parent))
    raw = sqlite3.connect(path)
    backend.login(login["registration_number"], login["password"])
    products = raw.execute("SELECT count(*) FROM products").fetchone()[0]
    orders = raw.execute("SELECT count(*) FROM orders").fetchone()[0]
    print(f"store: {products:,} products, {orders:,} orders\n")

    print("catalog search (per query, all queries pooled)")
    fts, like = [], []
    for q in QUERIES:
        backend.search_products(q)  # warm
        fts += timed(lambda q=q: backend.search_products(q))
        like += timed(lambda q=q: raw.execute(
            "SELECT code FROM products WHERE name LIKE ? OR code LIKE ? LIMIT 50",
            (f"%{q}%", f"%{q}%")).fetchall(), repeat=5)
    print(f"  search_products      {summary(fts)}")
    print(f"  baseline LIKE '%q%'  {summary(like)}\n")

    print("history page (100 rows, newest first, whole team)")
    page = timed(lambda: backend.orders_page(OrderFilter(), limit=100))
    first = backend.orders_page(OrderFilter(), limit=100)
    deep = timed(lambda: backend.orders_page(OrderFilter(), after=first.next_after, limit=100))
    month = timed(lambda: backend.orders_page(OrderFilter(month="2026-01"), limit=100))
    scan = timed(lambda: raw.execute("SELECT count(*) FROM orders").fetchone(), repeat=3)
    print(f"  first page           {summary(page)}")
    print(f"  next page            {summary(deep)}")
    print(f"  month filter page    {summary(month)}")
    print(f"  baseline full count  {summary(scan)}\n")

    busiest = raw.execute(
        "SELECT buyer_id FROM orders GROUP BY buyer_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    print(f"3-month volume (member {busiest}, the one with the most orders)")
    volume = timed(lambda: backend.monthly_volume(busiest, months=3))
    scan = timed(lambda: raw.execute(
        "SELECT sum(points) FROM orders WHERE status != 'cancelled'").fetchone(), repeat=3)
    print(f"  monthly_volume       {summary(volume)}")
    print(f"  baseline sum all     {summary(scan)}")


if __name__ == "__main__":
    main()
