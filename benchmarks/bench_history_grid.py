"""The order history grid at a million orders: open, page down, jump; and the app's memory.

What is timed is what a person waits for: from the key (or the screen being opened) until
the grid's drawn lines hold the rows that belong there. The app runs headless
(``App.run_test``) on the 1M-order demo store (built once, kept under benchmarks/out/).

Baseline, in the same run: Textual's ``DataTable`` given only 10k of those rows, timed
from adding them until its first lines are drawn, and its page-down.

RSS is read from /proc/self/status (VmRSS now, VmHWM the peak) after the grid has been
opened and paged through, before the DataTable baseline runs.

    .venv/bin/python benchmarks/bench_history_grid.py [--orders N] [--pages N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _stores import big_store

SIZE = (80, 24)
OPENINGS = 12
DEADLINE = 30.0  # seconds before a wait is reported as never drawn


def rss_mib() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MiB."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


async def until(condition: Callable[[], bool]) -> float:
    """Seconds until ``condition`` holds, checked between event-loop turns."""
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > DEADLINE:
            raise TimeoutError("never drawn")
        await asyncio.sleep(0.0005)
    return time.perf_counter() - started


def press(app, key: str) -> None:
    """Deliver a key as the terminal driver does, without waiting for the app to go idle.

    ``Pilot.press`` waits until the whole process is idle, which includes the grid's
    read-ahead in its worker thread: that is not what a person at the keyboard waits for.
    """
    from textual import events

    event = events.Key(key, None)
    event.set_sender(app)
    app._driver.send_message(event)


def ms(samples: list[float]) -> str:
    values = sorted(s * 1000 for s in samples)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return (f"median {statistics.median(values):7.1f} ms   p95 {p95:7.1f} ms   "
            f"max {values[-1]:7.1f} ms   (n={len(values)})")


def open_backend(path: Path, login: dict):
    from mlm_tui.core.local import LocalBackend
    from mlm_tui.core.settings import load_settings

    backend = LocalBackend(load_settings(data_dir=path.parent))
    backend.login(login["registration_number"], login["password"])
    return backend


async def bench_grid(backend, pages: int) -> dict[str, object]:
    from textual.app import App

    from mlm_tui.core.models import OrderFilter
    from mlm_tui.screens.orders import OrdersScreen
    from mlm_tui.widgets.order_grid import OrderGrid

    # The truth to recognise on screen, read before the clock runs.
    first_rows: list[str] = []
    after = None
    while len(first_rows) < (pages + 3) * SIZE[1]:
        page = backend.orders_page(OrderFilter(), after=after, limit=1000)
        first_rows += [o.number for o in page.items]
        after = page.next_after
    oldest = backend.orders_page(OrderFilter(newest_first=False), limit=1).items[0].number

    class Host(App[None]):
        def __init__(self) -> None:
            super().__init__()
            self.backend = backend
            self.company = backend.company()

    app = Host()
    figures: dict[str, object] = {}
    async with app.run_test(size=SIZE) as pilot:
        # Opened several times: the first pays for cold caches (CSS, SQL compilation).
        opens = []
        for _ in range(OPENINGS):
            started = time.perf_counter()
            await app.push_screen(OrdersScreen())
            grid = app.screen.query_one(OrderGrid)
            await until(lambda grid=grid: first_rows[0] in grid.render_line(1).text)
            opens.append(time.perf_counter() - started)
            counted = await until(lambda grid=grid: grid.count is not None)
            await pilot.pause(0.3)
            await app.pop_screen()
            await pilot.pause()
        figures["open"], figures["count"] = opens, counted
        await app.push_screen(OrdersScreen())
        grid = app.screen.query_one(OrderGrid)

        def top_line_is(number: str) -> Callable[[], bool]:
            return lambda: number in grid.render_line(1).text

        await until(top_line_is(first_rows[0]))
        await until(lambda: grid.count is not None)
        grid.focus()
        await pilot.pause()

        samples = []
        for page in range(1, pages + 1):
            top = page * grid._visible_rows
            started = time.perf_counter()
            press(app, "pagedown")
            await until(top_line_is(first_rows[top]))
            samples.append(time.perf_counter() - started)
            await asyncio.sleep(0.15)  # a person reads before the next key
        figures["page_down"] = samples

        started = time.perf_counter()
        press(app, "end")
        await until(lambda: oldest in grid.render_line(grid.size.height - 1).text)
        figures["end"] = time.perf_counter() - started

        months = backend.order_months(OrderFilter())
        middle = months[len(months) // 2]
        started = time.perf_counter()
        grid.jump_to_month(middle)
        await until(lambda: grid.cursor_order is not None
                    and grid.cursor_order.placed_at.strftime("%Y-%m") == middle
                    and middle[5:7] in grid.render_line(1).text)
        figures["jump"] = time.perf_counter() - started
        figures["rss"] = rss_mib()
    return figures


async def bench_datatable(backend, rows: int) -> dict[str, object]:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from mlm_tui.core.dates import format_day
    from mlm_tui.core.models import OrderFilter
    from mlm_tui.core.money import format_money

    orders = []
    after = None
    while len(orders) < rows:
        page = backend.orders_page(OrderFilter(), after=after, limit=1000)
        orders += page.items
        after = page.next_after
    locale = backend.company().locale
    cells = [(format_day(o.placed_at, locale), o.number, o.buyer_name, o.source.value,
              str(o.points), format_money(o.total, locale), o.status.value)
             for o in orders[:rows]]

    class Table(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable(cursor_type="row")

    app = Table()
    figures: dict[str, object] = {}
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(DataTable)
        started = time.perf_counter()
        table.add_columns("Date", "Order", "Member", "Src", "Points", "Total", "Status")
        table.add_rows(cells)
        await until(lambda: cells[0][1] in table.render_line(1).text)
        figures["open"] = time.perf_counter() - started
        table.focus()
        await pilot.pause()
        samples = []
        visible = SIZE[1] - 1
        for page in range(1, 11):
            started = time.perf_counter()
            press(app, "pagedown")
            number = cells[page * (visible - 1)][1]
            await until(lambda number=number: any(number in table.render_line(y).text
                                                  for y in range(1, SIZE[1])))
            samples.append(time.perf_counter() - started)
            await asyncio.sleep(0.15)
        figures["page_down"] = samples
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--table-rows", type=int, default=10_000)
    args = parser.parse_args()

    path, login = big_store(products=args.products, orders=args.orders)
    before_open = rss_mib()[0]
    backend = open_backend(path, login)
    print(f"store: {path} ({path.stat().st_size / 2**20:,.0f} MiB), "
          f"{args.orders:,} orders; terminal {SIZE[0]}x{SIZE[1]}")
    print(f"RSS before the app: {before_open:.0f} MiB")

    grid = asyncio.run(bench_grid(backend, args.pages))
    print("\nOrder history grid (virtual, keyset pages):")
    opens: list[float] = grid["open"]  # type: ignore[assignment]
    print(f"  open to first rows drawn   first {opens[0] * 1000:7.1f} ms;  then {ms(opens[1:])}")
    print(f"  count known (scrollbar)    {grid['count'] * 1000:7.1f} ms after the rows")
    print(f"  page down, drawn           {ms(grid['page_down'])}")  # type: ignore[arg-type]
    print(f"  End (oldest order drawn)   {grid['end'] * 1000:7.1f} ms")
    print(f"  jump to a middle month     {grid['jump'] * 1000:7.1f} ms")
    rss, peak = grid["rss"]  # type: ignore[misc]
    print(f"  app RSS after all that     {rss:7.0f} MiB   (peak {peak:.0f} MiB)")

    table = asyncio.run(bench_datatable(backend, args.table_rows))
    print(f"\nBaseline: Textual DataTable given {args.table_rows:,} rows:")
    print(f"  rows added to first drawn  {table['open'] * 1000:7.1f} ms")
    print(f"  page down, drawn           {ms(table['page_down'])}")  # type: ignore[arg-type]
    backend.close()


if __name__ == "__main__":
    main()
