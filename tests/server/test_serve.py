"""``mlm-tui serve`` as a team runs it: a real process, two workers, one SQLite store."""

from __future__ import annotations

import signal
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

from mlm_tui.core.models import TopUpMethod
from mlm_tui.core.money import Money
from mlm_tui.core.remote import RemoteBackend
from mlm_tui.core.remote.routes import ROUTES
from tests import plain_http, world
from tests.served import serving


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``mlm-tui serve --workers 2`` on the world with its orders; its URL and its log."""
    data_dir = tmp_path_factory.mktemp("served")
    world.build_world(data_dir / "store.db", with_orders=True)
    log = data_dir / "server.log"
    with log.open("w") as out, serving(data_dir, workers=2, output=out) as (url, process):
        yield url, log, process


def test_it_says_it_is_alive_and_ready(served):
    url, _log, _process = served
    assert plain_http.get(f"{url}/healthz").json() == {"status": "alive"}
    assert plain_http.get(f"{url}/readyz").json() == {"status": "ready"}


def test_the_openapi_document_describes_every_endpoint(served):
    url, _log, _process = served
    document = plain_http.get(f"{url}/api/v1/openapi.json").json()
    for route in ROUTES:
        operation = document["paths"][f"/api/v1{route.path}"][route.verb.lower()]
        described = {p["name"] for p in operation.get("parameters", ())}
        assert set(route.path_names) <= described
        if route.creates:
            assert "Idempotency-Key" in described
    assert "Checkout" in document["components"]["schemas"]
    assert plain_http.get(f"{url}/api/v1/docs").status_code == 200


def test_many_writers_at_once_all_get_through(served):
    url, _log, _process = served
    clients = []
    for _ in range(6):
        client = RemoteBackend(url)
        client.login(world.ANNA.registration_number, world.PASSWORD)
        clients.append(client)
    before = clients[0].balance()

    def top_ups(client: RemoteBackend) -> list[str]:
        return [client.top_up(Money(Decimal(10), "RUB"), TopUpMethod.CARD).reference
                for _ in range(5)]

    with ThreadPoolExecutor(len(clients)) as pool:
        references = [ref for refs in pool.map(top_ups, clients) for ref in refs]
    assert len(set(references)) == 30  # each request has a reference of its own
    assert clients[0].balance() == before  # requested, not yet paid
    for client in clients:
        client.close()


def test_it_logs_one_line_per_request_and_no_secret(served):
    url, log, _process = served
    client = RemoteBackend(url)
    session = client.login(world.ANNA.registration_number, world.PASSWORD)
    client.order(world.ORDER_ANNA_PAID)
    client.close()
    time.sleep(0.3)
    text = log.read_text()
    assert "POST /api/v1/sessions 201" in text
    assert "GET /api/v1/orders/{number} 200" in text and "member=1" in text
    for secret in (session.token, world.PASSWORD, world.ORDER_ANNA_PAID, world.ANNA.email):
        assert secret not in text


def test_sigterm_ends_it_cleanly(served):
    _url, log, process = served
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert "Traceback" not in log.read_text()
