"""The SQLite file: engine, connection settings, transactions, schema upgrades.

Every domain operation runs in exactly one transaction: ``write()`` opens it with
``BEGIN IMMEDIATE`` so two writers never deadlock on an upgrade from a read lock;
``read()`` takes a consistent snapshot. WAL lets readers go on while one writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool

from mlm_tui.core.errors import DomainError
from mlm_tui.core.local import migrations

BUSY_TIMEOUT_MS = 5000
# The largest integer SQLite keeps: an id or a page position beyond it names no row, and
# handing it to SQLite fails outright.
MAX_ROW_ID = 2**63 - 1


class StoreError(DomainError):
    """The store file cannot be used (locked too long, corrupt, unwritable)."""

    code = "store"


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN, not the sqlite3 module.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a crash loses no commit
    cursor.close()


def _on_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


class Store:
    """One SQLite file, opened and upgraded to the current schema."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        # Connections are kept: a new one reads the whole schema on its first statement,
        # which costs more than a catalog search. Each is used by one thread at a time.
        self.engine: Engine = create_engine(
            f"sqlite+pysqlite:///{path}",
            poolclass=QueuePool,
            pool_size=4,
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(self.engine, "connect", _on_connect)
        event.listen(self.engine, "begin", _on_begin)
        self.upgrade()

    def upgrade(self) -> None:
        with self.write() as conn:
            version = migrations.current_version(conn)
            if version == 0:
                migrations.create_fresh(conn)
                return
        for from_version, step in migrations.pending_steps(version):
            with self.write() as conn:
                step(conn)
                migrations.finish_step(conn, from_version)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction; rolled back whole on any exception."""
        try:
            connection = self.engine.connect().execution_options(sqlite_begin="IMMEDIATE")
            with connection as conn, conn.begin():
                yield conn
        except DBAPIError as exc:
            raise StoreError(f"the store could not be written: {exc.orig}") from exc

    @contextmanager
    def read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except DBAPIError as exc:
            raise StoreError(f"the store could not be read: {exc.orig}") from exc

    def close(self) -> None:
        self.engine.dispose()
