"""A server process runs a few requests at a time and answers the rest in turn."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from mlm_tui.core.local import LocalBackend
from mlm_tui.server.app import REQUEST_THREADS, create_app


def test_a_process_runs_its_few_requests_at_a_time_and_answers_those_that_wait(
        settings, clock, monkeypatch):
    running, most, counting = 0, 0, threading.Lock()
    company = LocalBackend.company

    def slow_company(self):
        nonlocal running, most
        with counting:
            running += 1
            most = max(most, running)
        time.sleep(0.2)
        with counting:
            running -= 1
        return company(self)

    app = create_app(settings, clock=clock, address_limit=None)
    monkeypatch.setattr(LocalBackend, "company", slow_company)
    asked = 3 * REQUEST_THREADS
    with TestClient(app) as client, ThreadPoolExecutor(asked) as clients:
        answers = list(clients.map(lambda _n: client.get("/api/v1/company"), range(asked)))
    assert [answer.status_code for answer in answers] == [200] * asked
    assert {answer.json()["name"] for answer in answers} == {answers[0].json()["name"]}
    assert most == REQUEST_THREADS == 4
