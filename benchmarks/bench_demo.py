"""How long the demo generator takes at scale: 1M orders (~3M lines) and 100k products.

The baseline, measured in the same run on the same disk: inserting as many bare integer
rows as the demo wrote (every table together) into an empty SQLite table with
``executemany`` in one transaction — the least any generator of that many rows pays.

    .venv/bin/python benchmarks/bench_demo.py [--orders N] [--products N] [--members N]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

TABLES = ("members", "categories", "periods", "products", "promotions", "orders",
          "order_lines", "invoices", "order_status_history", "shipments", "shipment_events",
          "balance_ledger", "points_ledger", "claims", "claim_lines", "notifications")


def time_demo(folder: Path, *, orders: int, products: int, members: int) -> tuple[float, dict]:
    from mlm_tui.core.demo import build_demo

    path = folder / "demo" / "store.db"
    phases: dict[str, float] = {}
    started = time.perf_counter()

    def progress(phase: str, done: int, total: int) -> None:
        phases[phase] = time.perf_counter() - started

    build_demo(path, orders=orders, products=products, members=members, progress=progress)
    elapsed = time.perf_counter() - started
    conn = sqlite3.connect(path)
    counts = {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in TABLES}
    conn.close()
    print(f"  file size {path.stat().st_size / 2**20:,.0f} MiB; phases done at "
          + ", ".join(f"{phase} {at:.1f} s" for phase, at in phases.items()))
    return elapsed, counts


def time_bare_rows(folder: Path, rows: int) -> float:
    path = folder / "bare" / "store.db"
    path.parent.mkdir(parents=True)
    started = time.perf_counter()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = MEMORY")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("CREATE TABLE bare(value INTEGER)")
    conn.execute("BEGIN")
    batch = 50_000
    for first in range(0, rows, batch):
        conn.executemany("INSERT INTO bare(value) VALUES (?)",
                         ((n,) for n in range(first, min(first + batch, rows))))
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"build_demo(orders={args.orders:,}, products={args.products:,}, "
              f"members={args.members:,})")
        demo, counts = time_demo(folder, orders=args.orders, products=args.products,
                                 members=args.members)
        rows = sum(counts.values())
        print("  rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items() if n))
        bare = time_bare_rows(folder, rows)
    print(f"\n  build_demo                          {demo:7.1f} s  "
          f"({rows / demo:,.0f} rows/s, {rows:,} rows)")
    print(f"  baseline: {rows:,} bare integer rows {bare:7.1f} s  ({rows / bare:,.0f} rows/s)")
    print(f"  ratio {demo / bare:.1f}x the bare insert; target <= 120 s")


if __name__ == "__main__":
    main()
