"""Requests that create something, sent again with their Idempotency-Key, create once."""

from __future__ import annotations

import httpx
import pytest

from mlm_tui.core.models import OrderFilter, TopUpMethod
from mlm_tui.core.money import Money
from tests import plain_http, world

CHECKOUT = {"delivery_method": "pickup_point", "payment_method": "balance",
            "idempotency_key": "checkout-1", "pickup_point": "PP-MSK-2"}


@pytest.fixture
def signed_in(remote):
    remote.login(world.ANNA.registration_number, world.PASSWORD)
    remote.add_to_cart("32548", 2)
    return remote


def _post(backend, path: str, body: dict, key: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {backend.session().token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return plain_http.post(f"{backend.url}/api/v1{path}", json=body, headers=headers)


def test_the_same_order_sent_twice_with_one_key_is_placed_once(signed_in):
    first = _post(signed_in, "/orders", {"checkout": CHECKOUT}, "key-a")
    again = _post(signed_in, "/orders", {"checkout": CHECKOUT}, "key-a")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert signed_in.count_orders(OrderFilter()) == 1


def test_a_key_sent_again_with_another_request_is_refused(signed_in):
    assert _post(signed_in, "/balance/top-ups", {
        "amount": {"amount": "100.00", "currency": "RUB"}, "method": "card"}, "key-b"
    ).status_code == 201
    balance = signed_in.balance()
    other = _post(signed_in, "/balance/top-ups", {
        "amount": {"amount": "900.00", "currency": "RUB"}, "method": "card"}, "key-b")
    assert other.status_code == 422
    assert (other.json()["code"], other.json()["field"]) == (
        "idempotency_key_reused", "idempotency_key")
    assert signed_in.balance() == balance


def test_a_request_that_creates_needs_a_key(signed_in):
    refused = _post(signed_in, "/balance/top-ups", {
        "amount": {"amount": "100.00", "currency": "RUB"}, "method": "card"}, None)
    assert refused.status_code == 422
    assert refused.json()["field"] == "Idempotency-Key"


def test_each_member_has_keys_of_their_own(signed_in, settings, clock, request):
    from tests.conftest import _make_backend

    _post(signed_in, "/balance/top-ups", {
        "amount": {"amount": "100.00", "currency": "RUB"}, "method": "card"}, "shared-key")
    olga = _make_backend("remote", settings, clock, request)
    try:
        olga.login(world.OLGA_MSK.registration_number, world.PASSWORD)
        answer = _post(olga, "/balance/top-ups", {
            "amount": {"amount": "100.00", "currency": "RUB"}, "method": "card"}, "shared-key")
        assert answer.status_code == 201
        assert [r.reference for r in olga.payment_requests()] == [answer.json()["reference"]]
    finally:
        olga.close()


def test_a_failed_request_frees_its_key(signed_in):
    body = {"amount": {"amount": "-5", "currency": "RUB"}, "method": "card"}
    assert _post(signed_in, "/balance/top-ups", body, "key-c").status_code == 422
    body["amount"]["amount"] = "5.00"
    assert _post(signed_in, "/balance/top-ups", body, "key-c").status_code == 201


class DropsFirstAnswer(httpx.BaseTransport):
    """Sends each request to the server, but loses the answer of the first one that creates
    something, after the server has committed it, as a dropped connection would."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport(verify=False)  # plain http: no certificates to load
        self.keys: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        key = request.headers.get("Idempotency-Key")
        if key is not None:
            self.keys.append(key)
            if len(self.keys) == 1:
                response.read()
                raise httpx.ReadError("connection reset by peer", request=request)
        return response


def test_an_order_whose_answer_was_lost_is_placed_once(signed_in):
    from mlm_tui.core.models import Checkout, DeliveryMethod, PaymentMethod
    from mlm_tui.core.remote import RemoteBackend

    lossy = DropsFirstAnswer()
    client = RemoteBackend(signed_in.url, transport=lossy)
    try:
        client.resume(signed_in.session().token)
        before = client.balance()
        order = client.place_order(Checkout(DeliveryMethod.PICKUP_POINT, PaymentMethod.BALANCE,
                                            "lost-answer", pickup_point="PP-MSK-2"))
        entry = client.top_up(Money(250, "RUB"), TopUpMethod.CARD)
    finally:
        client.close()
    assert len(lossy.keys) == 3 and lossy.keys[0] == lossy.keys[1] != lossy.keys[2]
    assert signed_in.count_orders(OrderFilter()) == 1
    assert signed_in.order(order.number) == order
    assert signed_in.balance() == before - order.total  # the top-up waits for its money
    assert signed_in.payment_requests() == [entry]


def test_two_copies_of_one_request_at_once_top_up_once(signed_in):
    from concurrent.futures import ThreadPoolExecutor

    before = signed_in.balance()
    body = {"amount": {"amount": "70.00", "currency": "RUB"}, "method": "card"}
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: _post(signed_in, "/balance/top-ups", body, "twin"),
                                range(2)))
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert sorted(a.headers.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    assert signed_in.balance() == before
    assert [r.amount for r in signed_in.payment_requests()] == [signed_in.money(70)]


def test_an_answer_that_cannot_be_kept_undoes_its_order(settings, clock, monkeypatch):
    """The order and the answer kept for its key commit together: when keeping the answer
    fails, no order stays behind, and the retry places it once."""
    from fastapi.testclient import TestClient

    from mlm_tui.core.local import idempotency
    from mlm_tui.server.app import create_app

    keep = idempotency.keep
    failed: list[str] = []

    def keep_failing_once(conn, member_id, key, *rest):
        if key == "order-1" and not failed:
            failed.append(key)
            raise RuntimeError("the disk is full")
        keep(conn, member_id, key, *rest)

    monkeypatch.setattr(idempotency, "keep", keep_failing_once)
    app = create_app(settings, clock=clock, address_limit=None)
    with TestClient(app, raise_server_exceptions=False) as client:
        token = client.post("/api/v1/sessions", json={
            "login": world.ANNA.registration_number, "password": world.PASSWORD}).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        client.post("/api/v1/cart/lines", json={"code": "32548", "quantity": 2},
                    headers={**auth, "Idempotency-Key": "line"})

        def orders() -> int:
            return client.get("/api/v1/orders/count", headers=auth).json()

        body = {"checkout": CHECKOUT}
        first = client.post("/api/v1/orders", json=body,
                            headers={**auth, "Idempotency-Key": "order-1"})
        assert first.status_code == 500
        assert orders() == 0
        again = client.post("/api/v1/orders", json=body,
                            headers={**auth, "Idempotency-Key": "order-1"})
        assert again.status_code == 201
        assert orders() == 1
