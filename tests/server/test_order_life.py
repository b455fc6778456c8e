"""An order's whole life driven by the company's service from outside, over a real server,
while its member watches it in the app: placed -> shipped (the warehouse's file) ->
carrier events -> delivered -> claim -> decided -> credit on the balance.

The app runs on the same server as the member would (a RemoteBackend); after each step of
the service it looks for changes as its timer does, and the screen shows the new state.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from textual.widgets import Input

from mlm_tui.app import MlmApp
from mlm_tui.core.local import service_accounts
from mlm_tui.core.models import (
    Checkout,
    ClaimLine,
    DeliveryMethod,
    OrderStatus,
    PaymentMethod,
)
from mlm_tui.screens.order import OrderScreen
from mlm_tui.screens.tracking import TrackingScreen
from tests import plain_http, world
from tests.screens.snapshot_app import open_screen, screen_text, settings_for, settle

pytestmark = pytest.mark.anyio
SERVICE_PASSWORD = "service-pass-2026-long"
TRACKING = "1500000077"


class Service:
    """The company's service staff, at the server's service endpoints."""

    def __init__(self, url: str) -> None:
        answer = plain_http.post(f"{url}/api/v1/service/sessions",
                            json={"name": "irina.service", "password": SERVICE_PASSWORD})
        assert answer.status_code == 201
        self.url = f"{url}/api/v1/service"
        self.headers = {"Authorization": f"Bearer {answer.json()['token']}"}

    def post(self, path: str, **kwargs) -> dict:
        answer = plain_http.post(f"{self.url}/{path}", headers=self.headers, **kwargs)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def get(self, path: str, **params) -> list:
        answer = plain_http.get(f"{self.url}/{path}", headers=self.headers, params=params)
        assert answer.status_code == 200, answer.text
        return answer.json()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # Textual runs on asyncio


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def anna_remote(remote, clock):
    remote.login(world.ANNA.registration_number, world.PASSWORD)
    service_accounts.add_account(remote.store, "irina.service", SERVICE_PASSWORD, now=clock())
    return remote


class _Lent:
    """The test's backend lent to the app: the test closes it, not the app."""

    def __init__(self, backend) -> None:
        self._backend = backend

    def __getattr__(self, name: str):
        return getattr(self._backend, name)

    def close(self) -> None:
        pass


class Watching:
    """The member's app on the server, signed in as Anna."""

    def __init__(self, backend, tmp_path, clock) -> None:
        self.backend = backend
        self.app = MlmApp(lambda: _Lent(backend), settings=settings_for(tmp_path), clock=clock)

    async def looks(self, pilot) -> str:
        """What the screen shows once the app has looked for changes, as its timer does."""
        self.app.check_for_changes()
        await settle(pilot)
        return screen_text(self.app)


def fact(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if line.strip().startswith(f"{label}:"))


