"""The SQLite file: engine, connection settings, transactions, schema upgrades.

Every domain operation runs in exactly one transaction: ``write()`` opens it with
``BEGIN IMMEDIATE`` so two writers never deadlock on an upgrade from a read lock;
``read()`` takes a consistent snapshot. WAL lets readers go on while one writes.

A store that must not be written is opened read-only and says why (``read_only``):
one made by a newer mlm-tui, whose schema this one does not know, or one in a folder
or file this process may not write. Reading goes on; every write is refused with the
reason. A file that cannot be a store (empty, or of an unknown version) is refused.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote

try:
    import fcntl
except ImportError:  # not on Windows
    fcntl = None  # type: ignore[assignment]

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    Table,
    create_engine,
    event,
    func,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool

from mlm_tui.core import files
from mlm_tui.core.changes import Changes
from mlm_tui.core.errors import DomainError
from mlm_tui.core.files import PRIVATE, FileModes
from mlm_tui.core.local import migrations, schema
from mlm_tui.core.local.changes import (
    ChangeWatch,
    count_changes,
    note_written_tables,
    start_noting,
)
from mlm_tui.core.local.search_index import add_search_functions

BUSY_TIMEOUT_MS = 5000
# Connections kept open: as many as a server process runs requests at once (anyio's 40
# threads), since one opened past the pool's size is thrown away after its request and the
# next reads the whole schema again. An app opens one or two.
POOL_SIZE = 40
# How long after its turn at the write lock a process lets a waiting writer of another
# process go first, at most (the waiter polls every millisecond).
HANDOVER_SECONDS = 0.05
# The largest integer SQLite keeps: an id or a page position beyond it names no row, and
# handing it to SQLite fails outright.
MAX_ROW_ID = 2**63 - 1


# A write's turn: alone (no other write at the same time); beside others of its kind
# (checkouts, guarded by row locks); or later, when its first write inside says which
# (``one_transaction``).
ALONE, BESIDE, LATER = "alone", "beside", "later"


# On a PostgreSQL connection's info: the write lock its transaction holds (ALONE, BESIDE,
# or None before its first write); a SQLite connection has none, its file lock is held.
TURN = "mlm_tui.turn"


def one_request_at_a_time(conn: Connection, member_id: int, key: str) -> None:
    """Copies of one request (a member's Idempotency-Key) run one after the other, so the
    later finds the earlier's answer: needed where the transaction does not yet hold the
    write lock alone (PostgreSQL, ``one_transaction`` before its first write)."""
    if conn.info.get(TURN, ALONE) == ALONE:
        return
    conn.execute(text("SELECT pg_advisory_xact_lock(:member, hashtext(:key))"),
                 {"member": member_id, "key": key})


class StoreError(DomainError):
    """The store file cannot be used (locked too long, corrupt, unwritable)."""

    code = "store"


class StoreBusy(StoreError):
    """A write that met another and was undone whole (a deadlock): it may be run again."""

    code = "store_busy"


class StoreReadOnly(StoreError):
    """A write to a store opened read-only; the message says why it is."""

    code = "store_read_only"


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN, not the sqlite3 module.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a crash loses no commit
    cursor.close()
    add_search_functions(dbapi_connection)  # the search index's triggers call them


def _on_connect_read_only(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only = ON")  # nothing reaches the file, whatever is asked
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.close()
    add_search_functions(dbapi_connection)


def _on_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


@dataclass(frozen=True, slots=True)
class AfterCommit:
    """Work that must not hold the write lock (a message to a mail server), run once its
    transaction has committed; ``undo`` takes back, in a transaction of its own, what the
    transaction did for it, should that work fail."""

    action: Callable[[], object] | None
    undo: Callable[[Connection], None] | None = None


class Store:
    """One SQLite file, opened and upgraded to the current schema."""

    def __init__(self, path: Path, modes: FileModes = PRIVATE) -> None:
        self.path = path
        self.read_only: str | None = None  # why the store may not be written, if it may not
        # The transaction of ``one_transaction`` on each thread, which that thread's
        # ``write()`` and ``read()`` join.
        self._joined = threading.local()
        self._writing = threading.RLock()
        self._writers = 0  # this process's write() calls open (by the lock's holder)
        self._lock_fd: int | None = None
        self._queue_fd = -1  # the store's folder, opened with the lock's file
        self._handing_over_until = 0.0  # a waiting writer of another process goes first
        _check_is_a_store(path)
        if not path.exists():
            make_folder(path.parent, modes)
            _new_store_file(path, modes)
        elif not _may_write(path):
            self.read_only = (f"{path} is open read-only: this user may not write it or "
                              "its folder")
        else:
            _take_over(path, modes)
        self.engine = self._engine()
        self.upgrade()
        self._watch = ChangeWatch(self._watch_connection)

    def _engine(self) -> Engine:
        # Connections are kept: a new one reads the whole schema on its first statement,
        # which costs more than a catalog search. Each is used by one thread at a time.
        timeout = BUSY_TIMEOUT_MS / 1000
        if self.read_only is None:
            engine = create_engine(f"sqlite+pysqlite:///{self.path}", poolclass=QueuePool,
                                   pool_size=POOL_SIZE, connect_args={"check_same_thread": False,
                                                              "timeout": timeout})
            event.listen(engine, "connect", _on_connect)
            note_written_tables(engine)
        else:
            engine = create_engine("sqlite+pysqlite://", poolclass=QueuePool,
                                   pool_size=POOL_SIZE,
                                   creator=lambda: _connect_read_only(self.path, timeout))
            event.listen(engine, "connect", _on_connect_read_only)
        event.listen(engine, "begin", _on_begin)
        return engine

    @property
    def where(self) -> str:
        """The store as messages name it."""
        return str(self.path)

    def upgrade(self) -> None:
        with self.read() as conn:
            version = self._version(conn)
        if version > schema.SCHEMA_VERSION:
            self._reopen_read_only(
                f"{self.path} was made by a newer mlm-tui (schema {version}; this one "
                f"knows up to {schema.SCHEMA_VERSION}): it is open read-only, update "
                "mlm-tui to change it")
            return
        if version == schema.SCHEMA_VERSION:
            return
        if self.read_only is not None:
            raise StoreError(f"{self.path} needs an upgrade to this mlm-tui's schema, and "
                             f"may not be written: {self.read_only}", field="store")
        self._bring_to_current()

    def _bring_to_current(self) -> None:
        """Create the schema in an empty store, or upgrade an older one, in one write."""
        with self.write() as conn:
            version = self._version(conn)  # another process may have got here first
            if version == 0:
                migrations.create_fresh(conn)
            elif version < schema.SCHEMA_VERSION:
                migrations.upgrade_to_current(conn)

    def _version(self, conn: Connection) -> int:
        try:
            return migrations.current_version(conn)
        except migrations.UnknownVersion as exc:
            raise StoreError(
                f"{self.where} says its schema version is {exc.args[0]!r}, which no mlm-tui "
                "writes: it is damaged or not a store", field="store") from exc

    def _reopen_read_only(self, reason: str) -> None:
        self.engine.dispose()
        self.read_only = reason
        self.engine = self._engine()

    @contextmanager
    def write(self, *, beside_others: bool = False) -> Iterator[Connection]:
        """One write transaction; rolled back whole on any exception. Inside
        ``one_transaction`` it is a savepoint of that transaction instead.

        Writes take turns. One ``beside_others`` (a checkout) may run at the same time as
        others of its kind on a store that allows it (PostgreSQL): it guards what it reads
        to change with ``lock_rows`` and takes new ids with ``next_id``. Here, in one file,
        it takes its turn as any write does."""
        yield from self._write(ALONE if not beside_others else BESIDE)

    def _write(self, turn: str) -> Iterator[Connection]:
        if self.read_only is not None:
            raise StoreReadOnly(self.read_only, field="store")
        joined: Connection | None = getattr(self._joined, "conn", None)
        if joined is not None:
            after: list[AfterCommit] = self._joined.after
            registered = len(after)
            self._take_turn(joined, turn)
            try:
                with joined.begin_nested():
                    yield joined
            except BaseException:
                del after[registered:]  # rolled back: nothing to do for it after all
                raise
            return
        outer_after = getattr(self._joined, "after", None)
        self._joined.after = after = []
        try:
            with self._write_locked(turn) as conn:
                yield conn
        finally:
            self._joined.after = outer_after
        self._run_after_commit(after)

    def after_commit(self, action: Callable[[], object] | None,
                     undo: Callable[[Connection], None] | None = None) -> None:
        """Run ``action`` when this thread's write transaction has committed and the
        store's lock is free again (at once when none is open); dropped if it rolls
        back. If an action then fails, the ``undo`` of every step of that transaction
        runs in one new transaction and the action's error is raised from the ``with``
        that wrote. (A step may give only an ``undo``: it is taken back when another's
        action fails.)"""
        after: list[AfterCommit] | None = getattr(self._joined, "after", None)
        if after is None:
            if action is not None:
                action()
            return
        after.append(AfterCommit(action, undo))

    def _run_after_commit(self, after: list[AfterCommit]) -> None:
        for step in after:
            if step.action is None:
                continue
            try:
                step.action()
            except BaseException:
                undos = [s.undo for s in reversed(after) if s.undo is not None]
                if undos:
                    with self.write() as conn:
                        for undo in undos:
                            undo(conn)
                raise

    def _take_turn(self, conn: Connection, turn: str) -> None:
        """A write inside ``one_transaction``: here the transaction has its turn already."""

    def lock_rows(self, conn: Connection, table: Table,
                  where: ColumnElement[bool]) -> None:
        """Rows a write ``beside_others`` reads to change (a balance's owner, a product's
        stock): nobody else changes them until it commits. Here the write has the whole
        file to itself already."""

    def next_id(self, conn: Connection, table: Table) -> int:
        """The id of the row about to be written into ``table`` (an order's, whose number
        is made of it). Here the last one plus one: the write has the file to itself."""
        last: int | None = conn.execute(_last_id(table)).scalar_one()
        return (last or 0) + 1

    @contextmanager
    def _write_locked(self, turn: str = ALONE) -> Iterator[Connection]:
        # Writers take turns here rather than in SQLite's busy handler, which polls with
        # sleeps growing to 100 ms: with many writers waiting (a server's requests, in
        # several processes) some waited seconds while the lock stood free. The threads
        # of a process queue on a lock; one of them at a time waits for the store file's
        # flock, which the other processes take the same way.
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        if not self._writing.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise StoreError(f"{self.path} could not be written: it stayed busy",
                             field="store")
        try:
            if self._writers == 0:
                self._lock_file(deadline)
            self._writers += 1
        except BaseException:
            self._writing.release()
            raise
        try:
            connection = self.engine.connect().execution_options(sqlite_begin="IMMEDIATE")
            with connection as conn, conn.begin():
                start_noting(conn)
                yield conn
                count_changes(conn)
        except DBAPIError as exc:
            raise StoreError(f"{self.path} could not be written: {exc.orig}",
                             field="store") from exc
        finally:
            self._writers -= 1
            if self._writers == 0 and self._lock_fd is not None and fcntl is not None:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
                self._handing_over_until = time.monotonic() + HANDOVER_SECONDS
            self._writing.release()

    def _lock_file(self, deadline: float) -> None:
        """The store file's flock, by ``deadline``. Polled, not waited for: a second
        Store on the same file in this thread must get an error, not wait forever.

        Handed over fairly: a process that polls for it says so with a shared flock on
        the store's folder while it waits, and a process that has just had its turn lets
        such a waiter have the next one. Otherwise the process holding the lock, whose
        next writer is already queued, takes it again before a poll of another process
        comes round, turn after turn, and that process's writers wait seconds."""
        if fcntl is None:
            return  # no flock here: SQLite's busy handler alone orders the processes
        if self._lock_fd is None:
            self._lock_fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
            self._queue_fd = os.open(self.path.parent, os.O_RDONLY | os.O_CLOEXEC)
        while time.monotonic() < self._handing_over_until and self._others_wait():
            self._wait_a_moment(deadline)
        waiting = False
        try:
            while True:
                try:
                    fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return
                except BlockingIOError:
                    if not waiting:
                        waiting = _try_flock(self._queue_fd, fcntl.LOCK_SH)
                    self._wait_a_moment(deadline)
        finally:
            if waiting:
                fcntl.flock(self._queue_fd, fcntl.LOCK_UN)

    def _others_wait(self) -> bool:
        """Whether a writer of another process waits for the lock (holds the folder's
        shared flock)."""
        if not _try_flock(self._queue_fd, fcntl.LOCK_EX):
            return True
        fcntl.flock(self._queue_fd, fcntl.LOCK_UN)
        return False

    def _wait_a_moment(self, deadline: float) -> None:
        if time.monotonic() > deadline:
            raise StoreError(f"{self.path} could not be written: it stayed busy",
                             field="store")
        time.sleep(0.001)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        joined: Connection | None = getattr(self._joined, "conn", None)
        if joined is not None:
            yield joined  # what this thread's transaction wrote so far is seen
            return
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except DBAPIError as exc:
            raise StoreError(f"{self.path} could not be read: {exc.orig}",
                             field="store") from exc

    @contextmanager
    def read_one(self) -> Iterator[Connection]:
        """A read of a single statement, which is a consistent snapshot by itself: on
        PostgreSQL it needs no transaction (one round trip instead of three); here it is
        ``read()``."""
        with self.read() as conn:
            yield conn

    def joined(self) -> bool:
        """Whether this thread is inside ``one_transaction``."""
        return getattr(self._joined, "conn", None) is not None

    @contextmanager
    def one_transaction(self) -> Iterator[Connection]:
        """One write transaction that every ``write()`` and ``read()`` of this thread joins
        until it ends: several steps (a server's request and the answer it keeps for its
        Idempotency-Key) commit together or not at all."""
        # Its turn is taken by the first write inside: a checkout's beside others.
        with contextmanager(self._write)(LATER) as conn:
            self._joined.conn = conn
            try:
                yield conn
            finally:
                self._joined.conn = None

    def check(self) -> None:
        """Read the file once: ``StoreError`` when it cannot be (a server's readiness)."""
        with self.read() as conn:
            conn.exec_driver_sql("SELECT 1")

    def changes_since(self, cursor: int | None) -> Changes:
        """The kinds of data written since ``cursor`` (see :mod:`core.local.changes`)."""
        try:
            return self._watch.since(cursor)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path} could not be read: {exc}", field="store") from exc

    def _watch_connection(self) -> sqlite3.Connection:
        timeout = BUSY_TIMEOUT_MS / 1000
        if self.read_only is not None:
            return _connect_read_only(self.path, timeout)
        connection = sqlite3.connect(self.path, timeout=timeout, check_same_thread=False)
        connection.isolation_level = None  # each read sees the latest commit
        connection.execute("PRAGMA query_only = ON")
        return connection

    def close(self) -> None:
        self._watch.close()
        self.engine.dispose()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            os.close(self._queue_fd)
            self._lock_fd = None


