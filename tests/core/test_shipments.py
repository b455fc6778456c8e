"""Shipments and carrier events move orders; delivery stops wait for the service.

The warehouse's file ships orders, the carriers' events deliver or return them, and the
member (on either backend) sees the parcel, its window, its state and the notes in the
inbox. Files are applied once: a second import changes nothing.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

from mlm_tui.core.errors import Conflict, ValidationError
from mlm_tui.core.local.delivery_stops import decide_stop, list_stops
from mlm_tui.core.local.payments import confirm_payment
from mlm_tui.core.local.shipments import Result, record_carrier_events, ship_orders
from mlm_tui.core.models import (
    Checkout,
    ClaimLine,
    DeliveryMethod,
    DeliveryStopState,
    OrderStatus,
    PaymentMethod,
    PaymentSource,
    ShipmentStatus,
)
from mlm_tui.core.shipment_files import read_carrier_events, read_shipments
from tests import world

PAID = world.ORDER_ANNA_PAID  # paid from the balance, waiting for the warehouse
PLACED = world.ORDER_ANNA_PLACED  # to be paid at the service centre
TRACKING = "1500000011"


def ship(store, clock, text: str):
    return ship_orders(store, read_shipments(text.encode()), now=clock())


def events(store, clock, text: str):
    return record_carrier_events(store, read_carrier_events(text.encode()), now=clock())


def shipped_csv(number: str = PAID, tracking: str = TRACKING) -> str:
    return ("order_number,carrier,tracking_number,shipped_at\n"
            f"{number},cdek,{tracking},2026-11-20 08:00\n")


def titles(member) -> list[str]:
    return [n.title for n in member.notifications()]


def test_a_shipment_file_ships_a_paid_order_once(world_orders, anna, clock):
    report = ship(anna.store, clock, shipped_csv())
    assert [o.result for o in report.outcomes] == [Result.DONE]
    order = anna.order(PAID)
    assert order.status is OrderStatus.SHIPPED
    parcel = order.shipment
    assert (parcel.carrier.name, parcel.tracking_number) == ("СДЭК", TRACKING)
    assert (parcel.estimated_from, parcel.estimated_to) == (date(2026, 11, 22),
                                                            date(2026, 11, 25))
    assert titles(anna)[0] == f"Order {PAID} shipped"
    inbox = len(anna.notifications())
    again = ship(anna.store, clock, shipped_csv())
    assert [o.result for o in again.outcomes] == [Result.SEEN]
    assert len(anna.notifications()) == inbox
    assert anna.order(PAID).history[-1].status is OrderStatus.SHIPPED


def test_json_lines_that_cannot_ship_are_reported_and_the_rest_ship(world_orders, anna,
                                                                     clock):
    records = [
        {"order_number": PAID, "carrier": "cdek", "tracking_number": TRACKING,
         "shipped_at": "2026-11-20T08:00:00Z"},
        {"order_number": "RU-2611-999999", "carrier": "cdek", "tracking_number": "1",
         "shipped_at": "2026-11-20 08:00"},
        {"order_number": world.ORDER_IRINA_CANCELLED, "carrier": "cdek",
         "tracking_number": "2", "shipped_at": "2026-11-20 08:00"},
        {"order_number": PLACED, "carrier": "ups", "tracking_number": "3",
         "shipped_at": "2026-11-20 08:00"},
        {"order_number": PLACED, "carrier": "cdek", "tracking_number": TRACKING,
         "shipped_at": "2026-11-20 08:00"},
        {"order_number": PLACED, "carrier": "cdek", "tracking_number": "4",
         "shipped_at": "2026-11-21 08:00"},
    ]
    report = ship_orders(anna.store, read_shipments(json.dumps(records).encode()),
                         now=clock())
    assert [(o.result, o.english) for o in report.outcomes] == [
        (Result.DONE, ""),
        (Result.REFUSED, "no such order"),
        (Result.REFUSED, "the order is cancelled"),
        (Result.REFUSED, "unknown carrier \"ups\" (known: cdek, pochta, hermes)"),
        (Result.REFUSED, f"tracking number {TRACKING} is another order's"),
        (Result.REFUSED, "shipped_at is in the future"),
    ]
    assert anna.order(PAID).status is OrderStatus.SHIPPED
    assert anna.order(PLACED).status is OrderStatus.PLACED
    assert anna.order(PLACED).shipment is None


@pytest.mark.parametrize(("text", "said"), [
    ("order_number,carrier\nX,cdek\n", "line 2: no tracking_number, shipped_at"),
    ("order_number,carrier,tracking_number,shipped_at\nX,cdek,1,yesterday\n",
     "line 2: shipped_at \"yesterday\" is not a date and time (YYYY-MM-DD HH:MM)"),
    ('[{"order_number": "X"', "not JSON"),
])
def test_an_unreadable_file_is_refused_whole_naming_the_line(world_orders, anna, text, said):
    with pytest.raises(ValidationError) as raised:
        read_shipments(text.encode())
    assert said in raised.value.message
    assert anna.order(PAID).status is OrderStatus.PAID


def test_an_order_paid_to_the_courier_ships_first_and_is_paid_later(anna, clock):
    anna.add_to_cart("32548", 2)
    number = anna.place_order(Checkout(DeliveryMethod.COURIER, PaymentMethod.CASH_TO_COURIER,
                                       "courier-1")).number
    wallet = anna.points_wallet()
    clock.advance(timedelta(hours=1))
    report = ship(anna.store, clock, shipped_csv(number).replace("2026-11-20 08:00",
                                                                 "2026-11-20 12:30"))
    assert [o.result for o in report.outcomes] == [Result.DONE]
    order = anna.order(number)
    assert order.status is OrderStatus.SHIPPED and order.paid_at is None
    clock.advance(timedelta(days=2))
    confirm_payment(anna.store, number, now=clock(), source=PaymentSource.SERVICE,
                    decided_by="irina.service")
    order = anna.order(number)
    assert order.status is OrderStatus.SHIPPED  # still on its way, now paid
    assert order.paid_at == clock()
    assert order.history[-1].note == "payment confirmed"
    assert anna.points_wallet() > wallet  # its wallet points are earned now
    assert titles(anna)[0] == f"Payment for order {number} confirmed"


def test_carrier_events_move_the_window_then_deliver_and_open_claims(world_orders, anna,
                                                                      clock):
    ship(anna.store, clock, shipped_csv())
    invoice = anna.order(PAID).invoice_number
    with pytest.raises(Conflict):
        anna.submit_claim(invoice, [ClaimLine("32548", 1)], "Крем протёк")
    clock.advance(timedelta(days=2))
    late = events(anna.store, clock,
                  "tracking_number;at;status;station;expected_from;expected_to\n"
                  f"{TRACKING};2026-11-21 09:00;in_transit;Москва, сортировка;"
                  "2026-11-24;2026-11-26\n")
    assert [o.result for o in late.outcomes] == [Result.DONE]
    parcel = anna.shipment(PAID)
    assert (parcel.estimated_from, parcel.estimated_to) == (date(2026, 11, 24),
                                                            date(2026, 11, 26))
    assert parcel.events[-1].station == "Москва, сортировка"
    delivered = events(anna.store, clock,
                       "tracking_number,at,status,station,description\n"
                       f"{TRACKING},2026-11-22 10:30,delivered,Москва,Вручено\n")
    assert [o.result for o in delivered.outcomes] == [Result.DONE]
    order = anna.order(PAID)
    assert order.status is OrderStatus.DELIVERED
    assert order.shipment.status is ShipmentStatus.DELIVERED
    assert order.shipment.estimated_from == order.shipment.estimated_to == date(2026, 11, 22)
    assert [e.description for e in order.shipment.events][-1] == "Вручено"
    assert titles(anna)[0] == f"Order {PAID} delivered"
    claim = anna.submit_claim(invoice, [ClaimLine("32548", 1)], "Крем протёк")
    assert claim.invoice_number == invoice


def test_an_event_twice_or_for_an_unknown_parcel_changes_nothing(world_orders, anna, clock):
    ship(anna.store, clock, shipped_csv())
    text = ("tracking_number,at,status\n"
            f"{TRACKING},2026-11-20 11:00,out_for_delivery\n"
            "NOPE,2026-11-20 11:00,delivered\n")
    first = events(anna.store, clock, text)
    assert [(o.result, o.english) for o in first.outcomes] == [
        (Result.DONE, ""), (Result.REFUSED, "unknown tracking number")]
    second = events(anna.store, clock, text)
    assert [o.result for o in second.outcomes] == [Result.SEEN, Result.REFUSED]
    parcel = anna.shipment(PAID)
    assert parcel.status is ShipmentStatus.OUT_FOR_DELIVERY
    assert [e.description for e in parcel.events] == ["handed to the carrier",
                                                      "out for delivery"]


def test_a_stop_waits_for_the_service_and_a_credit_lands_on_the_balance(world_orders, anna,
                                                                         clock):
    ship(anna.store, clock, shipped_csv())
    before = anna.balance().amount
    order = anna.request_delivery_stop(PAID)
    assert order.delivery_stop.state is DeliveryStopState.REQUESTED
    assert anna.balance().amount == before  # nothing is credited until the parcel is back
    assert [c.stop.order_number for c in list_stops(anna.store, open_only=True)] == [PAID]
    clock.advance(timedelta(days=3))
    case = decide_stop(anna.store, PAID, credit=True, now=clock(), decided_by="irina")
    fees = Decimal(150) + Decimal(300)  # forming the order, and the parcel's round trip
    assert case.stop.credit.amount == order.total.amount - fees
    assert anna.balance().amount == before + order.total.amount - fees
    order = anna.order(PAID)
    assert order.status is OrderStatus.CREDITED
    assert order.shipment.status is ShipmentStatus.RETURNED  # the parcel is back
    assert order.delivery_stop.state is DeliveryStopState.CREDITED
    assert order.delivery_stop.credit == case.stop.credit
    assert titles(anna)[0] == f"Delivery stop for order {PAID} credited"
    assert list_stops(anna.store, open_only=True) == []
    with pytest.raises(Conflict):
        decide_stop(anna.store, PAID, credit=True, now=clock(), decided_by="irina")
    assert anna.balance().amount == before + order.total.amount - fees


def test_a_refused_stop_sends_the_parcel_on_and_the_member_reads_why(world_orders, anna,
                                                                     clock):
    ship(anna.store, clock, shipped_csv())
    anna.request_delivery_stop(PAID)
    with pytest.raises(ValidationError):
        decide_stop(anna.store, PAID, credit=False, now=clock(), decided_by="irina")
    assert anna.order(PAID).delivery_stop.state is DeliveryStopState.REQUESTED
    decide_stop(anna.store, PAID, credit=False, now=clock(), decided_by="irina",
                note="already at the door")
    order = anna.order(PAID)
    assert order.status is OrderStatus.SHIPPED
    assert order.shipment.status is ShipmentStatus.IN_TRANSIT
    assert (order.delivery_stop.state, order.delivery_stop.note) == (
        DeliveryStopState.REFUSED, "already at the door")
    inbox = anna.notifications()[0]
    assert inbox.title == f"Delivery stop for order {PAID} refused"
    assert inbox.body.endswith("already at the door")
    events(anna.store, clock, f"tracking_number,at,status\n{TRACKING},2026-11-20 11:30,"
                              "delivered\n")
    assert anna.order(PAID).status is OrderStatus.DELIVERED


def test_a_returned_parcel_queues_a_stop_the_member_did_not_ask(world_orders, anna, clock):
    ship(anna.store, clock, shipped_csv())
    events(anna.store, clock, f"tracking_number,at,status\n{TRACKING},2026-11-20 11:00,"
                              "returned\n")
    order = anna.order(PAID)
    assert order.status is OrderStatus.STOP_REQUESTED
    assert order.shipment.status is ShipmentStatus.RETURNED
    assert order.delivery_stop.returned and order.delivery_stop.state.value == "requested"
    assert titles(anna)[0] == f"Order {PAID} came back"
    refused = events(anna.store, clock, f"tracking_number,at,status\n{TRACKING},"
                                        "2026-11-20 11:30,delivered\n")
    assert refused.refused[0].english.startswith("a delivery stop awaits")


def test_a_parcel_the_carrier_sent_back_is_credited_without_stop_fees(world_orders, anna,
                                                                       clock):
    ship(anna.store, clock, shipped_csv())
    before = anna.balance().amount
    events(anna.store, clock, f"tracking_number,at,status\n{TRACKING},2026-11-20 11:00,"
                              "returned\n")
    total = anna.order(PAID).total.amount
    case = decide_stop(anna.store, PAID, credit=True, now=clock(), decided_by="irina")
    assert case.stop.credit.amount == total  # she asked for no stop: no fee for one
    assert anna.balance().amount == before + total
    assert not [e for e in anna.balance_ledger().items if e.kind.value == "fee"
                and e.order_number == PAID]


def test_an_order_paid_to_the_courier_is_claimed_only_once_its_money_is_confirmed(
        anna, clock):
    anna.add_to_cart("32548", 2)
    order = anna.place_order(Checkout(DeliveryMethod.COURIER, PaymentMethod.CASH_TO_COURIER,
                                      "courier-2"))
    clock.advance(timedelta(hours=1))
    ship(anna.store, clock, shipped_csv(order.number).replace("2026-11-20 08:00",
                                                              "2026-11-20 12:30"))
    events(anna.store, clock, f"tracking_number,at,status\n{TRACKING},2026-11-20 12:50,"
                              "delivered\n")
    assert anna.order(order.number).status is OrderStatus.DELIVERED
    with pytest.raises(Conflict) as refused:
        anna.submit_claim(order.invoice_number, [ClaimLine("32548", 1)], "Крем протёк")
    assert "not confirmed yet" in refused.value.message
    assert anna.claims() == []
    confirm_payment(anna.store, order.number, now=clock(), source=PaymentSource.SERVICE,
                    decided_by="irina.service")
    claim = anna.submit_claim(order.invoice_number, [ClaimLine("32548", 1)], "Крем протёк")
    assert [c.number for c in anna.claims()] == [claim.number]


def test_a_refusal_note_with_an_escape_code_is_refused_and_the_stop_still_waits(
        world_orders, anna, clock):
    ship(anna.store, clock, shipped_csv())
    anna.request_delivery_stop(PAID)
    with pytest.raises(ValidationError) as refused:
        decide_stop(anna.store, PAID, credit=False, now=clock(), decided_by="irina",
                    note="at the door \x1b]52;c;cm0gLXJmIH4=\x07")
    assert refused.value.field == "note"
    assert "control characters" in str(refused.value)
    assert anna.order(PAID).delivery_stop.state is DeliveryStopState.REQUESTED
    assert not any("refused" in notice.title for notice in anna.notifications())
