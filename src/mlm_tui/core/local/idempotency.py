"""The team server's idempotency keys, kept in the store so that every server process on
it agrees: a request that creates something is answered once per (member, key); a retry
with the same key and request gets the first answer again.

A key is taken (a row without an answer) before the request runs, so two copies of one
request racing each other cannot both run: the second is told the first is still being
answered. A taken key whose request never finished (the process died) is free again after
``ABANDONED``. Answers are kept for ``KEPT``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update

from mlm_tui.core.errors import IdempotencyKeyInUse, IdempotencyKeyReused
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.store import Store

ABANDONED = timedelta(minutes=2)
KEPT = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class KeptAnswer:
    status: int
    body: str


def take(store: Store, member_id: int, key: str, request_hash: str,
         now: datetime) -> KeptAnswer | None:
    """The kept answer of this key, or None when the request is to run now (the key is then
    taken). ``IdempotencyKeyReused`` for the key sent with another request;
    ``IdempotencyKeyInUse`` while its first request is still running."""
    k = t.idempotency_keys
    mine = (k.c.member_id == member_id) & (k.c.key == key)
    with store.write() as conn:
        conn.execute(delete(k).where(k.c.member_id == member_id, k.c.created_at < now - KEPT))
        row = conn.execute(select(k).where(mine)).first()
        if row is None:
            conn.execute(insert(k).values(member_id=member_id, key=key,
                                          request_hash=request_hash, created_at=now))
            return None
        if row.request_hash != request_hash:
            raise IdempotencyKeyReused(
                "this Idempotency-Key was sent with another request", field="idempotency_key")
        if row.status is not None:
            return KeptAnswer(row.status, row.response or "")
        if row.created_at > now - ABANDONED:
            raise IdempotencyKeyInUse("the first request with this Idempotency-Key is still "
                                      "being answered", field="idempotency_key")
        conn.execute(update(k).where(mine).values(created_at=now))
        return None


def keep(store: Store, member_id: int, key: str, status: int, body: str) -> None:
    """Keep the answer of the request that took ``key``."""
    k = t.idempotency_keys
    with store.write() as conn:
        conn.execute(update(k).where(k.c.member_id == member_id, k.c.key == key)
                     .values(status=status, response=body))


def release(store: Store, member_id: int, key: str) -> None:
    """Free a key whose request failed: a retry may run it again."""
    k = t.idempotency_keys
    with store.write() as conn:
        conn.execute(delete(k).where(k.c.member_id == member_id, k.c.key == key,
                                     k.c.status.is_(None)))