async def test_an_orders_whole_life_driven_from_outside_while_its_member_watches(
        anna_remote, clock, tmp_path):
    anna = anna_remote
    anna.add_to_cart("32548", 2)
    order = anna.place_order(Checkout(DeliveryMethod.COURIER, PaymentMethod.BALANCE, "life-1"))
    number, invoice = order.number, order.invoice_number
    service = Service(anna.url)
    watching = Watching(anna, tmp_path, clock)
    async with watching.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.app.push_screen(OrderScreen(number))
        text = await watching.looks(pilot)
        assert "not shipped yet" in fact(text, "Shipment")

        # The warehouse hands the parcel to СДЭК: the order screen shows it on its way.
        clock.advance(timedelta(hours=2))
        report = service.post("shipments", content=(
            "order_number,carrier,tracking_number,shipped_at\n"
            f"{number},cdek,{TRACKING},2026-11-20 13:00\n").encode())
        assert [o["result"] for o in report["outcomes"]] == ["done"]
        text = await watching.looks(pilot)
        assert fact(text, "Shipment").split(":", 1)[1].strip() == (
            f"СДЭК · {TRACKING} · in transit · expected 22.11.2026 – 25.11.2026")

        # The carrier moves its promise, then delivers; the tracking screen follows.
        clock.now = clock.now.replace(day=23, hour=9)
        service = Service(anna.url)  # a new working day: the service signs in again
        service.post("shipments/events", json=[
            {"tracking_number": TRACKING, "at": "2026-11-21T08:00:00", "status": "in_transit",
             "station": "Москва, сортировка", "expected_from": "2026-11-23",
             "expected_to": "2026-11-24"}])
        text = await watching.looks(pilot)
        assert "expected 23.11.2026 – 24.11.2026" in fact(text, "Shipment")
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(pilot.app.screen, TrackingScreen)
        assert "Москва, сортировка" in screen_text(watching.app)
        service.post("shipments/events", json=[
            {"tracking_number": TRACKING, "at": "2026-11-23T08:30:00",
             "status": "delivered", "station": "Москва", "description": "Вручено"}])
        text = await watching.looks(pilot)
        assert "Вручено" in text
        await pilot.press("escape")
        text = await watching.looks(pilot)
        assert "delivered" in fact(text, "Shipment")
        assert anna.order(number).status is OrderStatus.DELIVERED

        # Delivered, so claimable: one cream leaked. The service accepts the claim.
        before = anna.balance().amount
        claim = anna.submit_claim(invoice, [ClaimLine("32548", 1)], "Крем протёк")
        assert [c["claim"]["number"] for c in service.get("claims", open="true")] == [
            claim.number]
        decided = service.post(f"claims/{claim.number}/decision",
                               json={"accept": True, "note": "Sorry!"})
        credit = Decimal(decided["claim"]["credit"]["amount"])
        assert credit > 0
        await open_screen(pilot, "inbox")
        text = await watching.looks(pilot)
        assert f"Claim {claim.number} accepted" in text
        assert f"Order {number} delivered" in text and f"Order {number} shipped" in text
        assert anna.balance().amount == before + credit


async def test_a_stop_waits_for_the_service_and_the_member_sees_the_credit(
        anna_remote, clock, tmp_path):
    anna = anna_remote
    anna.add_to_cart("32548", 2)
    order = anna.place_order(Checkout(DeliveryMethod.COURIER, PaymentMethod.BALANCE, "stop-1"))
    service = Service(anna.url)
    clock.advance(timedelta(hours=2))
    service.post("shipments", json=[{"order_number": order.number, "carrier": "cdek",
                                     "tracking_number": TRACKING,
                                     "shipped_at": "2026-11-20T13:00:00"}])
    before = anna.balance().amount
    anna.request_delivery_stop(order.number)
    watching = Watching(anna, tmp_path, clock)
    async with watching.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.app.push_screen(OrderScreen(order.number))
        text = await watching.looks(pilot)
        assert "the service asks the carrier" in text
        assert [s["stop"]["order_number"] for s in service.get("delivery-stops", open="true")
                ] == [order.number]
        case = service.post(f"delivery-stops/{order.number}/decision", json={"credit": True})
        credit = Decimal(case["stop"]["credit"]["amount"])
        text = await watching.looks(pilot)
        assert "credited: " in text
        assert anna.balance().amount == before + credit
        assert anna.notifications()[0].title == f"Delivery stop for order {order.number} credited"


def test_a_members_token_opens_no_shipment_or_stop_endpoint(anna_remote):
    url = f"{anna_remote.url}/api/v1/service"
    member = {"Authorization": f"Bearer {anna_remote.session().token}"}
    answers = [
        plain_http.post(f"{url}/shipments", headers=member, content=b"order_number\n"),
        plain_http.post(f"{url}/shipments/events", headers=member, content=b"[]"),
        plain_http.get(f"{url}/delivery-stops", headers=member),
        plain_http.post(f"{url}/delivery-stops/{world.ORDER_ANNA_PAID}/decision", headers=member,
                   json={"credit": True}),
        plain_http.get(f"{url}/claims", headers=member),
        plain_http.post(f"{url}/claims/CL-1/decision", headers=member, json={"accept": True}),
    ]
    assert [a.status_code for a in answers] == [403] * 6


def test_a_broken_file_sent_to_the_server_is_refused_naming_its_line(world_orders, anna_remote):
    service = Service(anna_remote.url)
    answer = plain_http.post(f"{service.url}/shipments", headers=service.headers, content=(
        "order_number,carrier,tracking_number,shipped_at\n"
        f"{world.ORDER_ANNA_PAID},cdek,,2026-11-20 08:00\n").encode())
    assert answer.status_code == 422
    assert "line 2: tracking_number is empty" in answer.json()["message"]
    assert anna_remote.order(world.ORDER_ANNA_PAID).status is OrderStatus.PAID