@cache
def _last_id(table: Table) -> Select[int | None]:
    # Built once per table: an order is written at every checkout.
    return select(func.max(table.c.id))


def _try_flock(fd: int, kind: int) -> bool:
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _check_is_a_store(path: Path) -> None:
    """SQLite takes an empty file for a new store and fills it with an empty schema: a
    store truncated by a full disk or a bad copy would then look merely empty ("wrong
    password"). Say what it is instead."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path} cannot be opened: {exc.strerror}", field="store") from exc
    if size == 0:
        raise StoreError(f"{path} is empty (0 bytes), so it is not a store: restore it from a "
                         "backup, or remove it to start afresh", field="store")


def make_folder(folder: Path, modes: FileModes = PRIVATE) -> None:
    """The folder the store lives in, made if missing, or a ``StoreError`` saying why not."""
    try:
        files.make_folder(folder, modes)
    except OSError as exc:
        raise StoreError(f"the folder {folder} cannot be made: {exc.strerror}",
                         field="store") from exc


def _new_store_file(path: Path, modes: FileModes) -> None:
    # Made here, not by SQLite (0644 less the umask), so its -wal and -shm files, which
    # SQLite gives the store file's mode, are as private or as shared as it is.
    try:
        files.new_file(path, modes)
    except OSError as exc:
        raise StoreError(f"{path} cannot be made: {exc.strerror}", field="store") from exc


def _take_over(path: Path, modes: FileModes) -> None:
    """A store made before modes were set (0644), or just now shared: given its modes."""
    try:
        if modes.shared:
            files.take_over(path.parent, modes, modes.folder)
        for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            files.take_over(name, modes, modes.file)
    except OSError as exc:
        raise StoreError(f"{path}: its modes cannot be set: {exc.strerror}",
                         field="store") from exc


def _may_write(path: Path) -> bool:
    # The folder too: SQLite makes the -wal and -shm files beside the store.
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _connect_read_only(path: Path, timeout: float) -> sqlite3.Connection:
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    if not os.access(path.parent, os.W_OK) and not Path(f"{path}-wal").exists():
        # The -shm file WAL reads need cannot be made in a folder we may not write, and
        # no writer has the store open (it would have a -wal file): read it as it stands.
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)
