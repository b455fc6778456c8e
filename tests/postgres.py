"""The contract suite's third way: RemoteBackend -> the test server -> PostgreSQL.

Each test worker makes a database of its own on the PostgreSQL server of
``MLM_TUI_TEST_POSTGRES`` (default: the one on 127.0.0.1:5432, user postgres) and drops it
when the run ends. Before each test the test's store file (the world, and whatever the test
wrote into it first) is copied into that database whole (``core.local.copy``), so every
test starts from the state it would have on SQLite.

Most tests start from the same few files (the world, the world with its orders): the rows
a file was copied into are kept in a schema of their own in that database, and the next
test on a file with the same bytes gets them back in one statement, not a copy of its
dozens of tables in as many round trips.

Without a PostgreSQL server those tests are skipped, saying why; with
``MLM_TUI_REQUIRE_POSTGRES=1`` (CI) they fail instead.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SERVER = os.environ.get("MLM_TUI_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
REQUIRED = os.environ.get("MLM_TUI_REQUIRE_POSTGRES") == "1"


def _admin():
    import psycopg

    try:
        return psycopg.connect(SERVER, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if _listening():
            raise  # a server answers and refused us (a password, a role): say so loudly
        message = str(exc).strip()
        unavailable(message.splitlines()[0] if message else type(exc).__name__)
        raise  # not reached: ``unavailable`` skips or fails the test


def _listening() -> bool:
    """Whether anything listens where ``SERVER`` says PostgreSQL is: only its absence makes
    the tests over PostgreSQL a skip; every other error fails them."""
    from sqlalchemy import make_url

    url = make_url(SERVER)
    host, port = url.host or "", url.port or 5432
    if not host or host.startswith("/"):  # a Unix socket
        return os.path.exists(os.path.join(host or "/var/run/postgresql", f".s.PGSQL.{port}"))
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError:
        return False
    return True


def unavailable(reason: str) -> None:
    message = (f"PostgreSQL at {SERVER} cannot be used ({reason}): the contract tests "
               "over PostgreSQL are skipped")
    if REQUIRED:
        pytest.fail(message.replace("are skipped", "must run (MLM_TUI_REQUIRE_POSTGRES=1)"))
    pytest.skip(message)


def database_url(name: str) -> str:
    from sqlalchemy import make_url

    return make_url(SERVER).set(database=name).render_as_string(hide_password=False)


PREFIX = "mlm_tui_test"
# Who made a test database, in its comment: a run killed before it dropped its databases
# leaves them behind, and the next run drops those whose maker no longer runs.
HOST = socket.gethostname()
MADE_BY = f"made by the mlm-tui tests, process {{pid}} on {HOST}"
_MAKER = re.compile(r"made by the mlm-tui tests, process (\d+) on (.+)")


def make_database(prefix: str = PREFIX, **options: str) -> str:
    """A new, empty database (its name); ``options``: of CREATE DATABASE (``LC_CTYPE``...).

    Only a server that is not there makes this a skip (``unavailable``); a server that
    refuses (a role, a password, a bad option) fails the test that asked."""
    assert prefix.startswith(PREFIX), "the leftovers of dead runs are found by this prefix"
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with _admin() as admin:
        _drop_leftovers_once(admin)
        extra = "".join(f" {key} '{value}'" for key, value in options.items())
        admin.execute(f"CREATE DATABASE {name}{extra}")
        admin.execute(f"COMMENT ON DATABASE {name} IS '{MADE_BY.format(pid=os.getpid())}'")
        # A test database need not survive a crash: no flush to disk at each commit.
        admin.execute(f"ALTER DATABASE {name} SET synchronous_commit = off")
    return name


def drop_database(name: str) -> None:
    with _admin() as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def drop_leftovers(admin) -> list[str]:
    """Drop the test databases made on this host by processes that no longer run (a run
    that was killed); those of live processes, this run's other workers' among them, stay.
    The names dropped."""
    rows = admin.execute(
        "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database "
        "WHERE datname LIKE %s", (PREFIX.replace("_", r"\_") + "%",)).fetchall()
    dropped = []
    for name, comment in rows:
        maker = _MAKER.fullmatch(comment or "")
        if maker is None or maker[2] != HOST or _running(int(maker[1])):
            continue  # another machine's, one of an older suite, or a live run's
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        dropped.append(name)
    return dropped


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


_checked_leftovers = False


def _drop_leftovers_once(admin) -> None:
    global _checked_leftovers
    if not _checked_leftovers:
        drop_leftovers(admin)
        _checked_leftovers = True


@pytest.fixture(scope="session")
def postgres_store() -> Iterator[object]:
    """This worker's database, as a store (the schema made), dropped at the end."""
    from mlm_tui.core.local.postgres import PostgresStore

    name = make_database()
    store = PostgresStore(database_url(name))
    yield store
    store.close()
    drop_database(name)


