"""The store's change counters: which kinds of data each write transaction touched.

Every write goes through ``Store.write``; the tables its statements wrote are noted on the
connection as they run, and before the commit each kind they belong to gets the next
number of one sequence, kept in ``meta`` (``changes:orders`` = 42). So any process on the
file, and any writer, bumps them without the domain code saying so.

Reading them is the poll every open app makes every few seconds, so it must cost next to
nothing when nothing changed: a connection of its own asks SQLite's ``data_version``
(which moves when another connection commits, ours included) and reads the counters
only when it moved.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from sqlalchemy import Connection, Engine, TextClause, event, text
from sqlalchemy.sql.dml import UpdateBase

from mlm_tui.core.changes import ChangeKind, Changes

K = ChangeKind
TABLE_KINDS: dict[str, tuple[ChangeKind, ...]] = {
    "company": (K.CATALOG,),
    "periods": (K.CATALOG,),
    "categories": (K.CATALOG,),
    "products": (K.CATALOG,),
    "promotions": (K.CATALOG,),
    "members": (K.TEAM, K.ACCOUNT, K.CREDENTIALS),  # names, status, passwords
    "login_failures": (K.SIGN_IN,),
    "sessions": (K.SIGN_IN,),
    "one_time_codes": (K.SIGN_IN,),
    "cart_lines": (K.CART,),
    "cart_choices": (K.CART,),
    "orders": (K.ORDERS,),
    "order_lines": (K.ORDERS,),
    "order_status_history": (K.ORDERS,),
    "invoices": (K.ORDERS,),
    "shipments": (K.ORDERS,),
    "shipment_events": (K.ORDERS,),
    "delivery_stops": (K.ORDERS,),
    "balance_ledger": (K.ACCOUNT,),
    "points_ledger": (K.ACCOUNT,),
    "claims": (K.CLAIMS,),
    "claim_lines": (K.CLAIMS,),
    "notifications": (K.INBOX,),
    "training_progress": (K.TRAINING,),
    "payment_requests": (K.PAYMENTS,),  # a top-up pending, confirmed or refused
}
PREFIX = "changes:"
# The company profile, periods and promotions have a counter of their own besides the
# catalog's, which every order moves (it takes stock): what pricing reads is kept while it
# stands still (:mod:`mlm_tui.core.local.kept_pricing`). Numbered in the same sequence,
# and like them each store's own (a copy leaves it out); no kind a client is told of.
PRICING_KEY = PREFIX + "pricing"
PRICING_TABLES = frozenset({"company", "periods", "promotions"})
# Every key of the counters sorts between these two (';' follows ':'): an indexed range.
_COUNTERS = text("SELECT key, value FROM meta WHERE key >= 'changes:' AND key < 'changes;'")
_WRITTEN = "mlm_tui.written_tables"


def note_written_tables(engine: Engine) -> None:
    """Note on each connection the tables its insert, update and delete statements write,
    and how many such statements each table had."""

    def after_execute(conn: Connection, clause: Any, *_args: Any) -> None:
        written = conn.info.get(_WRITTEN)
        if written is not None and isinstance(clause, UpdateBase):
            name = getattr(clause.table, "name", None)
            if name:
                written[name] += 1

    event.listen(engine, "after_execute", after_execute)


def start_noting(conn: Connection) -> None:
    conn.info[_WRITTEN] = Counter()


def written_tables(conn: Connection) -> set[str]:
    """The tables the write transaction of ``conn`` has written so far (none in a read)."""
    return set(conn.info.get(_WRITTEN) or ())


def writes_to(conn: Connection, tables: Iterable[str]) -> tuple[object, int]:
    """Which write transaction ``conn`` is in (an object of its own) and how many statements
    it has sent so far that write ``tables``: equal answers mean nothing was written there
    in between."""
    written: Counter[str] = conn.info.get(_WRITTEN) or Counter()
    return written, sum(written[table] for table in tables)


def count_changes(conn: Connection, alone: Callable[[], None] = lambda: None) -> None:
    """Bump the counter of every kind the transaction wrote (call before it commits).
    ``alone`` is called first when there is any: from there to its commit the
    transaction must be the only one numbering."""
    written = set(conn.info.pop(_WRITTEN, None) or ())
    kinds = sorted({kind for table in written for kind in TABLE_KINDS.get(table, ())})
    if not kinds:
        return
    keys = [PREFIX + kind for kind in kinds]
    if written & PRICING_TABLES:
        keys.append(PRICING_KEY)
    alone()
    conn.execute(_bump(len(keys)), {f"key{n}": key for n, key in enumerate(keys)})


@cache
def _bump(keys: int) -> TextClause:
    """``keys`` counters (``:key0``…) set to the newest of all plus one, in one statement:
    on PostgreSQL a round trip fewer while the other checkouts wait to number. (``WHERE
    true`` tells SQLite's parser that the ``ON CONFLICT`` is the upsert's.)"""
    written = " UNION ALL ".join(f"SELECT :key{n} AS key" for n in range(keys))
    return text(
        "INSERT INTO meta(key, value) SELECT written.key, (SELECT CAST(coalesce(max("
        "CAST(value AS INTEGER)), 0) + 1 AS TEXT) FROM meta WHERE key >= 'changes:' AND "
        f"key < 'changes;') FROM ({written}) AS written WHERE true "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value")


class ChangeWatch:
    """Answers ``changes_since`` from a connection of its own, shared by threads."""

    def __init__(self, connect: Callable[[], sqlite3.Connection]) -> None:
        self._connect = connect
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._data_version: int | None = None
        self._counters: dict[ChangeKind, int] = {}
        self._closed = False

    def since(self, cursor: int | None) -> Changes:
        with self._lock:
            counters = self._read_counters()
        newest = max(counters.values(), default=0)
        if cursor is None:
            return Changes(newest)
        return Changes(newest, frozenset(k for k, v in counters.items() if v > cursor))

    def _read_counters(self) -> dict[ChangeKind, int]:
        if self._closed:  # a poll racing the store's closing must not open the file again
            raise sqlite3.ProgrammingError("the store is closed")
        if self._connection is None:
            self._connection = self._connect()
        version = self._connection.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            self._counters = _counters(self._connection.execute(_COUNTERS.text))
            self._data_version = version
        return self._counters

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._connection is not None:
                self._connection.close()
                self._connection = None
            self._data_version = None


def _counters(rows: Iterable[tuple[str, str]]) -> dict[ChangeKind, int]:
    known = {kind.value for kind in ChangeKind}
    counters = {}
    for key, value in rows:
        name = key.removeprefix(PREFIX)
        if name in known and value.isdigit():
            counters[ChangeKind(name)] = int(value)
    return counters
