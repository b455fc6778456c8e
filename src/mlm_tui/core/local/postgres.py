"""The store on PostgreSQL: the same tables and queries as the SQLite file, for a server
that a whole company shares (``mlm-tui serve --database postgresql://…``).

What differs from SQLite lives here, one concern each:
- connections: psycopg 3 through SQLAlchemy's pool;
- writes: every write transaction first takes one transaction-scoped advisory lock, so
  writers take turns as they do on SQLite with ``BEGIN IMMEDIATE`` and its file lock, in
  every process and on every host that shares the database. The domain code was written
  for that order (stock is read, then written): nothing is ever lost to a concurrent
  update. Checkouts, the write a busy company makes most, take that lock shared
  (``write(beside_others=True)``): they run together, each locking the rows it reads to
  change (``lock_rows``: ``SELECT … FOR NO KEY UPDATE`` in id order) and going alone only
  for the change counters, just before its commit; every other write still waits for
  them, and they for it. A deadlock or serialization failure is ``StoreBusy``, and the
  call is run again;
- new ids (``next_id``: an order's, whose number is made of it) come from the table's
  sequence, so checkouts side by side never wait for one another's; a checkout rolled
  back leaves its number unused (on SQLite, where writes go one at a time, the numbers
  have no gaps);
- reads: one snapshot per read (``REPEATABLE READ``), as a SQLite read transaction is;
  a read of one statement (``read_one``) runs outside any transaction, one round trip;
- text order: every text column is created with the ``C`` collation, whatever the
  database's locale: a member's downline is a range of ``path`` ('/1/7/' .. '/1/70'), and
  a language's collation, which skips punctuation, would break it;
- search: :mod:`mlm_tui.core.local.postgres_search` (a B-tree of words and trigram indexes
  over folded words);
- change counters: read with one small query per poll (SQLite has ``data_version``);
- no JIT: every connection turns PostgreSQL's compiling of queries to machine code off.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    String,
    Table,
    create_engine,
    event,
    make_url,
    select,
    text,
)
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateColumn

from mlm_tui.core.changes import Changes
from mlm_tui.core.local import postgres_search, schema
from mlm_tui.core.local.changes import (
    _COUNTERS,
    _counters,
    count_changes,
    note_written_tables,
    start_noting,
)
from mlm_tui.core.local.store import (
    ALONE,
    BESIDE,
    TURN,
    Store,
    StoreBusy,
    StoreError,
    StoreReadOnly,
)

# Any constant: the key of the advisory lock every writer of one database takes in turn.
WRITE_LOCK = 0x6D6C6D  # "mlm"
# Another: the lock a write beside others takes for the change counters (the last one plus
# one), from just before its commit to the commit.
NUMBERING_LOCK = 0x6D6C6E
POOL_SIZE = 8
UPGRADE_COMMAND = "mlm-tui db upgrade"


def is_database_url(value: str | None) -> bool:
    """Whether ``value`` names a PostgreSQL database (else the store is a SQLite file)."""
    return bool(value) and str(value).startswith(("postgresql:", "postgresql+", "postgres:"))


def engine_url(url: str) -> str:
    """``postgresql://…`` as SQLAlchemy's psycopg 3 dialect names it."""
    try:
        parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    except ArgumentError as exc:
        raise StoreError(f"{redacted(url)} is not a database URL", field="store") from exc
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def redacted(url: str) -> str:
    """The URL without its password: for messages and logs."""
    try:
        return make_url(url.replace("postgres://", "postgresql://", 1)).render_as_string(
            hide_password=True)
    except ArgumentError:
        return "the database URL"


@compiles(CreateColumn, "postgresql")
def _text_in_code_point_order(element: CreateColumn, compiler: Any, **kw: Any) -> str:
    """Every text column orders and compares by code point, as SQLite's do (see above)."""
    column = element.element
    spec: str = compiler.visit_create_column(element, **kw)
    if isinstance(column.type, String) or isinstance(
            getattr(column.type, "impl_instance", None), String):
        name = compiler.preparer.format_column(column)
        kind = compiler.dialect.type_compiler_instance.process(column.type)
        spec = spec.replace(f"{name} {kind}", f'{name} {kind} COLLATE "C"', 1)
    return spec


