"""Codes and invoices are mailed after their transaction has committed: a slow mail server
holds up nobody else's writes, and a message that cannot be sent takes back what it was
for, so the store stays as it was and the user reads why."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from mlm_tui.core.errors import DeliveryFailed
from mlm_tui.core.local import LocalBackend
from mlm_tui.core.local.store import Store
from tests import world
from tests.core.test_auth import MARIA, snapshot
from tests.smtp import smtp_server


def _signed_in(settings, clock, store: Store, person: world.Person) -> LocalBackend:
    backend = LocalBackend(settings, clock=clock, store=store)
    backend.login(person.registration_number, world.PASSWORD)
    return backend


def test_while_the_mail_server_stalls_another_member_adds_to_her_cart(settings, clock):
    with smtp_server() as (inbox, smtp):
        store = Store(settings.store_path)
        try:
            mailing = replace(settings, smtp=smtp)
            anna = _signed_in(mailing, clock, store, world.ANNA)
            olga = _signed_in(mailing, clock, store, world.OLGA_MSK)
            inbox.stall()
            registered: list[object] = []
            sponsor = threading.Thread(
                target=lambda: registered.append(anna.register_member(MARIA)))
            sponsor.start()
            assert inbox.stalled.wait(30), "the activation code never reached the server"
            cart = olga.add_to_cart("32548", 1)  # the store's lock is free meanwhile
            assert [line.product.code for line in cart.lines] == ["32548"]
            assert inbox.messages == [] and not registered  # still stalled
            inbox.release()
            sponsor.join(30)
        finally:
            store.close()
    [member] = registered
    [message] = inbox.messages
    assert message["To"] == "maria.petrova@example.ru"
    assert member.registration_number in message.get_content()


def test_an_activation_code_that_cannot_be_sent_withdraws_the_registration(settings, clock):
    with smtp_server() as (inbox, smtp):
        mailing = replace(settings, smtp=smtp)
        store = Store(settings.store_path)
        try:
            anna = _signed_in(mailing, clock, store, world.ANNA)
            before = snapshot(anna)
            inbox.refuse = True
            with pytest.raises(DeliveryFailed) as failure:
                anna.register_member(MARIA)
            assert f"127.0.0.1:{smtp.port}" in failure.value.message
            assert snapshot(anna) == before
            inbox.refuse = False  # the sponsor sends her form again
            member = anna.register_member(MARIA)
        finally:
            store.close()
    assert member.registration_number == "2000002"
    [message] = inbox.messages
    assert "2000002" in message.get_content()


def test_a_reset_code_that_cannot_be_sent_is_withdrawn_and_may_be_asked_again(settings, clock):
    with smtp_server() as (inbox, smtp):
        backend = LocalBackend(replace(settings, smtp=smtp), clock=clock)
        try:
            before = snapshot(backend)
            inbox.refuse = True
            with pytest.raises(DeliveryFailed):
                backend.request_password_reset(world.ANNA.email)
            assert snapshot(backend) == before  # no code, no cooldown
            inbox.refuse = False
            backend.request_password_reset(world.ANNA.email)  # at once: not throttled
        finally:
            backend.close()
    [message] = inbox.messages
    assert message["To"] == world.ANNA.email
