"""``mlm-tui maintenance shipments`` and ``delivery-stops`` from the shell: the warehouse's
file ships orders, the carriers' file delivers or returns them, the service decides the
stops; refused lines are named and the exit code says so."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from mlm_tui.cli import main
from tests import world

PAID = world.ORDER_ANNA_PAID


def run(argv: list[str], world_file) -> int:
    return main([*argv, "--data-dir", str(world_file.parent)])


def anna_sees(settings, clock, number: str = PAID):
    """Anna's order, balance and inbox titles, as her own screens would show them."""
    from mlm_tui.core.local import LocalBackend

    backend = LocalBackend(settings, clock=clock)
    try:
        backend.login(world.ANNA.registration_number, world.PASSWORD)
        return (backend.order(number), backend.balance().amount,
                [n.title for n in backend.notifications()])
    finally:
        backend.close()


@pytest.fixture
def shipped(world_orders, tmp_path, capsys) -> None:
    """Anna's paid order handed to СДЭК."""
    file = tmp_path / "shipped.csv"
    file.write_text("order_number;carrier;tracking_number;shipped_at\n"
                    f"{PAID};cdek;1500000011;2026-11-19 16:00\n", encoding="utf-8")
    assert run(["maintenance", "shipments", "import", str(file)], world_orders) == 0
    assert capsys.readouterr().out.startswith("1 shipped, 0 seen before, 0 refused")


def test_a_shipments_file_ships_and_names_what_it_refused(world_orders, tmp_path, capsys,
                                                          settings, clock):
    file = tmp_path / "shipped.json"
    file.write_text(json.dumps([
        {"order_number": PAID, "carrier": "cdek", "tracking_number": "1500000011",
         "shipped_at": "2026-11-19T16:00:00"},
        {"order_number": world.ORDER_ANNA_DELIVERED, "carrier": "cdek",
         "tracking_number": "1500000012", "shipped_at": "2026-11-19T16:00:00"}]),
        encoding="utf-8")
    assert run(["maintenance", "shipments", "import", str(file)], world_orders) == 1
    out = capsys.readouterr().out
    assert (f"REFUSED  line 2  {world.ORDER_ANNA_DELIVERED}: already shipped with tracking "
            "number 1098765432") in out
    assert "1 shipped, 0 seen before, 1 refused (of 2 in shipped.json)." in out
    order, _balance, inbox = anna_sees(settings, clock)
    assert order.status.value == "shipped" and order.shipment.tracking_number == "1500000011"
    assert inbox[0] == f"Order {PAID} shipped"
    assert run(["maintenance", "shipments", "import", str(file)], world_orders) == 1
    assert "0 shipped, 1 seen before, 1 refused" in capsys.readouterr().out


def test_an_unreadable_file_changes_nothing_and_says_where(world_orders, tmp_path, capsys,
                                                           settings, clock):
    file = tmp_path / "shipped.csv"
    file.write_text("order_number,carrier,tracking_number,shipped_at\n"
                    f"{PAID},cdek,1500000011,2026-11-19 16:00\n"
                    f"{PAID},cdek,,2026-11-19 16:00\n", encoding="utf-8")
    assert run(["maintenance", "shipments", "import", str(file)], world_orders) == 1
    assert "line 3: tracking_number is empty" in capsys.readouterr().err
    assert anna_sees(settings, clock)[0].status.value == "paid"


def test_events_deliver_the_order(world_orders, shipped, tmp_path, capsys, settings, clock):
    file = tmp_path / "events.csv"
    file.write_text("tracking_number,at,status,station,description\n"
                    "1500000011,2026-11-20 09:00,out_for_delivery,Москва,Передан курьеру\n"
                    "1500000011,2026-11-20 11:00,delivered,Москва,Вручено\n", encoding="utf-8")
    assert run(["maintenance", "shipments", "events", "import", str(file)], world_orders) == 0
    assert "2 recorded, 0 seen before, 0 refused" in capsys.readouterr().out
    order, _balance, inbox = anna_sees(settings, clock)
    assert order.status.value == "delivered"
    assert [e.description for e in order.shipment.events][-2:] == ["Передан курьеру",
                                                                   "Вручено"]
    assert inbox[0] == f"Order {PAID} delivered"


def test_the_service_lists_and_credits_a_stop(world_orders, shipped, capsys, settings, clock):
    from mlm_tui.core.local import LocalBackend

    backend = LocalBackend(settings, clock=clock)
    try:
        backend.login(world.ANNA.registration_number, world.PASSWORD)
        total = backend.request_delivery_stop(PAID).total.amount
    finally:
        backend.close()
    _order, before, _inbox = anna_sees(settings, clock)
    assert run(["maintenance", "delivery-stops", "list", "--open"], world_orders) == 0
    out = capsys.readouterr().out
    assert PAID in out and "1000001" in out and "requested" in out
    assert "asked by the member" in out
    assert run(["maintenance", "delivery-stops", "decide", PAID, "--refuse"],
               world_orders) == 2
    assert "--note" in capsys.readouterr().err
    assert run(["maintenance", "delivery-stops", "decide", PAID, "--credit"],
               world_orders) == 0
    credit = total - Decimal(450)  # less forming the order and the parcel's round trip
    assert f"{PAID}: {credit} RUB credited to the balance." in capsys.readouterr().out
    order, after, inbox = anna_sees(settings, clock)
    assert after - before == credit and order.status.value == "credited"
    assert inbox[0] == f"Delivery stop for order {PAID} credited"
    assert run(["maintenance", "delivery-stops", "list", "--open"], world_orders) == 0
    assert capsys.readouterr().out == "No delivery stop awaits a decision.\n"
    assert run(["maintenance", "delivery-stops", "decide", PAID, "--credit"],
               world_orders) == 1
    assert "already credited" in capsys.readouterr().err
    assert anna_sees(settings, clock)[1] == after