def _without_jit(dbapi_connection: Any, _record: object) -> None:
    """PostgreSQL compiles a query to machine code when its estimated cost is high, and a
    history page at 1M orders is estimated high (it reads an index backwards and stops
    after a hundred rows): compiling took 10 ms of a query that runs in 0.3 ms. The
    store's queries are all that short, so nothing is compiled. Committed at once: a
    setting made in a transaction that is rolled back is undone with it."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    dbapi_connection.commit()


class PostgresStore(Store):
    """A PostgreSQL database holding the store's schema (made on first use)."""

    def __init__(self, url: str, *, may_upgrade: bool = False) -> None:
        # Store.__init__ opens a file: nothing of it applies here.
        self.url = url
        self.may_upgrade = may_upgrade
        self.path = Path(redacted(url))  # what messages name
        self.read_only: str | None = None
        self._joined = threading.local()
        self._writing = threading.RLock()
        self._writers = 0
        self._lock_fd: int | None = None
        self.engine = self._engine()
        self.upgrade()

    @property
    def where(self) -> str:
        return redacted(self.url)

    def _engine(self) -> Engine:
        engine = create_engine(engine_url(self.url), pool_size=POOL_SIZE,
                               max_overflow=POOL_SIZE)
        # No ping before each use (a round trip on every read and write): after the
        # database restarts, the one request that meets a dropped connection fails, and
        # SQLAlchemy then empties the pool, so the next ones get new connections.
        note_written_tables(engine)
        event.listen(engine, "connect", _without_jit)
        return engine

    def upgrade(self) -> None:
        """A new database gets the schema; one of an older version is upgraded only when
        asked (``may_upgrade``: ``mlm-tui db upgrade``), else refused naming that command:
        a server never changes a shared database's schema on its own."""
        with self.read() as conn:
            version = self._version(conn)
        if version == schema.SCHEMA_VERSION:
            return
        if version > schema.SCHEMA_VERSION:
            raise StoreError(
                f"{self.where} was made by a newer mlm-tui (schema {version}; this one "
                f"knows up to {schema.SCHEMA_VERSION}): update mlm-tui", field="store")
        if version != 0 and not self.may_upgrade:
            raise StoreError(
                f"{self.where} has schema {version} and needs upgrading to "
                f"{schema.SCHEMA_VERSION}: run `{UPGRADE_COMMAND}`", field="store")
        self._bring_to_current()
        if 0 < version < postgres_search.WORD_INDEX_VERSION:
            # The upgrade filled the word index whole: vacuumed now, its index is read
            # without the table, and the folded words keep no row from before the fold.
            postgres_search.settle(self.engine, "product_word", "product_words")

    @contextmanager
    def _write_locked(self, turn: str = ALONE) -> Iterator[Connection]:
        if self.read_only is not None:
            raise StoreReadOnly(self.read_only, field="store")
        try:
            with self.engine.connect() as conn, conn.begin():
                # The info stays with the pooled connection: what this transaction holds
                # is noted there only while it runs.
                conn.info[TURN] = None
                try:
                    self._take_turn(conn, turn)
                    start_noting(conn)
                    yield conn
                    postgres_search.refresh_if_written(conn)
                    # The change counters are the last one plus one: a write beside others
                    # goes alone from here to its commit (one alone is already).
                    count_changes(conn, alone=lambda: self._take_turn(conn, NUMBERED))
                finally:
                    del conn.info[TURN]
        except DBAPIError as exc:
            if _sqlstate(exc) in _TRY_AGAIN:
                raise StoreBusy(f"{self.where} could not be written: {_reason(exc)}",
                                field="store") from exc
            raise StoreError(f"{self.where} could not be written: {_reason(exc)}",
                             field="store") from exc

    def _take_turn(self, conn: Connection, turn: str) -> None:
        """The write lock, exclusive (alone) or shared (beside others: checkouts run
        together, and every other write waits for them as they wait for it); or, for a
        write beside others about to count its changes, the numbering lock."""
        held = conn.info.get(TURN)
        if turn == ALONE and held != ALONE:
            # From shared to exclusive, when a one_transaction began with a checkout and
            # then writes otherwise: two such at once deadlock, and one is tried again.
            conn.execute(_TAKETURN, {"key": WRITE_LOCK})
            conn.info[TURN] = ALONE
        elif turn == BESIDE and held is None:
            conn.execute(_TAKE_SHAREDTURN, {"key": WRITE_LOCK})
            conn.info[TURN] = BESIDE
        elif turn == NUMBERED and held != ALONE:
            conn.execute(_TAKETURN, {"key": NUMBERING_LOCK})
            conn.info[TURN] = NUMBERED

    def lock_rows(self, conn: Connection, table: Table,
                  where: ColumnElement[bool]) -> None:
        if conn.info.get(TURN) == ALONE:
            return  # nobody else writes meanwhile
        # In id order, so two checkouts wanting the same rows never hold one each. NO KEY
        # UPDATE: a row that merely refers to a locked one (an order to its buyer) is
        # written without waiting.
        conn.execute(select(table.c.id).where(where).order_by(table.c.id)
                     .with_for_update(key_share=True))

    def next_id(self, conn: Connection, table: Table) -> int:
        found: int = conn.execute(_NEXT_ID, {"table": table.name}).scalar_one()
        return found

    @contextmanager
    def read(self) -> Iterator[Connection]:
        # The level travels with the BEGIN psycopg sends before the first statement
        # (``BEGIN ISOLATION LEVEL REPEATABLE READ``): setting it on the connection is no
        # round trip of its own, where a ``SET TRANSACTION`` would be.
        with self._reading("REPEATABLE READ") as conn:
            yield conn

    @contextmanager
    def read_one(self) -> Iterator[Connection]:
        # One statement is a snapshot of its own: under AUTOCOMMIT no BEGIN and COMMIT go
        # around it (SQLAlchemy's transaction sends none), two round trips of the three.
        with self._reading("AUTOCOMMIT") as conn:
            yield conn

    @contextmanager
    def _reading(self, level: str) -> Iterator[Connection]:
        joined: Connection | None = getattr(self._joined, "conn", None)
        if joined is not None:
            yield joined
            return
        try:
            with self.engine.connect().execution_options(
                    isolation_level=level) as conn, conn.begin():
                yield conn
        except DBAPIError as exc:
            raise StoreError(f"{self.where} could not be read: {_reason(exc)}",
                             field="store") from exc

    def changes_since(self, cursor: int | None) -> Changes:
        with self.read_one() as conn:
            counters = _counters((key, value) for key, value in conn.execute(_COUNTERS))
        newest = max(counters.values(), default=0)
        if cursor is None:
            return Changes(newest)
        return Changes(newest, frozenset(k for k, v in counters.items() if v > cursor))

    def close(self) -> None:
        self.engine.dispose()


_TAKETURN = text("SELECT pg_advisory_xact_lock(:key)")
_TAKE_SHAREDTURN = text("SELECT pg_advisory_xact_lock_shared(:key)")
_NEXT_ID = text("SELECT nextval(pg_get_serial_sequence(:table, 'id'))")
# A write beside others that has taken the numbering lock too (on the connection's TURN).
NUMBERED = "numbered"
# Serialization failure, deadlock detected: nothing was written, the call may run again.
_TRY_AGAIN = frozenset({"40001", "40P01"})


def _sqlstate(exc: DBAPIError) -> str | None:
    return getattr(exc.orig, "sqlstate", None)


def _reason(exc: DBAPIError) -> str:
    # The driver's first line: the rest may quote the statement and its values.
    return str(exc.orig).strip().splitlines()[0] if exc.orig else "the database failed"
