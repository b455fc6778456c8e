"""Snapshots of every back-office screen and state, at 80x24 (SSH) and 120x40.

The app runs on the test world with its order history, signed in as Anna, at a fixed
clock; each state is reached with the keys a person would press.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from mlm_tui.screens.claim import ClaimScreen
from mlm_tui.screens.invoice import InvoiceScreen
from mlm_tui.screens.order import OrderScreen
from mlm_tui.screens.tracking import TrackingScreen
from tests import world
from tests.screens.keys import keys, typed
from tests.screens.snapshot_app import make_app, open_screen, settle

Steps = Callable[[Any], Awaitable[None]]


async def _push(pilot, screen) -> None:
    await settle(pilot)
    await pilot.app.push_screen(screen)
    await settle(pilot)




async def history(pilot) -> None:
    await settle(pilot)
    await open_screen(pilot, "orders")


async def history_on_a_flagged_order(pilot) -> None:
    await history(pilot)
    await keys(pilot, "down", "down", "down")  # Klaus's IO order


async def history_of_one_month(pilot) -> None:
    await history(pilot)
    await keys(pilot, "f", "enter", "down", "enter")


async def jump_to_month(pilot) -> None:
    await history(pilot)
    await keys(pilot, "j")


async def pick_a_member(pilot) -> None:
    await history(pilot)
    pilot.app.screen.query_one("#filter-member").focus()
    await keys(pilot, *"Иванова", "enter")


async def order_with_a_doubtful_source(pilot) -> None:
    await _push(pilot, OrderScreen(world.ORDER_KLAUS_ENROLMENT))


async def order_on_its_way(pilot) -> None:
    await _push(pilot, OrderScreen(world.ORDER_OLGA_SHIPPED))


async def invoice(pilot) -> None:
    await _push(pilot, InvoiceScreen(world.INVOICES[world.ORDER_KLAUS_ENROLMENT]))


async def tracking(pilot) -> None:
    await _push(pilot, TrackingScreen(world.ORDER_KLAUS_HERMES))


async def tracking_not_shipped(pilot) -> None:
    await _push(pilot, TrackingScreen(world.ORDER_ANNA_PAID))


async def parcels_on_the_way(pilot) -> None:
    await settle(pilot)
    await open_screen(pilot, "in_transit")


async def cancel_unshipped(pilot) -> None:
    await order_with_fee(pilot)
    await keys(pilot, "c")


async def order_with_fee(pilot) -> None:
    await _push(pilot, OrderScreen(world.ORDER_ANNA_PAID))


async def cancel_shipped(pilot) -> None:
    # Only whoever placed an order may cancel it: Olga, for her parcel on its way.
    await settle(pilot)
    await pilot.app.run_action("logout")
    await settle(pilot)
    await keys(pilot, typed(world.OLGA_MSK.email), "enter", typed(world.PASSWORD), "enter")
    await order_on_its_way(pilot)
    await keys(pilot, "c")


async def no_cancel_for_an_upline(pilot) -> None:
    # Olga placed and bought it: Anna, her upline, has no cancel key, and c does nothing.
    await order_on_its_way(pilot)
    await keys(pilot, "c")


async def cancelled(pilot) -> None:
    await cancel_unshipped(pilot)
    await keys(pilot, "y")


async def claim_being_filled(pilot) -> None:
    await _push(pilot, ClaimScreen(world.INVOICES[world.ORDER_ANNA_DELIVERED]))
    await keys(pilot, "plus", "tab", typed("Тюбик треснул"))


async def claim_submitted(pilot) -> None:
    await claim_being_filled(pilot)
    await keys(pilot, "ctrl+s")


async def claim_without_products(pilot) -> None:
    await _push(pilot, ClaimScreen(world.INVOICES[world.ORDER_ANNA_DELIVERED]))
    await keys(pilot, "tab", typed("Тюбик треснул"), "enter")


async def claim_on_an_undelivered_order(pilot) -> None:
    await _push(pilot, ClaimScreen(world.INVOICES[world.ORDER_ANNA_PAID]))


async def stop_requested(pilot) -> None:
    # Anna's paid order leaves the warehouse; she stops it: it waits for the service.
    from mlm_tui.core.local.shipments import ship_orders
    from mlm_tui.core.shipment_files import read_shipments

    await settle(pilot)
    ship_orders(pilot.app._backend.store, read_shipments(
        "order_number,carrier,tracking_number,shipped_at\n"
        f"{world.ORDER_ANNA_PAID},cdek,1500000011,2026-11-20 08:00\n".encode()),
        now=pilot.app.clock())
    await order_with_fee(pilot)
    await keys(pilot, "c")
    await keys(pilot, "y")


async def stop_credited(pilot) -> None:
    from mlm_tui.core.local.delivery_stops import decide_stop

    await stop_requested(pilot)
    decide_stop(pilot.app._backend.store, world.ORDER_ANNA_PAID, credit=True,
                now=pilot.app.clock(), decided_by="irina")
    pilot.app.check_for_changes()  # as the app's timer does
    await settle(pilot)


STATES: dict[str, Steps] = {
    "history": history,
    "history_flagged": history_on_a_flagged_order,
    "history_month": history_of_one_month,
    "jump_to_month": jump_to_month,
    "pick_member": pick_a_member,
    "order_flagged": order_with_a_doubtful_source,
    "order_shipped": order_on_its_way,
    "invoice": invoice,
    "tracking": tracking,
    "tracking_not_shipped": tracking_not_shipped,
    "in_transit": parcels_on_the_way,
    "cancel_unshipped": cancel_unshipped,
    "cancel_shipped": cancel_shipped,
    "no_cancel_for_upline": no_cancel_for_an_upline,
    "cancelled": cancelled,
    "stop_requested": stop_requested,
    "stop_credited": stop_credited,
    "claim": claim_being_filled,
    "claim_submitted": claim_submitted,
    "claim_without_products": claim_without_products,
    "claim_undelivered": claim_on_an_undelivered_order,
}


@pytest.mark.parametrize("state", list(STATES))
def test_backoffice_snapshot(snap_sizes, tmp_path, state: str) -> None:
    app = make_app(tmp_path, with_orders=True)
    assert snap_sizes(app, STATES[state]) == []
