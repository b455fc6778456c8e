"""The team server's idempotency keys, kept in the store so that every server process on
it agrees: a request that creates something is answered once per (member, key); a retry
with the same key and request gets the first answer again.

The key is looked up, the request runs and its answer is kept in one write transaction
(``Store.one_transaction``): a request that fails, or a process that dies half-way,
leaves neither its effects nor its key behind, and a copy of the request racing the
first waits for it and then gets its answer. Answers are kept for ``KEPT``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, delete, insert, select

from mlm_tui.core.errors import IdempotencyKeyReused
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.store import one_request_at_a_time

KEPT = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class KeptAnswer:
    status: int
    body: str


def kept_answer(conn: Connection, member_id: int, key: str, request_hash: str,
                now: datetime) -> KeptAnswer | None:
    """The kept answer of this key, or None when the request is to run now.
    ``IdempotencyKeyReused`` for the key sent with another request."""
    one_request_at_a_time(conn, member_id, key)
    mine = {"member": member_id, "key": key}
    conn.execute(_FORGET_OLD, {"member": member_id, "before": now - KEPT})
    row = conn.execute(_KEPT_ANSWER, mine).first()
    if row is None:
        return None
    if row.request_hash != request_hash:
        raise IdempotencyKeyReused(
            "this Idempotency-Key was sent with another request", field="idempotency_key")
    if row.status is None:
        # Taken, never answered: left by an earlier server version that was stopped.
        conn.execute(_FORGET, mine)
        return None
    return KeptAnswer(row.status, row.response or "")


def keep(conn: Connection, member_id: int, key: str, request_hash: str, now: datetime,
         status: int, body: str) -> None:
    """Keep the answer of the request that ran under ``key``, in its own transaction."""
    conn.execute(_KEEP, dict(member_id=member_id, key=key, request_hash=request_hash,
                             created_at=now, status=status, response=body))


def forget(conn: Connection, member_id: int, key: str) -> None:
    """Drop the kept answer of ``key``: what it answered was taken back after its commit
    (a message that could not be sent), so a retry must run the request again."""
    conn.execute(_FORGET, {"member": member_id, "key": key})


# Built once: every order, cart change and other request that creates something runs
# them, and building a statement cost more than SQLite takes to run it.
_k = t.idempotency_keys
_MINE = (_k.c.member_id == bindparam("member")) & (_k.c.key == bindparam("key"))
_FORGET_OLD = delete(_k).where(_k.c.member_id == bindparam("member"),
                               _k.c.created_at < bindparam("before"))
_KEPT_ANSWER = select(_k).where(_MINE)
_FORGET = delete(_k).where(_MINE)
_KEEP = insert(_k)
