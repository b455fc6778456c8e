"""The company's service staff: accounts apart from the members, and their sessions.

A service account confirms and rejects payments, imports bank statements and (later)
moves shipments: the company's side of the flows. It is no member: it has no cart, no
orders, no balance, and a member's token opens none of its doors (nor its token a
member's). Accounts are made on the store itself (``mlm-tui maintenance service-accounts
add NAME``); passwords are kept only as argon2id hashes and session tokens as SHA-256.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, select, update

from mlm_tui.core.errors import Conflict, InvalidCredentials, NotFound, ValidationError
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.store import Store
from mlm_tui.core.passwords import (
    hash_secret,
    new_token,
    token_hash,
    verify_nothing,
    verify_secret,
)
from mlm_tui.i18n import N_

NAME = re.compile(r"[a-z][a-z0-9._-]{1,63}")
MIN_PASSWORD = 12
SESSION_HOURS = 12  # a working day: the service signs in again each day


@dataclass(frozen=True, slots=True)
class ServiceAccount:
    id: int
    name: str
    created_at: datetime
    disabled_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ServiceSession:
    token: str
    name: str
    expires_at: datetime


def add_account(store: Store, name: str, password: str, *, now: datetime) -> ServiceAccount:
    name = _checked_name(name)
    if len(password) < MIN_PASSWORD:
        raise ValidationError(N_("A service password has at least {least} characters."),
                              field="password", params={"least": MIN_PASSWORD})
    hashed = hash_secret(password)
    a = t.service_accounts
    with store.write() as conn:
        if conn.execute(select(a.c.id).where(a.c.name == name)).first() is not None:
            raise Conflict(N_("There is a service account {name} already."), field="name",
                           params={"name": name})
        account_id = conn.execute(a.insert().values(
            name=name, password_hash=hashed, created_at=now).returning(a.c.id)).scalar_one()
    return ServiceAccount(account_id, name, now)


def list_accounts(store: Store) -> list[ServiceAccount]:
    a = t.service_accounts
    with store.read() as conn:
        rows = conn.execute(select(a.c.id, a.c.name, a.c.created_at, a.c.disabled_at)
                            .order_by(a.c.name)).all()
    return [ServiceAccount(r.id, r.name, r.created_at, r.disabled_at) for r in rows]


def disable_account(store: Store, name: str, *, now: datetime) -> None:
    """The account signs in no more, and its sessions end now."""
    a, s = t.service_accounts, t.service_sessions
    with store.write() as conn:
        account_id = _account_id(conn, name)
        conn.execute(update(a).where(a.c.id == account_id).values(disabled_at=now))
        conn.execute(delete(s).where(s.c.account_id == account_id))


def sign_in(store: Store, name: str, password: str, *, now: datetime) -> ServiceSession:
    """A session for the account; the same answer for an unknown name, a wrong password
    and a disabled account, after the same argon2 work. Failed attempts are counted per
    name as members' are: a guesser is slowed down, then locked out for a while."""
    from mlm_tui.core.local.auth import count_attempt, throttled, uncount_attempt

    a, s = t.service_accounts, t.service_sessions
    name = (name or "").strip().lower()
    key = f"service:{name}"[:254]
    with store.write() as conn:
        row = conn.execute(select(a).where(a.c.name == name)).first()
        lock_if_wrong = count_attempt(conn, key, now)
    if row is None:
        verify_nothing(password)
    if row is None or not verify_secret(row.password_hash, password) or row.disabled_at:
        if lock_if_wrong is not None:
            raise throttled(lock_if_wrong, now)
        raise InvalidCredentials(N_("The service account or its password is wrong."),
                                 field="password")
    token = new_token()
    expires_at = now + timedelta(hours=SESSION_HOURS)
    with store.write() as conn:
        uncount_attempt(conn, key, now)
        conn.execute(delete(s).where(s.c.account_id == row.id, s.c.expires_at <= now))
        conn.execute(s.insert().values(token_hash=token_hash(token), account_id=row.id,
                                       created_at=now, expires_at=expires_at))
    return ServiceSession(token, row.name, expires_at)


def account_of(store: Store, token: str, *, now: datetime) -> ServiceAccount | None:
    """The account whose live session ``token`` is; None for any other token."""
    a, s = t.service_accounts, t.service_sessions
    with store.read() as conn:
        row = conn.execute(
            select(a.c.id, a.c.name, a.c.created_at, a.c.disabled_at, s.c.expires_at)
            .select_from(s.join(a, a.c.id == s.c.account_id))
            .where(s.c.token_hash == token_hash(token or ""))).first()
    if row is None or row.expires_at <= now or row.disabled_at is not None:
        return None
    return ServiceAccount(row.id, row.name, row.created_at)


def sign_out(store: Store, token: str) -> None:
    s = t.service_sessions
    with store.write() as conn:
        conn.execute(delete(s).where(s.c.token_hash == token_hash(token)))


def _checked_name(name: str) -> str:
    name = (name or "").strip().lower()
    if not NAME.fullmatch(name):
        raise ValidationError(
            N_("A service account's name is 2 to 64 small letters, digits, dots, dashes or "
               "underscores, starting with a letter."), field="name")
    return name


def _account_id(conn: Connection, name: str) -> int:
    found: int | None = conn.execute(select(t.service_accounts.c.id).where(
        t.service_accounts.c.name == (name or "").strip().lower())).scalar_one_or_none()
    if found is None:
        raise NotFound(N_("There is no service account {name}."), field="name",
                       params={"name": name})
    return found
