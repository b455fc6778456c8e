"""Reset and activation codes in the store: short-lived, single use, a few tries each.

Only the argon2 hash of a code is kept. A new code retires the older ones of the same
purpose, so only the newest can ever be used. Checking a code tells the caller what
the member should hear ("wrong, 3 tries left", "expired", "already used") and counts
the try in the same transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, insert, select, update

from mlm_tui.core.errors import ValidationError
from mlm_tui.core.local import schema as t
from mlm_tui.core.passwords import verify_secret
from mlm_tui.i18n import _, ngettext

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
    if row.used_at is not None:
        return ValidationError(_("This code has already been used. Ask for a new one."),
                               field="code")
    if row.attempts >= MAX_TRIES:
        return ValidationError(_("Too many wrong tries for this code. Ask for a new one."),
                               field="code")
    if row.expires_at <= now:
        return ValidationError(_("This code has expired. Ask for a new one."), field="code")
    if not verify_secret(row.code_hash, code):
        conn.execute(update(c).where(c.c.id == row.id).values(attempts=c.c.attempts + 1))
        return _wrong_code(MAX_TRIES - row.attempts - 1)
    conn.execute(update(c).where(c.c.id == row.id).values(used_at=now))
    return None


def invalid_code() -> ValidationError:
    """For a member with no code at all, and for a contact with no account."""
    return ValidationError(_("This code is not valid. Ask for a new one."), field="code")


def _wrong_code(tries_left: int) -> ValidationError:
    if tries_left <= 0:
        return ValidationError(
            _("The code is wrong, and that was the last try. Ask for a new code."),
            field="code",
        )
    return ValidationError(
        ngettext("The code is wrong; {n} try left.", "The code is wrong; {n} tries left.",
                 tries_left).format(n=tries_left),
        field="code",
    )
