"""A ceiling on the requests one client address may make of one kind (signing in,
resetting a password, registering) in a window, counted in the store so that every server
process on it counts together. It stands beside the per-account throttle: that one stops
guessing one account's password, this one stops one address trying many accounts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert, select, update

from mlm_tui.core.errors import Throttled
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.store import Store


def count_request(store: Store, kind: str, address: str, now: datetime, *, ceiling: int,
                  window: timedelta) -> None:
    """Count one request; ``Throttled`` (with the window's end) past ``ceiling``."""
    a = t.address_requests
    key = f"{kind}:{address}"
    with store.write() as conn:
        row = conn.execute(select(a).where(a.c.key == key)).first()
        if row is None:
            conn.execute(insert(a).values(key=key, window_start=now, requests=1))
            return
        if row.window_start <= now - window or row.window_start > now:
            conn.execute(update(a).where(a.c.key == key).values(window_start=now, requests=1))
            return
        if row.requests >= ceiling:
            raise Throttled("too many requests from this address; try again later",
                            retry_at=row.window_start + window)
        conn.execute(update(a).where(a.c.key == key).values(requests=row.requests + 1))
