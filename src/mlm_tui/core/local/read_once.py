"""What one transaction reads more than once, read once.

Adding to the cart reads the current period and its promotions to check the product, and
again to price the cart; placing an order does the same; all of it while the store's
write lock is held, which every other writer waits for. Within one transaction the store
cannot change but for its own writes, so an answer read there is kept on the connection
for the rest of that transaction, and not used once the transaction has written any of
the tables it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Connection

from mlm_tui.core.local.changes import written_tables

T = TypeVar("T")
_KEPT = "mlm_tui.read_once"


def read_once(conn: Connection, key: Hashable, tables: frozenset[str],
              read: Callable[[], T]) -> T:
    """What ``read`` answers, read at most once in the transaction of ``conn``, unless the
    transaction wrote one of ``tables`` (which ``read`` reads)."""
    transaction = conn.get_transaction()
    if transaction is None or written_tables(conn) & tables:
        return read()
    kept: tuple[Any, dict[Hashable, Any]] | None = conn.info.get(_KEPT)
    if kept is None or kept[0] is not transaction:
        # Another transaction's answers: the connection has been used again since.
        kept = (transaction, {})
        conn.info[_KEPT] = kept
    answers = kept[1]
    if key not in answers:
        answers[key] = read()
    answer: T = answers[key]
    return answer
