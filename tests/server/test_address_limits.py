"""One client address may sign in, reset and register only so often, whatever accounts
it names: 429 with Retry-After, counted in the store."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from mlm_tui.server import create_app
from mlm_tui.server.context import AddressLimit
from tests import world


@pytest.fixture
def client(settings, clock):
    app = create_app(settings, clock=clock, address_limit=AddressLimit(3, timedelta(minutes=1)))
    with TestClient(app) as client:
        yield client


def _login(client, login: str):
    return client.post("/api/v1/sessions", json={"login": login, "password": "wrong-9x"})


def test_an_address_past_its_ceiling_waits_whatever_account_it_names(client, clock):
    answers = [_login(client, login).status_code
               for login in ("1000001", "1000002", "1000003")]
    assert answers == [401, 401, 401]
    refused = _login(client, "1000004")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    assert refused.json()["code"] == "throttled"
    # Even the right password waits: the address is stopped, not the account.
    right = client.post("/api/v1/sessions", json={"login": world.ANNA.registration_number,
                                                  "password": world.PASSWORD})
    assert right.status_code == 429
    clock.advance(timedelta(minutes=1))
    right = client.post("/api/v1/sessions", json={"login": world.ANNA.registration_number,
                                                  "password": world.PASSWORD})
    assert right.status_code == 201


def test_resets_are_counted_apart_from_sign_ins(client):
    for login in ("1000001", "1000002", "1000003"):
        _login(client, login)
    answers = [client.post("/api/v1/password-resets", json={"contact": f"x{n}@example.ru"})
               .status_code for n in range(4)]
    assert answers == [202, 202, 202, 429]
