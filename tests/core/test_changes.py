"""The change signal: another backend on the same store file sees what was written."""

from __future__ import annotations

import re
import time
from decimal import Decimal

import pytest
from sqlalchemy import delete

from mlm_tui.core.changes import ChangeKind
from mlm_tui.core.errors import InvalidCredentials
from mlm_tui.core.local import LocalBackend
from mlm_tui.core.local import schema as t
from mlm_tui.core.models import TopUpMethod
from tests import world


@pytest.fixture
def second(settings, clock):
    """Another process's backend on the same store file, signed in as Anna."""
    other = LocalBackend(settings, clock=clock)
    other.login(world.ANNA.registration_number, world.PASSWORD)
    yield other
    other.close()


def test_a_start_cursor_reports_nothing(backend) -> None:
    assert not backend.changes_since(None).kinds


def test_nothing_changed_reports_no_kinds_and_the_same_cursor(backend) -> None:
    start = backend.changes_since(None)
    again = backend.changes_since(start.cursor)
    assert again.cursor == start.cursor
    assert not again


def test_a_top_up_by_another_backend_is_a_payments_change(backend, second) -> None:
    start = backend.changes_since(None)
    second.top_up(second.money(Decimal("500")), TopUpMethod.CARD)
    seen = backend.changes_since(start.cursor)
    assert ChangeKind.PAYMENTS in seen.kinds
    assert ChangeKind.ACCOUNT not in seen.kinds  # nothing is credited yet
    assert ChangeKind.ORDERS not in seen.kinds
    # Seen once: the next poll from the new cursor is quiet again.
    assert not backend.changes_since(seen.cursor)


def test_a_write_of_this_backend_shows_too(anna) -> None:
    start = anna.changes_since(None)
    anna.top_up(anna.money(Decimal("500")), TopUpMethod.CARD)
    assert ChangeKind.PAYMENTS in anna.changes_since(start.cursor).kinds


def test_a_cancelled_order_is_an_orders_and_account_change(world_orders, settings, clock,
                                                           second) -> None:
    first = LocalBackend(settings, clock=clock)
    try:
        start = first.changes_since(None)
        second.cancel_order(world.ORDER_ANNA_PAID)
        kinds = first.changes_since(start.cursor).kinds
    finally:
        first.close()
    assert {ChangeKind.ORDERS, ChangeKind.ACCOUNT} <= kinds


def test_a_failed_login_is_a_sign_in_change(anna, second) -> None:
    start = anna.changes_since(None)
    with pytest.raises(InvalidCredentials):
        second.login(world.ANNA.registration_number, "not her password")
    assert anna.changes_since(start.cursor).kinds == {ChangeKind.SIGN_IN}


def test_a_write_that_fails_half_way_counts_nothing(anna, second) -> None:
    start = anna.changes_since(None)
    with pytest.raises(RuntimeError), second.store.write() as conn:
        conn.execute(delete(t.orders))
        raise RuntimeError("stopped half-way")
    assert not anna.changes_since(start.cursor)


@pytest.mark.in_process
def test_the_poll_is_cheap_when_nothing_changed(backend) -> None:
    cursor = backend.changes_since(None).cursor
    rounds = 2000
    started = time.perf_counter()
    for _ in range(rounds):
        backend.changes_since(cursor)
    per_poll = (time.perf_counter() - started) / rounds
    assert per_poll < 0.0005, f"{per_poll * 1e6:.0f} µs a poll"


def test_a_password_reset_is_a_credentials_change(anna, second) -> None:
    from email import message_from_bytes, policy

    from mlm_tui.core.notifier import read_maildir

    start = anna.changes_since(None)
    second.request_password_reset(world.ANNA.email)
    assert ChangeKind.CREDENTIALS not in anna.changes_since(start.cursor).kinds
    # The mail is in Anna's language, so encoded: read as a mail program would.
    codes = re.findall(r"\b\d{8}\b", "".join(
        message_from_bytes(bytes(m), policy=policy.default).get_content()
        for m in read_maildir(second.settings.maildir)))
    second.confirm_password_reset(world.ANNA.email, codes[-1], "Lavender-field-77",
                                  "Lavender-field-77")
    assert ChangeKind.CREDENTIALS in anna.changes_since(start.cursor).kinds