def load_into(postgres_store, store_path) -> None:
    """The store file's rows, all of them, in the database instead of what it held."""
    from mlm_tui.core.local.copy import copy_store
    from mlm_tui.core.local.store import Store

    bytes_seen = _digest(Path(store_path))
    kept = _KEPT.setdefault(postgres_store.url, {})
    if bytes_seen in kept:
        _restore(postgres_store, kept[bytes_seen])
        return
    source = Store(store_path)
    try:
        copy_store(source, postgres_store)
    finally:
        source.close()
    if len(kept) < KEPT_FILES:
        kept[bytes_seen] = _keep(postgres_store, f"kept_{len(kept)}")


# Per database: the digest of a store file -> the rows it was copied into, kept.
_KEPT: dict[str, dict[str, Kept]] = {}
KEPT_FILES = 8  # a test that wrote its own file first is copied as before


def _digest(store_path: Path) -> str:
    """The file's bytes with its write-ahead log's: rows written there are the file's too."""
    digest = hashlib.sha256()
    for path in (store_path, store_path.with_name(store_path.name + "-wal")):
        if path.exists():
            digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _tables(conn) -> tuple[list[str], list[str]]:
    """The store's tables in the order their foreign keys allow them to be filled, and the
    search words that only PostgreSQL has (filled by triggers on the store's)."""
    from mlm_tui.core.local import schema

    ordered = [table.name for table in schema.metadata.sorted_tables]
    rest = sorted(name for (name,) in conn.exec_driver_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'") if name not in ordered)
    return ordered, rest


@dataclass(frozen=True)
class Kept:
    schema: str  # where the rows are kept
    ordered: list[str]  # the store's tables, in the order they are filled
    words: list[str]  # the search words' tables


def _keep(postgres_store, schema_name: str) -> Kept:
    with postgres_store.engine.begin() as conn:
        ordered, words = _tables(conn)
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema_name} CASCADE")
        conn.exec_driver_sql(f"CREATE SCHEMA {schema_name}")
        for name in ordered + words:
            conn.exec_driver_sql(f'CREATE TABLE {schema_name}."{name}" AS TABLE public."{name}"')
    return Kept(schema_name, ordered, words)


def _restore(postgres_store, kept: Kept) -> None:
    """The rows ``kept``, and numbering going on after them, in one round
    trip. The search words are kept too: a product put back marks its words stale (a
    trigger), the kept ones replace them."""
    from mlm_tui.core.local.copy import restart_numbering

    ordered, words = kept.ordered, kept.words

    def emptied(names: list[str]) -> list[str]:
        return [f'DELETE FROM public."{name}"' for name in names]

    def filled(names: list[str]) -> list[str]:
        return [f'INSERT INTO public."{name}" SELECT * FROM {kept.schema}."{name}"'
                for name in names]

    statements = [*emptied(words), *emptied(ordered[::-1]), *filled(ordered),
                  *emptied(words), *filled(words)]
    with postgres_store.engine.begin() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None
        driver.execute(";\n".join(statements).encode())
        restart_numbering(conn)
