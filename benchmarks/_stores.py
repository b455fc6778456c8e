"""Large demo stores for benchmarks, built once and kept under benchmarks/out/ (git-ignored)."""

from __future__ import annotations

import json
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"


def big_store(
    *, products: int = 100_000, orders: int = 1_000_000, members: int = 200
) -> tuple[Path, dict]:
    """The path of a demo store of this size and its demo login, building it on first use."""
    from mlm_tui.core.demo import build_demo

    folder = OUT / f"store-p{products}-o{orders}-m{members}"
    path = folder / "store.db"
    if not (folder / "built").exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        started = time.perf_counter()
        print(f"building {path} ...", flush=True)
        login = build_demo(path, products=products, orders=orders, members=members, force=True)
        print(f"built in {time.perf_counter() - started:.1f} s", flush=True)
        (folder / "built").write_text(json.dumps(
            {"registration_number": login.registration_number, "password": login.password}))
    return path, json.loads((folder / "built").read_text())
