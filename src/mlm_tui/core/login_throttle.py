"""How failed logins slow a guesser down without ever locking a member out for good.

Five failures close to each other lock the account for 5 minutes; every further failure
after that doubles the lock, up to an hour. The count is forgotten after 15 quiet
minutes (no failure, no lock running), so a member who waits always gets back in. That
leaves a guesser about a dozen tries an hour on one account, far under the hundred that
ASVS allows.

Failures are counted per account, however the login was typed (registration number or
e-mail, any spacing or case); a login that names no account is counted under its
normalised form. Across all accounts at most :data:`MAX_FAILURES_PER_HOUR` failures are
allowed in an hour, against credential stuffing (one guess each for many accounts); past
that every login waits for the hour to end.

Pure rules: the store keeps a :class:`FailureRecord` per key and counts each attempt
before the password is checked, so parallel guesses cannot all slip in before a lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_FAILURES = 5
QUIET_WINDOW = timedelta(minutes=15)
FIRST_LOCK = timedelta(minutes=5)
LONGEST_LOCK = timedelta(hours=1)
MAX_FAILURES_PER_HOUR = 1000
HOUR = timedelta(hours=1)
# The key of the count across all accounts; no login typed can produce it.
ALL_LOGINS = "all-logins"


@dataclass(frozen=True, slots=True)
class FailureRecord:
    failures: int
    last_failed_at: datetime
    locked_until: datetime | None = None


def account_key(member_id: int) -> str:
    """The count of an account, whichever of its logins was typed."""
    return f"member:{member_id}"


def unknown_login_key(kind: str, value: str) -> str:
    """The count of a login that names no account, in its normalised form
    (``("email", "nobody@example.ru")``, ``("number", "1999999")``)."""
    return f"login:{kind}:{value}"


def keys_of_member(member_id: int, registration_number: str, email: str | None) -> list[str]:
    """Every count that may concern a member: the account's, and those of its logins from
    before it existed."""
    keys = [account_key(member_id), unknown_login_key("number", registration_number)]
    if email:
        keys.append(unknown_login_key("email", email.lower()))
    return keys


def locked_until(record: FailureRecord | None, now: datetime) -> datetime | None:
    """The end of the running lock, or ``None`` when the login may be tried."""
    if record is None or record.locked_until is None or record.locked_until <= now:
        return None
    return record.locked_until


def after_failure(record: FailureRecord | None, now: datetime) -> FailureRecord:
    """The record once one more attempt failed at ``now``."""
    failures = 1 if record is None or _forgotten(record, now) else record.failures + 1
    lock = None
    if failures >= MAX_FAILURES:
        doublings = min(failures - MAX_FAILURES, 8)  # 5 min x 2^8 is far past the cap
        lock = now + min(FIRST_LOCK * 2**doublings, LONGEST_LOCK)
    return FailureRecord(failures, now, lock)


def _forgotten(record: FailureRecord, now: datetime) -> bool:
    quiet_since = max(record.last_failed_at, record.locked_until or record.last_failed_at)
    return now - quiet_since >= QUIET_WINDOW


def after_failure_anywhere(record: FailureRecord | None, now: datetime) -> FailureRecord:
    """The count across all accounts once one more attempt failed at ``now``.

    Counted in fixed hours: ``last_failed_at`` is when the hour began, ``locked_until``
    its end once the ceiling is reached.
    """
    if record is None or now - record.last_failed_at >= HOUR:
        started, failures = now, 1
    else:
        started, failures = record.last_failed_at, record.failures + 1
    lock = started + HOUR if failures >= MAX_FAILURES_PER_HOUR else None
    return FailureRecord(failures, started, lock)


def after_success_anywhere(record: FailureRecord | None, now: datetime) -> FailureRecord | None:
    """The count across all accounts once an attempt counted in advance succeeded."""
    if record is None or now - record.last_failed_at >= HOUR:
        return record
    failures = max(record.failures - 1, 0)
    lock = record.locked_until if failures >= MAX_FAILURES_PER_HOUR else None
    return FailureRecord(failures, record.last_failed_at, lock)
