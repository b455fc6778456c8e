"""How failed logins slow a guesser down without ever locking a member out for good.

Five failures close to each other lock the login for 5 minutes; every further failure
after that doubles the lock, up to an hour. The count is forgotten after 15 quiet
minutes (no failure, no lock running), so a member who waits always gets back in.
Pure rules: the store keeps a :class:`FailureRecord` per login as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_FAILURES = 5
QUIET_WINDOW = timedelta(minutes=15)
FIRST_LOCK = timedelta(minutes=5)
LONGEST_LOCK = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class FailureRecord:
    failures: int
    last_failed_at: datetime
    locked_until: datetime | None = None


def login_key(login: str) -> str:
    """Failures are counted per login as typed, in one case: ``ANNA@x.ru`` is ``anna@x.ru``."""
    return login.strip().casefold()


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
