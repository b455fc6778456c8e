"""Snapshots of the daily path, every screen and state, at 80x24 (SSH) and 120x40.

One class per feature. Each state is reached with the keys a person would press, on
the test world at a fixed clock (see ``snapshot_app``), and pictured at both sizes
(``sized_snapshots``). Update with
``pytest tests/screens/test_snapshots.py --snapshot-update`` and look at every changed
SVG before keeping it.
"""

from __future__ import annotations

from textual import events

from mlm_tui.core.demo import DEMO_LOGIN
from tests import world
from tests.screens.keys import keys, typed
from tests.screens.snapshot_app import codes_sent_to, make_app, open_screen, settle
from tests.screens.test_cart import filled


class TestShell:
    def test_help_on_the_catalog(self, snap_sizes, tmp_path):
        assert snap_sizes(make_app(tmp_path), lambda p: keys(p, "f1")) == []

    def test_command_palette(self, snap_sizes, tmp_path):
        async def steps(pilot) -> None:
            await keys(pilot, "ctrl+p")
            await pilot.pause(0.3)  # the palette gathers its commands in a task

        assert snap_sizes(make_app(tmp_path), steps) == []

    def test_first_run_on_an_empty_store(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, empty=True, demo_builder=lambda progress: DEMO_LOGIN)
        assert snap_sizes(app) == []

    def test_first_run_when_building_failed(self, snap_sizes, tmp_path):
        def failing(progress):
            progress("orders", 10, 100)
            raise OSError("No space left on device")

        app = make_app(tmp_path, empty=True, demo_builder=failing)
        assert snap_sizes(app, lambda p: keys(p, "ctrl+b")) == []


class TestLogin:
    def test_empty_form_with_the_demo_login(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, login=False, demo_login=DEMO_LOGIN)
        assert snap_sizes(app) == []

    def test_wrong_password(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, login=False)
        steps = lambda p: keys(p, typed("1000001"), "enter", typed("wrong-password"), "enter")  # noqa: E731
        assert snap_sizes(app, steps) == []

    def test_throttled(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, login=False)
        steps = lambda p: keys(p, typed("1000004"), "enter", typed("wrong-password"),  # noqa: E731
                               *["enter"] * 6)
        assert snap_sizes(app, steps) == []

    def test_closed_account(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, login=False)
        steps = lambda p: keys(p, typed(world.CLOSED.email), "enter", typed(world.PASSWORD),  # noqa: E731
                               "enter")
        assert snap_sizes(app, steps) == []


class TestReset:
    def test_asking_for_a_code(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, login=False)
        assert snap_sizes(app, lambda p: keys(p, "ctrl+r")) == []

    def test_code_sent(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, login=False)
        steps = lambda p: keys(p, "ctrl+r", typed(world.ANNA.email), "enter")  # noqa: E731
        assert snap_sizes(app, steps) == []

    def test_mismatch_at_its_field(self, snap_sizes, tmp_path):
        # The passwords are compared before the code: a made-up code keeps this the same
        # on every run (the real one is random).
        app = make_app(tmp_path, login=False)
        steps = lambda p: keys(p, "ctrl+r", typed(world.ANNA.email), "enter",  # noqa: E731
                               typed("12345678"), "enter", typed("Lavender-field-77"), "enter",
                               typed("Lavender-field-78"), "enter")
        assert snap_sizes(app, steps) == []

    def test_done(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, login=False)

        async def steps(pilot) -> None:
            await keys(pilot, "ctrl+r", typed(world.ANNA.email), "enter")
            [code] = codes_sent_to(app, world.ANNA.email)
            await keys(pilot, typed(code), "enter", typed("Lavender-field-77"), "enter",
                       typed("Lavender-field-77"), "enter")

        assert snap_sizes(app, steps) == []


