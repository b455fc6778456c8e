"""Schema versions and the steps between them.

A fresh file gets the current schema at once. A file of an older version is
upgraded in place, one step at a time, inside one transaction per step, so a
failure leaves it at the version it had. Never edit a released step: add one.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, inspect, text

from mlm_tui.core.local import schema

# Full-text search (SQLite FTS5). unicode61 folds case for every script (Cyrillic,
# umlauts) and strips diacritics; prefix indexes make 1-3 character queries instant.
FTS_DDL = (
    """CREATE VIRTUAL TABLE IF NOT EXISTS products_fts USING fts5(
        code, name, category,
        tokenize = "unicode61 remove_diacritics 2", prefix = '1 2 3')""",
    """CREATE TRIGGER IF NOT EXISTS products_fts_insert AFTER INSERT ON products BEGIN
        INSERT INTO products_fts(rowid, code, name, category)
        VALUES (new.id, new.code, new.name,
                (SELECT name FROM categories WHERE id = new.category_id));
    END""",
    """CREATE TRIGGER IF NOT EXISTS products_fts_delete AFTER DELETE ON products BEGIN
        DELETE FROM products_fts WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS products_fts_update AFTER UPDATE ON products BEGIN
        DELETE FROM products_fts WHERE rowid = old.id;
        INSERT INTO products_fts(rowid, code, name, category)
        VALUES (new.id, new.code, new.name,
                (SELECT name FROM categories WHERE id = new.category_id));
    END""",
    """CREATE VIRTUAL TABLE IF NOT EXISTS members_fts USING fts5(
        full_name, tokenize = "unicode61 remove_diacritics 2", prefix = '1 2 3')""",
    """CREATE TRIGGER IF NOT EXISTS members_fts_insert AFTER INSERT ON members BEGIN
        INSERT INTO members_fts(rowid, full_name) VALUES (new.id, new.full_name);
    END""",
    """CREATE TRIGGER IF NOT EXISTS members_fts_delete AFTER DELETE ON members BEGIN
        DELETE FROM members_fts WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS members_fts_update AFTER UPDATE OF full_name ON members
    BEGIN
        DELETE FROM members_fts WHERE rowid = old.id;
        INSERT INTO members_fts(rowid, full_name) VALUES (new.id, new.full_name);
    END""",
)

# Tables added after version 1; a version-1 file lacks them.
_ADDED_IN = {schema.training_progress.name: 2}


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table(schema.meta.name):
        return 0
    row = conn.execute(
        text("SELECT value FROM meta WHERE key = 'schema_version'")
    ).scalar_one_or_none()
    return int(row) if row is not None else 0


def _set_version(conn: Connection, version: int) -> None:
    conn.execute(
        text(
            "INSERT INTO meta(key, value) VALUES ('schema_version', :v) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        ),
        {"v": str(version)},
    )


def create_fresh(conn: Connection) -> None:
    schema.metadata.create_all(conn)
    if conn.dialect.name == "sqlite":
        for ddl in FTS_DDL:
            conn.exec_driver_sql(ddl)
    _set_version(conn, schema.SCHEMA_VERSION)


def create_version_1(conn: Connection) -> None:
    """The schema as version 1 shipped it: kept to make old files in tests."""
    tables = [t for t in schema.metadata.sorted_tables if t.name not in _ADDED_IN]
    schema.metadata.create_all(conn, tables=tables)
    if conn.dialect.name == "sqlite":
        for ddl in FTS_DDL:
            conn.exec_driver_sql(ddl)
    _set_version(conn, 1)


def _v1_to_v2(conn: Connection) -> None:
    schema.training_progress.create(conn, checkfirst=True)


STEPS: dict[int, Callable[[Connection], None]] = {1: _v1_to_v2}


def pending_steps(version: int) -> list[tuple[int, Callable[[Connection], None]]]:
    return [(v, STEPS[v]) for v in range(version, schema.SCHEMA_VERSION)]


def finish_step(conn: Connection, from_version: int) -> None:
    _set_version(conn, from_version + 1)
