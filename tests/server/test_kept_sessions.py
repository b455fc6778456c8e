"""A server keeps the sessions it read for a moment, and a session that ended elsewhere is
never used again: signing out through another worker process of the same store, a reset
of the password there, or the session's end by the clock each shut the door at once. The
company profile a worker keeps is served anew as soon as the store's is changed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from mlm_tui.server.app import create_app
from tests import world


@pytest.fixture
def workers(settings, clock) -> Iterator[tuple[TestClient, TestClient]]:
    """Two server processes' apps on one store, as ``serve --workers 2`` runs them."""
    first = create_app(settings, clock=clock, address_limit=None)
    second = create_app(settings, clock=clock, address_limit=None)
    with TestClient(first) as one, TestClient(second) as other:
        yield one, other


def _sign_in(client: TestClient) -> dict[str, str]:
    answer = client.post("/api/v1/sessions", json={
        "login": world.ANNA.registration_number, "password": world.PASSWORD})
    assert answer.status_code == 201
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_a_session_is_used_again_by_the_worker_that_read_it(workers):
    one, _other = workers
    auth = _sign_in(one)
    answers = [one.get("/api/v1/me", headers=auth) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert {a.json()["registration_number"] for a in answers} == {
        world.ANNA.registration_number}


def test_signing_out_through_another_worker_ends_the_session_at_once(workers):
    one, other = workers
    auth = _sign_in(one)
    assert one.get("/api/v1/me", headers=auth).status_code == 200  # kept by this worker
    assert other.delete("/api/v1/sessions/current", headers=auth).status_code == 204
    refused = one.get("/api/v1/me", headers=auth)
    assert refused.status_code == 401
    assert refused.json()["code"] == "session_ended"


def test_signing_out_ends_the_session_for_the_same_worker(workers):
    one, _other = workers
    auth = _sign_in(one)
    assert one.get("/api/v1/cart", headers=auth).status_code == 200
    assert one.delete("/api/v1/sessions/current", headers=auth).status_code == 204
    assert one.get("/api/v1/cart", headers=auth).status_code == 401


def test_a_kept_session_ends_with_the_clock(workers, clock, settings):
    one, _other = workers
    auth = _sign_in(one)
    assert one.get("/api/v1/me", headers=auth).status_code == 200
    clock.advance(timedelta(days=settings.session_days, seconds=1))
    refused = one.get("/api/v1/me", headers=auth)
    assert refused.status_code == 401
    assert refused.json()["code"] == "session_ended"


def test_a_company_profile_changed_in_the_store_is_served_at_the_next_request(workers,
                                                                              settings):
    from dataclasses import replace

    from sqlalchemy import update

    from mlm_tui.core.company import demo_company, profile_to_json
    from mlm_tui.core.local import schema as t
    from mlm_tui.core.local.store import Store

    one, other = workers
    auth = _sign_in(other)
    assert other.post("/api/v1/cart/lines", headers={**auth, "Idempotency-Key": "one"},
                      json={"code": "33012", "quantity": 1}).status_code == 200
    before = one.get("/api/v1/company").json()["name"]
    store = Store(settings.store_path)  # as the company's staff would, from elsewhere
    with store.write() as conn:
        conn.execute(update(t.company).values(
            profile=profile_to_json(replace(demo_company("ru"), name="ООО «Новое имя»"))))
    store.close()
    assert one.get("/api/v1/company").json()["name"] == "ООО «Новое имя»"
    assert before != "ООО «Новое имя»"
