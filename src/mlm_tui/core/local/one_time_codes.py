"""Reset and activation codes in the store: short-lived, single use, a few tries each.

Only the argon2 hash of a code is kept. A new code retires the older ones of the same
purpose, so only the newest can ever be used. Checking a code tells the caller what
the member should hear ("wrong, 3 tries left", "too many tries", "not valid or
expired", "already used") and counts the try in the same transaction.

A reset asked for a contact that has no account gets a decoy instead of a code: no code
exists, but its tries are counted and it runs out like one, so whoever types codes for a
contact hears the same answers whether an account has it or not. An expired code and no
code at all get the same answer for the same reason, and "already used" is said only for
the right code.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert, select, update

from mlm_tui.core.errors import N_plural, ValidationError
from mlm_tui.core.local import schema as t
from mlm_tui.core.passwords import verify_nothing, verify_secret
from mlm_tui.i18n import N_

RESET = "reset"
ACTIVATION = "activation"
MAX_TRIES = 5


def issue_code(
    conn: Connection,
    member_id: int,
    purpose: str,
    code_hash: str,
    now: datetime,
    valid_for: timedelta,
) -> datetime:
    """Store a new code and retire the older ones; returns when it expires."""
    c = t.one_time_codes
    conn.execute(
        update(c)
        .where(c.c.member_id == member_id, c.c.purpose == purpose, c.c.used_at.is_(None),
               c.c.expires_at > now)
        .values(expires_at=now)
    )
    expires_at = now + valid_for
    conn.execute(
        insert(c).values(member_id=member_id, purpose=purpose, code_hash=code_hash,
                         created_at=now, expires_at=expires_at, attempts=0)
    )
    return expires_at


def use_code(
    conn: Connection, member_id: int, purpose: str, code: str, now: datetime
) -> ValidationError | None:
    """Spend ``code`` (``None``) or say why not; a wrong code uses up one try.

    The error is returned, not raised, so the caller can commit the counted try first.
    """
    c = t.one_time_codes
    row = conn.execute(
        select(c.c.id, c.c.code_hash, c.c.expires_at, c.c.attempts, c.c.used_at)
        .where(c.c.member_id == member_id, c.c.purpose == purpose)
        .order_by(c.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return invalid_code()
    refused = _refused(row.expires_at, row.attempts, now)
    if refused is not None:
        return refused
    if not verify_secret(row.code_hash, code):
        conn.execute(update(c).where(c.c.id == row.id).values(attempts=c.c.attempts + 1))
        return _wrong_code(MAX_TRIES - row.attempts - 1)
    if row.used_at is not None:
        return ValidationError(N_("This code has already been used. Ask for a new one."),
                               field="code")
    conn.execute(update(c).where(c.c.id == row.id).values(used_at=now))
    return None


def issue_decoy(conn: Connection, contact_key: str, now: datetime,
                valid_for: timedelta) -> None:
    """A code sent to nobody: tries on it are counted as on a real one."""
    lf = t.login_failures
    conn.execute(delete(lf).where(lf.c.login_key.startswith(_DECOY, autoescape=True),
                                  lf.c.locked_until <= now))
    key = _DECOY + contact_key
    conn.execute(delete(lf).where(lf.c.login_key == key))
    conn.execute(insert(lf).values(login_key=key, failures=0, last_failed_at=now,
                                   locked_until=now + valid_for))


def use_decoy(conn: Connection, contact_key: str, code: str, now: datetime) -> ValidationError:
    """What a code typed for a contact without an account is told: what a wrong code is."""
    lf = t.login_failures
    key = _DECOY + contact_key
    row = conn.execute(
        select(lf.c.failures, lf.c.locked_until).where(lf.c.login_key == key)
    ).first()
    if row is None or row.locked_until is None:
        return invalid_code()
    refused = _refused(row.locked_until, row.failures, now)
    if refused is not None:
        return refused
    verify_nothing(code)  # the time a real code takes to check
    conn.execute(update(lf).where(lf.c.login_key == key).values(failures=lf.c.failures + 1))
    return _wrong_code(MAX_TRIES - row.failures - 1)


def invalid_code() -> ValidationError:
    """For no code at all, an expired one, and a contact with no account alike."""
    return ValidationError(N_("This code is not valid or has expired. Ask for a new one."),
                           field="code")


# Decoys share the login throttling table, keyed apart from any login.
_DECOY = "reset-code:"


def _refused(expires_at: datetime, attempts: int, now: datetime) -> ValidationError | None:
    """Refusals that come before the code is even looked at."""
    if expires_at <= now:
        return invalid_code()
    if attempts >= MAX_TRIES:
        return ValidationError(N_("Too many wrong tries for this code. Ask for a new one."),
                               field="code")
    return None


def _wrong_code(tries_left: int) -> ValidationError:
    if tries_left <= 0:
        return ValidationError(
            N_("The code is wrong, and that was the last try. Ask for a new code."),
            field="code",
        )
    return ValidationError(
        N_plural("The code is wrong; {n} try left.", "The code is wrong; {n} tries left."),
        field="code", params={"n": tries_left},
    )
