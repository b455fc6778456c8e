"""A whole store copied into another (a SQLite file into a PostgreSQL database, or back):
every table in the order its foreign keys need, in one transaction of the target, which
is emptied first, so a copy that fails half-way leaves the target as it was and a copy
can simply be run again."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Table, delete, insert, select, text

from mlm_tui.core.local import schema
from mlm_tui.core.local.store import Store, StoreError

BATCH = 5000
MANY_ROWS = 10_000  # a copy of more is vacuumed and analysed at once
TRUNCATE_FROM_BYTES = 64 * 2**20  # a target holding more is emptied with TRUNCATE


def copy_store(source: Store, target: Store, *,
               progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy every row of ``source`` into ``target`` (emptied first); the rows per table."""
    counts: dict[str, int] = {}
    with source.read() as reading, target.write() as writing:
        versions = {_version(reading), _version(writing)}
        if len(versions) != 1:
            raise StoreError("both stores must have the same schema version to be copied: "
                             "upgrade the older one first", field="store")
        if reading.execute(select(schema.members.c.id).limit(1)).first() is None:
            # A store nobody belongs to holds nothing to move: the copy would only empty the
            # target (a mistyped source, a database made but never filled).
            raise StoreError(f"{source.where} holds no store (no members): nothing was copied "
                             f"and {target.where} is as it was", field="from")
        empty(writing)
        bulk = reading.dialect.name == "sqlite" and writing.dialect.name == "postgresql"
        for table in schema.metadata.sorted_tables:
            copy = _copy_table_by_copy if bulk else _copy_table
            counts[table.name] = copy(reading, writing, table, progress)
        restart_numbering(writing)
        if writing.dialect.name == "postgresql":
            from mlm_tui.core.local import postgres_search  # PostgreSQL's alone

            postgres_search.refresh(writing)  # COPY wrote rows no statement noted
    if target.engine.dialect.name == "postgresql" and sum(counts.values()) >= MANY_ROWS:
        from mlm_tui.core.local import postgres_search

        # Every table settled, after the copy's transaction: a copy the vacuum interrupts
        # is whole all the same.
        postgres_search.settle(target.engine)
    return counts


def _version(conn: Connection) -> str | None:
    value: str | None = conn.execute(
        select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
    ).scalar_one_or_none()
    return value


def empty(conn: Connection) -> None:
    """Every row of every table gone (the search words with them). A small store's rows are
    deleted: TRUNCATE makes every table's files anew, which costs more than they do. A
    large database's are truncated: deleting the 12M rows of a 1M-order store one by one
    made copying it again take 4 minutes instead of 2½."""
    tables = list(reversed(schema.metadata.sorted_tables))
    if conn.dialect.name == "postgresql" and _bytes_held(conn, tables) >= TRUNCATE_FROM_BYTES:
        # CASCADE takes the search words along: their tables refer to products and members.
        names = ", ".join(conn.dialect.identifier_preparer.quote(t.name) for t in tables)
        conn.exec_driver_sql(f"TRUNCATE {names} CASCADE")
        return
    for table in tables:
        conn.execute(delete(table))


def _bytes_held(conn: Connection, tables: list[Table]) -> int:
    held = conn.execute(text("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) "
                             "FROM pg_class AS c WHERE c.relkind = 'r' "
                             "AND c.relname = ANY(:names) "
                             "AND c.relnamespace = to_regnamespace(current_schema())"),
                        {"names": [t.name for t in tables]}).scalar_one()
    return int(held)


def _copy_table(reading: Connection, writing: Connection, table: Table,
                progress: Callable[[str, int], None] | None) -> int:
    copied = 0
    order = list(table.primary_key.columns) or list(table.columns)
    rows = reading.execution_options(yield_per=BATCH).execute(
        select(table).order_by(*order))
    for batch in rows.partitions(BATCH):
        writing.execute(insert(table), [row._asdict() for row in batch])
        copied += len(batch)
        if progress is not None:
            progress(table.name, copied)
    return copied


def _copy_table_by_copy(reading: Connection, writing: Connection, table: Table,
                        progress: Callable[[str, int], None] | None) -> int:
    """SQLite into PostgreSQL with COPY, ten times the rows a second of INSERTs. The rows
    go as SQLite holds them (integers of hundredths, ISO text, 0 and 1 for booleans),
    which is what the tables' types store and PostgreSQL reads."""
    names = ", ".join(f'"{column.name}"' for column in table.columns)
    order = ", ".join(f'"{column.name}"' for column in
                      (list(table.primary_key.columns) or list(table.columns)))
    rows = reading.exec_driver_sql(f'SELECT {names} FROM "{table.name}" ORDER BY {order}')
    driver = writing.connection.driver_connection
    assert driver is not None
    copied = 0
    with driver.cursor() as cursor, cursor.copy(
            f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for batch in rows.partitions(BATCH):
            for row in batch:
                copy.write_row(tuple(row))
            copied += len(batch)
            if progress is not None:
                progress(table.name, copied)
    return copied


def restart_numbering(conn: Connection) -> None:
    """PostgreSQL numbers new rows from a sequence that copied rows did not move: each
    starts again after the highest id copied (all in one statement)."""
    if conn.dialect.name != "postgresql":
        return
    numbered = [table.name for table in schema.metadata.sorted_tables
                if [c.name for c in table.primary_key.columns] == ["id"]
                and table.c.id.autoincrement in (True, "auto")]
    conn.execute(text(
        "SELECT setval(s.sequence, coalesce(s.highest, 0) + 1, false) FROM ("
        + " UNION ALL ".join(
            f"SELECT pg_get_serial_sequence('{name}', 'id') AS sequence, "
            f"(SELECT max(id) FROM {name}) AS highest" for name in numbered)
        + ") AS s WHERE s.sequence IS NOT NULL"))
