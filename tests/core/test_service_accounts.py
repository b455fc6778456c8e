"""The service's own accounts: argon2id passwords, sessions apart from the members', and
sign-in throttled as members' is."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mlm_tui.core.errors import InvalidCredentials, Throttled
from mlm_tui.core.local import schema as t
from mlm_tui.core.local import service_accounts as accounts
from mlm_tui.core.local.base import live_session
from mlm_tui.core.local.store import Store
from tests import world

PASSWORD = "service-pass-2026-long"


@pytest.fixture
def store(settings):
    store = Store(settings.store_path)
    accounts.add_account(store, "irina.service", PASSWORD, now=world.NOW)
    yield store
    store.close()


def test_a_service_session_is_no_members_session(store):
    held = accounts.sign_in(store, "Irina.Service", PASSWORD, now=world.NOW)
    assert accounts.account_of(store, held.token, now=world.NOW).name == "irina.service"
    with store.read() as conn:
        assert live_session(conn, held.token, world.NOW) is None
        stored = conn.execute(select(t.service_accounts.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_a_disabled_account_signs_in_no_more_and_its_sessions_end(store):
    held = accounts.sign_in(store, "irina.service", PASSWORD, now=world.NOW)
    accounts.disable_account(store, "irina.service", now=world.NOW)
    assert accounts.account_of(store, held.token, now=world.NOW) is None
    with pytest.raises(InvalidCredentials):
        accounts.sign_in(store, "irina.service", PASSWORD, now=world.NOW)


def test_a_guesser_is_locked_out_and_even_the_right_password_waits(store):
    for _ in range(5):
        with pytest.raises((InvalidCredentials, Throttled)):
            accounts.sign_in(store, "irina.service", "wrong-guess-123", now=world.NOW)
    with pytest.raises(Throttled):
        accounts.sign_in(store, "irina.service", PASSWORD, now=world.NOW)
