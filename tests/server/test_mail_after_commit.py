"""On the server a request that mails something (an invoice) commits with its
Idempotency-Key first and sends afterwards: a stalled mail server holds up no other
member's write, and a message that could not be sent leaves no kept answer behind."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from tests import world
from tests.smtp import smtp_server


@pytest.fixture
def mailing_server(settings, clock):
    from fastapi.testclient import TestClient

    from mlm_tui.server.app import create_app

    with smtp_server() as (inbox, smtp):
        app = create_app(replace(settings, smtp=smtp), clock=clock, address_limit=None)
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client, inbox


def _auth(client, person: world.Person) -> dict[str, str]:
    token = client.post("/api/v1/sessions", json={
        "login": person.registration_number, "password": world.PASSWORD}).json()["token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.usefixtures("world_orders")
def test_while_an_invoice_mail_stalls_another_member_adds_to_her_cart(mailing_server):
    client, inbox = mailing_server
    anna, olga = _auth(client, world.ANNA), _auth(client, world.OLGA_MSK)
    number = world.INVOICES[world.ORDER_ANNA_DELIVERED]
    inbox.stall()
    answers: list[object] = []
    mailing = threading.Thread(target=lambda: answers.append(client.post(
        f"/api/v1/invoices/{number}/emails", headers={**anna, "Idempotency-Key": "mail-1"})))
    mailing.start()
    assert inbox.stalled.wait(30), "the invoice never reached the mail server"
    added = client.post("/api/v1/cart/lines", json={"code": "32548", "quantity": 1},
                        headers={**olga, "Idempotency-Key": "line-1"})
    assert added.status_code == 200
    assert not answers  # the mail is still on its way
    inbox.release()
    mailing.join(30)
    [answer] = answers
    assert answer.status_code == 201
    [message] = inbox.messages
    assert message["To"] == world.ANNA.email and number in message["Subject"]


@pytest.mark.usefixtures("world_orders")
def test_an_invoice_mail_refused_is_sent_by_the_retry_with_its_key(mailing_server):
    client, inbox = mailing_server
    anna = {**_auth(client, world.ANNA), "Idempotency-Key": "mail-2"}
    path = f"/api/v1/invoices/{world.INVOICES[world.ORDER_ANNA_DELIVERED]}/emails"
    inbox.refuse = True
    refused = client.post(path, headers=anna)
    assert (refused.status_code, refused.json()["code"]) == (502, "delivery_failed")
    inbox.refuse = False
    sent = client.post(path, headers=anna)
    assert sent.status_code == 201 and "Idempotent-Replayed" not in sent.headers
    assert len(inbox.messages) == 1
