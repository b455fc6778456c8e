"""What pricing reads at every search, cart change and checkout (the company profile, the
current period, its promotions), kept across transactions while nobody changes them.

The catalog's change counter cannot tell: every order takes stock, which is a write to the
catalog's products. So the company, periods and promotions have a counter of their own,
``PRICING_KEY`` in ``meta``, bumped before the commit of any write that touched one of
them (see :func:`mlm_tui.core.local.changes.count_changes`), by any process on the store.
A transaction reads it once, in its own snapshot: what is kept under that value is what
the transaction would have read itself. A transaction that wrote one of them reads afresh.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine

from mlm_tui.core.local.changes import PRICING_KEY, PRICING_TABLES, written_tables
from mlm_tui.core.local.read_once import read_once

T = TypeVar("T")
_COUNTER = f"SELECT value FROM meta WHERE key = '{PRICING_KEY}'"  # one primary-key look-up
_KEPT_AT_MOST = 64  # answers per store: a few days and periods, each with its promotions
_kept: weakref.WeakKeyDictionary[Engine, dict[Hashable, tuple[Any, Any]]] = (
    weakref.WeakKeyDictionary())
_lock = threading.Lock()


def kept_pricing(conn: Connection, key: Hashable, read: Callable[[], T]) -> T:
    """What ``read`` answers (it reads the company, periods or promotions only), read
    again only when the store's pricing counter moved since it was kept."""
    if conn.get_transaction() is None or written_tables(conn) & PRICING_TABLES:
        return read()
    counter = read_once(conn, PRICING_KEY, PRICING_TABLES, lambda: _counter(conn))
    kept_answer: T | None = _kept_under(conn.engine, key, counter)
    if kept_answer is not None:
        return kept_answer
    answer = read()
    if answer is None:
        return answer  # no catalog yet: the demo's bulk load moves no counter
    with _lock:
        kept = _kept.setdefault(conn.engine, {})
        if len(kept) >= _KEPT_AT_MOST:
            kept.clear()
        kept[key] = (counter, answer)
    return answer


def kept_while_current(conn: Connection, key: Hashable) -> Any | None:
    """What is kept under ``key`` if the pricing counter still says it stands, else None:
    one statement, for a caller outside any transaction of its own (a server's request
    asking for the company), who then reads afresh in a transaction (``kept_pricing``)."""
    return _kept_under(conn.engine, key, _counter(conn))


def _kept_under(engine: Engine, key: Hashable, counter: Any) -> Any | None:
    """What is kept under ``key`` if it was kept at ``counter`` (None is never kept)."""
    with _lock:
        found = _kept.get(engine, {}).get(key)
    return found[1] if found is not None and found[0] == counter else None


def _counter(conn: Connection) -> Any:
    # Through the driver: the statement is too small for SQLAlchemy's cost per call.
    cursor = conn.connection.driver_connection.execute(_COUNTER)  # type: ignore[union-attr]
    row = cursor.fetchone()
    cursor.close()
    return None if row is None else row[0]
