"""The contract suite's third way: RemoteBackend -> the test server -> PostgreSQL.

Each test worker makes a database of its own on the PostgreSQL server of
``MLM_TUI_TEST_POSTGRES`` (default: the one on 127.0.0.1:5432, user postgres) and drops it
when the run ends. Before each test the test's store file (the world, and whatever the test
wrote into it first) is copied into that database whole (``core.local.copy``), so every
test starts from the state it would have on SQLite.

Without a PostgreSQL server those tests are skipped, saying why; with
``MLM_TUI_REQUIRE_POSTGRES=1`` (CI) they fail instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

SERVER = os.environ.get("MLM_TUI_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
REQUIRED = os.environ.get("MLM_TUI_REQUIRE_POSTGRES") == "1"


def _admin():
    import psycopg

    return psycopg.connect(SERVER, autocommit=True, connect_timeout=5)


def unavailable(reason: str) -> None:
    message = (f"PostgreSQL at {SERVER} cannot be used ({reason}): the contract tests "
               "over PostgreSQL are skipped")
    if REQUIRED:
        pytest.fail(message.replace("are skipped", "must run (MLM_TUI_REQUIRE_POSTGRES=1)"))
    pytest.skip(message)


def database_url(name: str) -> str:
    from sqlalchemy import make_url

    return make_url(SERVER).set(database=name).render_as_string(hide_password=False)


def make_database(prefix: str = "mlm_tui_test", **options: str) -> str:
    """A new, empty database (its name); ``options``: of CREATE DATABASE (``LC_CTYPE``...)."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with _admin() as admin:
            extra = "".join(f" {key} '{value}'" for key, value in options.items())
            admin.execute(f"CREATE DATABASE {name}{extra}")
            # A test database need not survive a crash: no flush to disk at each commit.
            admin.execute(f"ALTER DATABASE {name} SET synchronous_commit = off")
    except Exception as exc:  # no server, refused, no driver: all say the same
        unavailable(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
    return name


def drop_database(name: str) -> None:
    with _admin() as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


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

    source = Store(store_path)
    try:
        copy_store(source, postgres_store)
    finally:
        source.close()
