"""The company's service over the server: its own accounts and endpoints, closed to members
(403), as members' endpoints are closed to it; and the payment provider's notifications,
signed with the shared secret, credited once, forged or replayed ones crediting nothing."""

from __future__ import annotations

import json
from datetime import UTC, timedelta
from decimal import Decimal

import httpx
import pytest

from mlm_tui.core.local import service_accounts
from mlm_tui.core.models import PaymentState, TopUpMethod
from mlm_tui.core.money import Money
from mlm_tui.core.rules import provider_signature
from tests import plain_http, world
from tests.remote_server import PROVIDER_SECRET

SERVICE_PASSWORD = "service-pass-2026-long"


@pytest.fixture
def anna_remote(remote):
    remote.login(world.ANNA.registration_number, world.PASSWORD)
    return remote


@pytest.fixture
def service_token(anna_remote, clock) -> str:
    service_accounts.add_account(anna_remote.store, "irina.service", SERVICE_PASSWORD,
                                 now=clock())
    answer = plain_http.post(f"{anna_remote.url}/api/v1/service/sessions",
                        json={"name": "irina.service", "password": SERVICE_PASSWORD})
    assert answer.status_code == 201
    return answer.json()["token"]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_service_confirms_a_members_top_up_over_the_server(anna_remote, service_token):
    request = anna_remote.top_up(Money(Decimal(1500), "RUB"), TopUpMethod.TRANSFER)
    url = f"{anna_remote.url}/api/v1/service/payments"
    pending = plain_http.get(url, params={"state": "pending"}, headers=_bearer(service_token))
    assert [p["request"]["reference"] for p in pending.json()] == [request.reference]
    confirmed = plain_http.post(f"{url}/{request.reference}/confirmation",
                           headers=_bearer(service_token))
    assert confirmed.status_code == 200
    assert confirmed.json()["request"]["state"] == "confirmed"
    assert anna_remote.balance() == Money(Decimal(11500), "RUB")


def test_a_members_token_opens_no_service_endpoint(anna_remote, service_token):
    request = anna_remote.top_up(Money(Decimal(1500), "RUB"), TopUpMethod.CARD)
    member = _bearer(anna_remote.session().token)
    url = f"{anna_remote.url}/api/v1/service"
    answers = [
        plain_http.get(f"{url}/payments", headers=member),
        plain_http.post(f"{url}/payments/{request.reference}/confirmation", headers=member),
        plain_http.post(f"{url}/payments/{request.reference}/rejection", headers=member,
                   json={"reason": "no"}),
        plain_http.post(f"{url}/statements", headers=member, content=b"<Document/>"),
    ]
    assert [a.status_code for a in answers] == [403] * 4
    assert plain_http.get(f"{url}/payments").status_code == 401  # and nobody's opens none
    assert anna_remote.balance() == Money(Decimal(10000), "RUB")


@pytest.mark.parametrize(("verb", "path", "body"), [
    ("GET", "/cart", None),
    ("GET", "/balance", None),
    ("POST", "/balance/top-ups", {"amount": {"amount": "100", "currency": "RUB"},
                                  "method": "card"}),
    ("POST", "/orders", {"checkout": {"delivery_method": "courier", "payment_method": "balance",
                                      "idempotency_key": "k"}}),
])
def test_a_service_token_opens_no_members_endpoint(anna_remote, service_token, verb, path,
                                                   body):
    answer = plain_http.request(verb, f"{anna_remote.url}/api/v1{path}", json=body,
                           headers={**_bearer(service_token), "Idempotency-Key": "k"})
    assert answer.status_code == 403


def test_a_wrong_service_password_is_refused(anna_remote, service_token):
    answer = plain_http.post(f"{anna_remote.url}/api/v1/service/sessions",
                        json={"name": "irina.service", "password": "wrong-password-1"})
    assert answer.status_code == 401


# --- the provider's notifications ----------------------------------------------------------


def _notify(backend, body: dict, *, secret: str = PROVIDER_SECRET, at=None,
            signature: str | None = None) -> httpx.Response:
    raw = json.dumps(body).encode()
    stamp = int((at or world.NOW).replace(tzinfo=UTC).timestamp())
    headers = {provider_signature.TIMESTAMP_HEADER: str(stamp),
               provider_signature.SIGNATURE_HEADER:
                   signature or provider_signature.sign(secret, stamp, raw),
               "Content-Type": "application/json"}
    return plain_http.post(f"{backend.url}/api/v1/payments/notifications", content=raw,
                      headers=headers)


def _succeeded(reference: str, event_id: str = "evt_100") -> dict:
    return {"event_id": event_id, "reference": reference, "status": "succeeded",
            "amount": "1500.00", "currency": "RUB"}


def test_a_signed_notification_credits_once_however_often_it_comes(anna_remote):
    request = anna_remote.top_up(Money(Decimal(1500), "RUB"), TopUpMethod.CARD)
    first = _notify(anna_remote, _succeeded(request.reference))
    again = _notify(anna_remote, _succeeded(request.reference))
    assert (first.status_code, first.json()) == (200, {"outcome": "confirmed"})
    assert (again.status_code, again.json()) == (200, {"outcome": "duplicate"})
    assert anna_remote.balance() == Money(Decimal(11500), "RUB")


@pytest.mark.parametrize("forgery", [
    {"secret": "a guessed secret"},
    {"signature": "v1=" + "0" * 64},
    {"signature": "garbage"},
    {"at": world.NOW - timedelta(minutes=10)},  # an old notification sent again
    {"at": world.NOW + timedelta(minutes=10)},
], ids=["wrong secret", "zeros", "garbage", "replayed late", "from the future"])
def test_a_forged_or_replayed_notification_credits_nothing(anna_remote, forgery):
    request = anna_remote.top_up(Money(Decimal(1500), "RUB"), TopUpMethod.CARD)
    answer = _notify(anna_remote, _succeeded(request.reference), **forgery)
    assert 400 <= answer.status_code < 500
    assert anna_remote.balance() == Money(Decimal(10000), "RUB")
    assert anna_remote.payment_requests()[0].state is PaymentState.PENDING


def test_a_signed_body_changed_on_the_way_credits_nothing(anna_remote):
    request = anna_remote.top_up(Money(Decimal(1500), "RUB"), TopUpMethod.CARD)
    honest = json.dumps(_succeeded(request.reference)).encode()
    stamp = int(world.NOW.replace(tzinfo=UTC).timestamp())
    answer = plain_http.post(
        f"{anna_remote.url}/api/v1/payments/notifications",
        content=honest.replace(b"1500.00", b"15000.00"),
        headers={provider_signature.TIMESTAMP_HEADER: str(stamp),
                 provider_signature.SIGNATURE_HEADER:
                     provider_signature.sign(PROVIDER_SECRET, stamp, honest)})
    assert answer.status_code == 401
    assert anna_remote.balance() == Money(Decimal(10000), "RUB")
