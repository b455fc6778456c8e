"""Catalog: from a keystroke in the search field until that query's results are drawn,
at 100k products (the 1M-order demo store, built once under benchmarks/out/), with the
store in-process (LocalBackend) and through ``RemoteBackend`` to ``mlm-tui serve`` on the
same store over loopback.

Queries are typed one character at a time, as a person types; each keystroke is timed
until the table holds exactly the results of the text typed so far and its first drawn
row shows the first of them. Keys are delivered as the terminal driver delivers them,
without waiting for the app to go idle.

Baseline, in the same run: the same keystrokes into a bare Textual ``Input``, timed until
the input shows the text typed so far — what any Textual screen pays for a keystroke.

    .venv/bin/python benchmarks/bench_catalog.py [--orders 1000000]
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _stores import big_store
from _terminal import summary

SIZE = (80, 24)
QUERIES = ["крем", "тушь", "шампунь", "ромашка", "32548", "lavendel", "öl", "набор"]
DEADLINE = 30.0


async def until(condition: Callable[[], bool]) -> float:
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > DEADLINE:
            raise TimeoutError("never drawn")
        await asyncio.sleep(0.0005)
    return time.perf_counter() - started


def press(app, character: str) -> None:
    from textual import events

    event = events.Key(character, character)
    event.set_sender(app)
    app._driver.send_message(event)


async def bench_catalog(backend, settings) -> list[float]:
    from textual.widgets import Input

    from mlm_tui.app import MlmApp
    from mlm_tui.screens.catalog import RESULT_LIMIT, CatalogScreen
    from mlm_tui.widgets.flex_table import FlexTable

    # What each prefix must show, read before the clock runs.
    expected = {query[:n]: [p.code for p in backend.search_products(query[:n],
                                                                    limit=RESULT_LIMIT)]
                for query in QUERIES for n in range(1, len(query) + 1)}
    samples = []
    # The real app, signed in: it opens on the catalog, header and all.
    app = MlmApp(lambda: backend, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        # Shown, and composed: on a busy machine the one comes well before the other.
        while not (isinstance(app.screen, CatalogScreen) and app.screen.query("#products")):
            await pilot.pause(0.05)
        screen = app.screen
        table = screen.query_one("#products", FlexTable)
        search = screen.query_one("#search", Input)
        await pilot.pause(0.5)
        for query in QUERIES:
            if search.value:
                before = screen.products
                search.value = ""
                await until(lambda before=before: screen.products is not before)
            await pilot.pause(0.2)
            for n in range(1, len(query) + 1):
                codes = expected[query[:n]]
                before = screen.products  # replaced when this query's results arrive

                def shown(codes=codes, before=before) -> bool:
                    if screen.products is before or list(screen.products) != codes:
                        return False
                    return not codes or codes[0] in table.render_line(1).text

                started = time.perf_counter()
                press(app, query[n - 1])
                await until(shown)
                samples.append(time.perf_counter() - started)
                await asyncio.sleep(0.12)  # a fast typist's pace
    return samples


async def bench_bare_input() -> list[float]:
    from textual.app import App, ComposeResult
    from textual.widgets import Input

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Input()

    samples = []
    app = Bare()
    async with app.run_test(size=SIZE) as pilot:
        field = app.query_one(Input)
        field.focus()
        await pilot.pause(0.3)
        for query in QUERIES:
            field.value = ""
            await pilot.pause(0.1)
            for n in range(1, len(query) + 1):
                typed = query[:n]
                started = time.perf_counter()
                press(app, query[n - 1])
                await until(lambda typed=typed: typed in field.render_line(0).text)
                samples.append(time.perf_counter() - started)
                await asyncio.sleep(0.12)
    return samples


def main() -> None:
    import argparse
    import tempfile

    from _served import serving

    from mlm_tui.core.local import LocalBackend
    from mlm_tui.core.remote import RemoteBackend
    from mlm_tui.core.settings import load_settings

    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=1_000_000)
    args = parser.parse_args()
    path, login = big_store(orders=args.orders)
    settings = load_settings(data_dir=path.parent)
    backend = LocalBackend(settings)
    backend.login(login["registration_number"], login["password"])
    print(f"store: {path}; terminal {SIZE[0]}x{SIZE[1]}; queries typed: {', '.join(QUERIES)}")
    local = asyncio.run(bench_catalog(backend, settings))
    backend.close()
    with serving(path.parent) as (url, _pid), tempfile.TemporaryDirectory() as client_dir:
        remote = RemoteBackend(url)
        remote.login(login["registration_number"], login["password"])
        over_http = asyncio.run(bench_catalog(remote, load_settings(data_dir=Path(client_dir))))
        remote.close()
    bare = asyncio.run(bench_bare_input())
    print("keystroke to drawn")
    print(f"  catalog, LocalBackend         {summary(local)}")
    print(f"  catalog, RemoteBackend        {summary(over_http)}")
    print(f"  baseline: bare Input echo     {summary(bare)}")
    print("  target: catalog median <= 50 ms (through RemoteBackend too)")


if __name__ == "__main__":
    main()
