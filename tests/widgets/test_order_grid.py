"""The history grid draws the right orders wherever the user goes, and opens the one chosen."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from mlm_tui.core.models import OrderFilter, OrderSource
from mlm_tui.core.order_checks import check_summary
from mlm_tui.widgets.order_grid import OrderGrid

pytestmark = pytest.mark.anyio


class GridApp(App[None]):
    def __init__(self, backend, filters: OrderFilter | None = None) -> None:
        super().__init__()
        self.backend = backend
        self.filters = filters
        self.selected: list[str] = []
        self.highlighted: list[OrderGrid.Highlighted] = []

    def compose(self) -> ComposeResult:
        yield OrderGrid(self.backend, self.filters)

    def on_order_grid_order_selected(self, message: OrderGrid.OrderSelected) -> None:
        self.selected.append(message.number)

    def on_order_grid_highlighted(self, message: OrderGrid.Highlighted) -> None:
        self.highlighted.append(message)


async def settle(pilot) -> None:
    """Until no worker runs and every message they posted is handled."""
    for _ in range(20):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in pilot.app.workers):
            return


def lines(grid: OrderGrid) -> list[str]:
    return [grid.render_line(y).text for y in range(grid.size.height)]


def numbers_shown(grid: OrderGrid) -> list[str]:
    return [line.split()[2 if line.startswith("!") else 1] for line in lines(grid)[1:]
            if line.strip()]


def all_numbers(backend, filters: OrderFilter) -> list[str]:
    found, after = [], None
    while True:
        page = backend.orders_page(filters, after=after, limit=1000)
        found += [o.number for o in page.items]
        if page.next_after is None:
            return found
        after = page.next_after


async def test_opening_shows_the_newest_orders_under_a_header(demo_backend) -> None:
    app = GridApp(demo_backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        grid = app.query_one(OrderGrid)
        header = lines(grid)[0]
        for title in ("Date", "Order", "Member", "Src", "BB", "Total", "Status"):
            assert title in header
        expected = all_numbers(demo_backend, OrderFilter())[:23]
        assert numbers_shown(grid) == expected
        assert grid.count == demo_backend.count_orders(OrderFilter())
        assert grid.virtual_size.height == grid.count + 1


async def test_page_down_and_end_draw_the_rows_that_belong_there(demo_backend) -> None:
    app = GridApp(demo_backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        grid = app.query_one(OrderGrid)
        grid.focus()
        everything = all_numbers(demo_backend, OrderFilter())
        await pilot.press("pagedown")
        await settle(pilot)
        top = int(grid.scroll_offset.y)
        assert top == grid.size.height - 1, "a screenful of rows"
        assert numbers_shown(grid) == everything[top:top + 23]
        await pilot.press("end")
        await settle(pilot)
        assert numbers_shown(grid)[-1] == everything[-1], "the oldest order, last"
        assert grid.cursor_order is not None and grid.cursor_order.number == everything[-1]
        await pilot.press("up", "up", "up", "pagedown")
        await settle(pilot)
        assert grid.cursor_order is not None and grid.cursor_order.number == everything[-1], (
            "page down at the end lands on the last order")
        await pilot.press("home")
        await settle(pilot)
        assert numbers_shown(grid)[0] == everything[0]
        await pilot.press("pageup")
        assert grid.cursor_row == 0


async def test_enter_opens_the_order_under_the_cursor(demo_backend) -> None:
    app = GridApp(demo_backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.query_one(OrderGrid).focus()
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert app.selected == [all_numbers(demo_backend, OrderFilter())[2]]


def _looks(grid: OrderGrid, y: int) -> list[tuple[str, object]]:
    """Each cell of line ``y``: its character and its style."""
    return [(character, segment.style) for segment in grid.render_line(y)
            for character in segment.text]


@pytest.mark.parametrize("width", [80, 120])
async def test_the_cursor_bar_marks_the_order_date_and_number_and_a_step_redraws_only_it(
        demo_backend, width) -> None:
    app = GridApp(demo_backend)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        app.query_one(OrderGrid).focus()
        await pilot.pause()
        grid = app.query_one(OrderGrid)
        before = [_looks(grid, y) for y in (1, 2)]
        await pilot.press("down")
        await settle(pilot)
        after = [_looks(grid, y) for y in (1, 2)]
        changed = [[x for x, (old, new) in enumerate(zip(b, a, strict=True)) if old != new]
                   for b, a in zip(before, after, strict=True)]
        # Over a thin link only the bar's cells are written again, on either row.
        bar = changed[1]
        assert bar and changed[0] == bar == list(range(len(bar)))
        row = "".join(character for character, _style in after[1])
        assert row[:len(bar)].split() == row.split()[:2], "the date and the number"
        assert grid.cursor_order is not None and grid.cursor_order.number in row[:len(bar)]


async def test_jumping_to_a_month_puts_its_first_order_on_top(demo_backend) -> None:
    app = GridApp(demo_backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        grid = app.query_one(OrderGrid)
        grid.jump_to_month("2025-11")
        await settle(pilot)
        november = all_numbers(demo_backend, OrderFilter(month="2025-11"))
        assert numbers_shown(grid)[0] == november[0]
        assert grid.cursor_order is not None and grid.cursor_order.number == november[0]
        assert ".11.2025" in lines(grid)[1]
        # Near the end the view cannot scroll further: the cursor still lands on the month.
        grid.jump_to_month("2025-03")
        await settle(pilot)
        march = all_numbers(demo_backend, OrderFilter(month="2025-03"))
        assert grid.cursor_order is not None and grid.cursor_order.number == march[0]
        assert march[0] in numbers_shown(grid)


async def test_filters_and_oldest_first_change_the_query(demo_backend) -> None:
    filters = OrderFilter(source=OrderSource.AS, newest_first=False)
    app = GridApp(demo_backend, filters)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        grid = app.query_one(OrderGrid)
        assert numbers_shown(grid) == all_numbers(demo_backend, filters)[:23]
        assert all(" AS " in line for line in lines(grid)[1:] if line.strip())
        grid.show(OrderFilter(month="2026-11"))
        await settle(pilot)
        assert numbers_shown(grid) == all_numbers(demo_backend, OrderFilter(month="2026-11"))[
            :23]


async def test_orders_with_a_doubtful_source_carry_the_flag_mark(demo_backend) -> None:
    everything = []
    after = None
    while after is not None or not everything:
        page = demo_backend.orders_page(OrderFilter(), after=after, limit=1000)
        everything += page.items
        after = page.next_after
    index = next(i for i, order in enumerate(everything) if check_summary(order))
    app = GridApp(demo_backend)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        grid = app.query_one(OrderGrid)
        grid.cursor_row = index
        await settle(pilot)
        row = lines(grid)[index - int(grid.scroll_offset.y) + 1]
        assert row.startswith("!") and everything[index].number in row
        last = app.highlighted[-1]
        assert last.index == index and last.flag == check_summary(everything[index])
        unflagged = [line for line in lines(grid)[1:] if line.strip() and line[0] != "!"]
        assert unflagged, "only the doubtful ones are marked"


async def test_an_empty_result_says_so(demo_backend) -> None:
    app = GridApp(demo_backend, OrderFilter(month="1999-01"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        grid = app.query_one(OrderGrid)
        assert grid.count == 0
        assert "No orders match these filters." in lines(grid)[1]