class TestCatalog:
    def test_everything(self, snap_sizes, tmp_path):
        assert snap_sizes(make_app(tmp_path)) == []

    def test_search_by_part_of_a_name(self, snap_sizes, tmp_path):
        assert snap_sizes(make_app(tmp_path), lambda p: keys(p, *"нежн")) == []

    def test_nothing_found(self, snap_sizes, tmp_path):
        assert snap_sizes(make_app(tmp_path), lambda p: keys(p, *"qqq")) == []

    def test_add_to_cart_dialog(self, snap_sizes, tmp_path):
        steps = lambda p: keys(p, *"33012", "enter", "a")  # noqa: E731
        assert snap_sizes(make_app(tmp_path), steps) == []

    def test_quantity_refused(self, snap_sizes, tmp_path):
        steps = lambda p: keys(p, *"35555", "enter", "a", *"20", "enter")  # noqa: E731
        assert snap_sizes(make_app(tmp_path), steps) == []

    def test_added(self, snap_sizes, tmp_path):
        steps = lambda p: keys(p, *"33012", "enter", "a", "3", "enter")  # noqa: E731
        assert snap_sizes(make_app(tmp_path), steps) == []

    def test_product_page(self, snap_sizes, tmp_path):
        steps = lambda p: keys(p, *"39000", "enter", "enter")  # noqa: E731
        assert snap_sizes(make_app(tmp_path), steps) == []


async def _quick_order(pilot, *pressed: str) -> None:
    await settle(pilot)
    await open_screen(pilot, "quick_order")
    await keys(pilot, *pressed)


class TestQuickOrder:
    def test_empty(self, snap_sizes, tmp_path):
        assert snap_sizes(make_app(tmp_path), lambda p: _quick_order(p)) == []

    def test_codes_looked_up_and_flagged(self, snap_sizes, tmp_path):
        steps = lambda p: _quick_order(p, *"32548", "enter", "2", "enter",  # noqa: E731
                                       *"37000", "enter", "enter", *"99999", "enter", "enter",
                                       *"33012")
        assert snap_sizes(make_app(tmp_path), steps) == []

    def test_pasted_list_with_unreadable_lines(self, snap_sizes, tmp_path):
        async def steps(pilot) -> None:
            await _quick_order(pilot)
            pilot.app.screen.rows[0].code_input.post_message(
                events.Paste("32548 2\n33012 x1, 34001*3\nкрем 2\n36000 0"))
            await settle(pilot)

        assert snap_sizes(make_app(tmp_path), steps) == []

    def test_added_to_the_cart(self, snap_sizes, tmp_path):
        steps = lambda p: _quick_order(p, *"32548", "enter", "2", "enter",  # noqa: E731
                                       *"37000", "enter", "enter", "ctrl+s")
        assert snap_sizes(make_app(tmp_path), steps) == []

    def test_paste_list_dialog(self, snap_sizes, tmp_path):
        steps = lambda p: _quick_order(p, "ctrl+l", *"38100 2", "enter",  # noqa: E731
                                       *"39000")
        assert snap_sizes(make_app(tmp_path), steps) == []

    def test_repeat_an_order_dialog(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, with_orders=True)
        assert snap_sizes(app, lambda p: _quick_order(p, "ctrl+r")) == []

    def test_repeat_an_unknown_order(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, with_orders=True)
        steps = lambda p: _quick_order(p, "ctrl+r", *"RU-0000-1", "enter")  # noqa: E731
        assert snap_sizes(app, steps) == []


async def _cart(pilot, *pressed: str) -> None:
    await settle(pilot)
    await open_screen(pilot, "cart")
    await keys(pilot, *pressed)


class TestCart:
    def test_lines_totals_and_promotions(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, wrap=filled(("32548", 2), ("33012", 3)))
        assert snap_sizes(app, lambda p: _cart(p)) == []

    def test_a_gift_and_a_product_instead_of_delivery(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, wrap=filled(("35555", 2), ("32548", 1)))
        assert snap_sizes(app, lambda p: _cart(p, "d")) == []

    def test_empty(self, snap_sizes, tmp_path):
        assert snap_sizes(make_app(tmp_path), lambda p: _cart(p)) == []

    def test_quantity_dialog(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, wrap=filled(("32548", 2)))
        assert snap_sizes(app, lambda p: _cart(p, "enter")) == []

    def test_refused_plus(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, wrap=filled(("35555", 15)))
        assert snap_sizes(app, lambda p: _cart(p, "+")) == []


class TestCheckout:
    def test_paying_from_the_balance(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, wrap=filled(("32548", 2), ("33012", 3)))
        assert snap_sizes(app, lambda p: _cart(p, "c")) == []

    def test_short_balance(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, wrap=filled(("35555", 7)))
        assert snap_sizes(app, lambda p: _cart(p, "c", "ctrl+s")) == []

    def test_order_placed(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, wrap=filled(("32548", 2), ("33012", 3)))
        assert snap_sizes(app, lambda p: _cart(p, "c", "ctrl+s")) == []

