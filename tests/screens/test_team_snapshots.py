"""Snapshots of every team back-office screen and state, at 80x24 (SSH) and 120x40.

The app runs on the test world with its order history, signed in as Anna, at a fixed
clock; each state is reached with the keys a person would press.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.widgets import Input

from mlm_tui.screens.activate import ActivateScreen
from mlm_tui.screens.customer import CustomerScreen
from tests import world
from tests.screens.keys import keys, typed
from tests.screens.snapshot_app import make_app, open_screen, settle
from tests.screens.test_team_screens import NEWCOMER, add_notifications

Steps = Callable[[Any], Awaitable[None]]




async def _go(pilot, destination: str) -> None:
    await settle(pilot)
    await open_screen(pilot, destination)


async def _overview(pilot, member: world.Person) -> None:
    await settle(pilot)
    await pilot.app.push_screen(CustomerScreen(member.id))
    await settle(pilot)


async def _fill(pilot, values: dict[str, str]) -> None:
    for name, value in values.items():
        pilot.app.screen.query_one(f"#{name}", Input).value = value
    await settle(pilot)


async def home(pilot) -> None:
    await _go(pilot, "home")


async def customers_empty(pilot) -> None:
    await _go(pilot, "customers")


async def customers_ivanova(pilot) -> None:
    await _go(pilot, "customers")
    await keys(pilot, *"иванова")


async def customers_ivanova_chosen(pilot) -> None:
    await customers_ivanova(pilot)
    await keys(pilot, "down", "down")


async def customers_nobody(pilot) -> None:
    await _go(pilot, "customers")
    await keys(pilot, *"Пётр")


async def customer_masked(pilot) -> None:
    await _overview(pilot, world.OLGA_MSK)


async def customer_revealed(pilot) -> None:
    # Only one's own contacts can be shown in full; a downline's stay masked.
    await _overview(pilot, world.ANNA)
    await keys(pilot, "r")


async def customer_outside_the_team(pilot) -> None:
    await _overview(pilot, world.PETR)


async def customer_month_orders(pilot) -> None:
    await customer_masked(pilot)
    await keys(pilot, "enter")


async def team(pilot) -> None:
    await _go(pilot, "team")


async def team_branch_open(pilot) -> None:
    await team(pilot)
    await keys(pilot, "down", "down", "down", "right")


async def register_empty(pilot) -> None:
    await _go(pilot, "register")


async def register_errors(pilot) -> None:
    await _go(pilot, "register")
    await _fill(pilot, {**NEWCOMER, "email": "maria.example.ru"})
    await keys(pilot, "ctrl+s")


async def register_address_error(pilot) -> None:
    await _go(pilot, "register")
    await _fill(pilot, {**NEWCOMER, "postcode": "4201"})
    await keys(pilot, "ctrl+s")


async def register_duplicate(pilot) -> None:
    await _go(pilot, "register")
    await _fill(pilot, {**NEWCOMER, "email": world.IRINA.email})
    await keys(pilot, "ctrl+s")


async def register_done(pilot) -> None:
    await _go(pilot, "register")
    await _fill(pilot, NEWCOMER)
    await keys(pilot, "ctrl+s")


async def activate(pilot) -> None:
    await settle(pilot)
    await pilot.app.push_screen(ActivateScreen(world.NEWBIE.registration_number))
    await settle(pilot)


async def activate_wrong_code(pilot) -> None:
    await activate(pilot)
    await keys(pilot, typed("12345678"), "enter", typed("Tula-summer-26"), "enter",
                typed("Tula-summer-26"), "enter")


async def wallet(pilot) -> None:
    await _go(pilot, "wallet")


async def wallet_topped_up(pilot) -> None:
    await wallet(pilot)
    await keys(pilot, "t", *"1500", "enter")


async def wallet_bad_amount(pilot) -> None:
    await wallet(pilot)
    await keys(pilot, "t", *"много", "enter")


async def wallet_points(pilot) -> None:
    await wallet(pilot)
    await keys(pilot, "p")


async def promotions(pilot) -> None:
    await _go(pilot, "promotions")


async def inbox_empty(pilot) -> None:
    await _go(pilot, "inbox")


async def inbox(pilot) -> None:
    add_notifications(pilot.app)
    await _go(pilot, "inbox")


async def inbox_message_read(pilot) -> None:
    await inbox(pilot)
    await keys(pilot, "down", "enter")


async def training(pilot) -> None:
    await _go(pilot, "training")


async def training_lesson_done(pilot) -> None:
    await training(pilot)
    await keys(pilot, "d")


STATES: dict[str, Steps] = {
    "home": home,
    "customers_empty": customers_empty,
    "customers_ivanova": customers_ivanova,
    "customers_ivanova_chosen": customers_ivanova_chosen,
    "customers_nobody": customers_nobody,
    "customer_masked": customer_masked,
    "customer_revealed": customer_revealed,
    "customer_outside": customer_outside_the_team,
    "customer_month_orders": customer_month_orders,
    "team": team,
    "team_branch_open": team_branch_open,
    "register_empty": register_empty,
    "register_errors": register_errors,
    "register_address_error": register_address_error,
    "register_duplicate": register_duplicate,
    "register_done": register_done,
    "activate": activate,
    "activate_wrong_code": activate_wrong_code,
    "wallet": wallet,
    "wallet_topped_up": wallet_topped_up,
    "wallet_bad_amount": wallet_bad_amount,
    "wallet_points": wallet_points,
    "promotions": promotions,
    "inbox_empty": inbox_empty,
    "inbox": inbox,
    "inbox_message_read": inbox_message_read,
    "training": training,
    "training_lesson_done": training_lesson_done,
}


@pytest.mark.parametrize("state", list(STATES))
def test_team_snapshot(snap_sizes, tmp_path, state: str) -> None:
    app = make_app(tmp_path, with_orders=True)
    assert snap_sizes(app, STATES[state]) == []
