"""What a replica refresh moves over the wire: the first copy of the catalog, a refresh
with nothing changed, and one with one product changed (the demo store's 3,200 products,
through RemoteBackend to a loopback ``mlm-tui serve``).
Target: nothing changed <= 10 KB; one product changed reads that product alone.

    .venv/bin/python benchmarks/bench_replica.py [--products 3200]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _served import serving
from _stores import big_store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=3200)
    args = parser.parse_args()

    from sqlalchemy import update

    from mlm_tui.core.local import schema as t
    from mlm_tui.core.local.store import Store
    from mlm_tui.core.offline.outbox import Outbox
    from mlm_tui.core.offline.replica import Replica
    from mlm_tui.core.remote import RemoteBackend

    source, login = big_store(products=args.products, orders=15_000)
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "server"
        data_dir.mkdir()
        shutil.copyfile(source, data_dir / "store.db")
        with serving(data_dir) as (url, _pid):
            backend = RemoteBackend(url)
            backend.login(login["registration_number"], login["password"])
            moved = {"bytes": 0}
            read: list[str] = []

            def count(response) -> None:
                response.read()
                moved["bytes"] += len(response.content)

            backend._client.event_hooks["response"].append(count)
            by_code = backend.products_by_code

            def products_by_code(codes):
                read.extend(codes)
                return by_code(codes)

            backend.products_by_code = products_by_code
            replica = Replica(Outbox(Path(folder) / "client" / "offline.db"))

            def refresh(what: str) -> None:
                moved["bytes"], read[:] = 0, []
                started = time.perf_counter()
                replica.refresh_catalog(backend)
                print(f"{what}: {moved['bytes']:,} bytes in "
                      f"{time.perf_counter() - started:.2f} s; products read by code: "
                      f"{len(read)}")

            refresh("first copy")
            refresh("nothing changed")
            code = backend.search_products("", limit=1)[0].code
            store = Store(data_dir / "store.db")
            with store.write() as conn:
                conn.execute(update(t.products).where(t.products.c.code == code)
                             .values(stock=t.products.c.stock + 1))
            store.close()
            refresh(f"one product changed ({code})")
            backend.close()


if __name__ == "__main__":
    main()
