"""The sessions a server process has just read, kept for the next requests of their token.

Every request carries a bearer token, and reading its session is a transaction of its own:
for a member clicking through the catalog that is most of the work of a request. A session
read here is kept under its token's hash, and used again while

- nothing of the sign-in kind was written to the store since it was read (the change
  counters say so for the cost of one pragma). Signing out, a password reset and closing
  an account delete sessions, in whichever process of the server, and so end every kept
  one;
- it has not run out by the server's clock;
- it was read at most ``KEEP`` ago: anything else about the member (a name changed) shows
  within that.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from mlm_tui.core.changes import ChangeKind
from mlm_tui.core.local.store import Store
from mlm_tui.core.models import Session
from mlm_tui.core.passwords import token_hash

KEEP = timedelta(seconds=5)
MOST = 10_000  # sessions kept at once: past it the oldest go first


@dataclass(frozen=True, slots=True)
class _Kept:
    session: Session
    read_at: datetime
    cursor: int  # the store's change cursor just before the session was read


class SessionCache:
    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock
        self._kept: dict[str, _Kept] = {}
        self._lock = threading.Lock()

    def session(self, token: str, read: Callable[[str], Session]) -> Session:
        """The session of ``token``: kept, or ``read`` from the store (whose errors, a
        session that no longer stands, pass through)."""
        key = token_hash(token)
        now = self.clock()
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None and self._still_stands(kept, now):
            return kept.session
        # The cursor first: a sign-out committed after it shows as a change next time.
        cursor = self.store.changes_since(None).cursor
        session = read(token)
        with self._lock:
            if len(self._kept) >= MOST:
                del self._kept[next(iter(self._kept))]
            self._kept[key] = _Kept(session, now, cursor)
        return session

    def forget(self, token: str) -> None:
        """Drop the session of ``token`` (signed out here)."""
        with self._lock:
            self._kept.pop(token_hash(token), None)

    def _still_stands(self, kept: _Kept, now: datetime) -> bool:
        if kept.session.expires_at <= now or now - kept.read_at > KEEP or now < kept.read_at:
            return False
        return ChangeKind.SIGN_IN not in self.store.changes_since(kept.cursor).kinds
