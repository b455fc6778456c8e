"""Schema versions and the steps between them.

A fresh store gets the current schema at once (and is stamped with the newest revision).
A store of an older version is upgraded in place by Alembic (``revisions/``), every
revision after its version in the one write transaction the store opens, so a failure
leaves it as it was. Never edit a released step: add one.

The store's version stays in ``meta`` (``schema_version``), which every mlm-tui reads (an
older one opens a newer store read-only); revision ``rNN`` leaves it at ``NN``. Each
revision up to 16 runs the hand-written step below that it is named after
(``run_step``). A new step is a new revision file: ``revisions/versions/rNN_*.py`` with
``down_revision`` the one before, its work in ``upgrade()`` (``op`` with batch mode on
SQLite, or a function here), and ``SCHEMA_VERSION`` raised to ``NN``.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, inspect, text

from mlm_tui.core.local import schema

# Full-text search (SQLite FTS5) up to version 5, kept for the steps that made it and for
# version-1 files in tests. unicode61 folds case for every script (Cyrillic,
# umlauts) and strips diacritics. Prefix indexes make a word typed so far a single term up
# to six letters ("крем", "парфю"): without one, each query merges every word it begins.
PRODUCTS_FTS_DDL = (
    """CREATE VIRTUAL TABLE IF NOT EXISTS products_fts USING fts5(
        code, name, category,
        tokenize = "unicode61 remove_diacritics 2", prefix = '1 2 3 4 5 6')""",
    """CREATE TRIGGER IF NOT EXISTS products_fts_insert AFTER INSERT ON products BEGIN
        INSERT INTO products_fts(rowid, code, name, category)
        VALUES (new.id, new.code, new.name,
                (SELECT name FROM categories WHERE id = new.category_id));
    END""",
    """CREATE TRIGGER IF NOT EXISTS products_fts_delete AFTER DELETE ON products BEGIN
        DELETE FROM products_fts WHERE rowid = old.id;
    END""",
    # Only what is indexed: stock changes with every order and must not touch the index.
    """CREATE TRIGGER IF NOT EXISTS products_fts_update
    AFTER UPDATE OF code, name, category_id ON products BEGIN
        DELETE FROM products_fts WHERE rowid = old.id;
        INSERT INTO products_fts(rowid, code, name, category)
        VALUES (new.id, new.code, new.name,
                (SELECT name FROM categories WHERE id = new.category_id));
    END""",
)
FTS_DDL = (
    *PRODUCTS_FTS_DDL,
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

# Since version 6 the index holds text folded by the same code that folds a query
# (``core.local.search_index``: NFC, casefold, ё as е, ß as ss, no accents on Latin
# letters, German spellings beside umlauts). The tokenizer only splits words: removing
# diacritics itself would disagree with the fold. A product's German spelling has a column
# of its own, so "begins with" holds for "oel" as for "öl".
FOLDED_PRODUCTS_FTS_DDL = (
    """CREATE VIRTUAL TABLE IF NOT EXISTS products_fts USING fts5(
        code, name, category, spelling,
        tokenize = "unicode61 remove_diacritics 0", prefix = '1 2 3 4 5 6')""",
    """CREATE TRIGGER IF NOT EXISTS products_fts_insert AFTER INSERT ON products BEGIN
        INSERT INTO products_fts(rowid, code, name, category, spelling)
        VALUES (new.id, new.code, search_name(new.name),
                search_text((SELECT name FROM categories WHERE id = new.category_id)),
                search_spelling(new.name));
    END""",
    """CREATE TRIGGER IF NOT EXISTS products_fts_delete AFTER DELETE ON products BEGIN
        DELETE FROM products_fts WHERE rowid = old.id;
    END""",
    # Only what is indexed: stock changes with every order and must not touch the index.
    """CREATE TRIGGER IF NOT EXISTS products_fts_update
    AFTER UPDATE OF code, name, category_id ON products BEGIN
        DELETE FROM products_fts WHERE rowid = old.id;
        INSERT INTO products_fts(rowid, code, name, category, spelling)
        VALUES (new.id, new.code, search_name(new.name),
                search_text((SELECT name FROM categories WHERE id = new.category_id)),
                search_spelling(new.name));
    END""",
)
FOLDED_MEMBERS_FTS_DDL = (
    """CREATE VIRTUAL TABLE IF NOT EXISTS members_fts USING fts5(
        full_name, tokenize = "unicode61 remove_diacritics 0", prefix = '1 2 3')""",
    """CREATE TRIGGER IF NOT EXISTS members_fts_insert AFTER INSERT ON members BEGIN
        INSERT INTO members_fts(rowid, full_name) VALUES (new.id, search_text(new.full_name));
    END""",
    """CREATE TRIGGER IF NOT EXISTS members_fts_delete AFTER DELETE ON members BEGIN
        DELETE FROM members_fts WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS members_fts_update AFTER UPDATE OF full_name ON members
    BEGIN
        DELETE FROM members_fts WHERE rowid = old.id;
        INSERT INTO members_fts(rowid, full_name) VALUES (new.id, search_text(new.full_name));
    END""",
)
FOLDED_SEARCH_INDEX_DDL = (*FOLDED_PRODUCTS_FTS_DDL, *FOLDED_MEMBERS_FTS_DDL)

# Since version 8 a product is also found by part of a word ("машка" finds «Ромашка»):
# trigrams of its code, name (both spellings) and category, folded, each word behind two
# spaces so that short words can still be asked for as word starts
# (``core.local.search_index``).
PRODUCTS_SUBSTRINGS_DDL = (
    """CREATE VIRTUAL TABLE IF NOT EXISTS products_substring_fts USING fts5(
        words, tokenize = "trigram")""",
    """CREATE TRIGGER IF NOT EXISTS products_substring_fts_insert AFTER INSERT ON products
    BEGIN
        INSERT INTO products_substring_fts(rowid, words)
        VALUES (new.id, search_substrings(new.code || ' ' || new.name || ' ' ||
                (SELECT name FROM categories WHERE id = new.category_id)));
    END""",
    """CREATE TRIGGER IF NOT EXISTS products_substring_fts_delete AFTER DELETE ON products
    BEGIN
        DELETE FROM products_substring_fts WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS products_substring_fts_update
    AFTER UPDATE OF code, name, category_id ON products BEGIN
        DELETE FROM products_substring_fts WHERE rowid = old.id;
        INSERT INTO products_substring_fts(rowid, words)
        VALUES (new.id, search_substrings(new.code || ' ' || new.name || ' ' ||
                (SELECT name FROM categories WHERE id = new.category_id)));
    END""",
)
SEARCH_INDEX_DDL = (*FOLDED_SEARCH_INDEX_DDL, *PRODUCTS_SUBSTRINGS_DDL)

# Tables added after version 1; a version-1 file lacks them.
_ADDED_IN = {schema.training_progress.name: 2, schema.idempotency_keys.name: 9,
             schema.address_requests.name: 9, schema.service_accounts.name: 13,
             schema.service_sessions.name: 13, schema.payment_requests.name: 13,
             schema.provider_events.name: 13, schema.delivery_stops.name: 14}


class UnknownVersion(ValueError):
    """The file names a schema version that is not a number (``args[0]``: what it says)."""


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table(schema.meta.name):
        return 0
    row = conn.execute(
        text("SELECT value FROM meta WHERE key = 'schema_version'")
    ).scalar_one_or_none()
    if row is None:
        return 0
    if isinstance(row, int):
        return row
    if not (isinstance(row, str) and row.isascii() and row.isdigit()):
        raise UnknownVersion(row)
    return int(row)


def _set_version(conn: Connection, version: int) -> None:
    conn.execute(
        text(
            "INSERT INTO meta(key, value) VALUES ('schema_version', :v) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        ),
        {"v": str(version)},
    )


def create_fresh(conn: Connection) -> None:
    """The current schema, made whole, on an empty store."""
    schema.metadata.create_all(conn)
    if conn.dialect.name == "sqlite":
        for ddl in SEARCH_INDEX_DDL:
            conn.exec_driver_sql(ddl)
    elif conn.dialect.name == "postgresql":
        from mlm_tui.core.local import postgres_search  # its DDL is PostgreSQL's alone

        postgres_search.create(conn)
    _set_version(conn, schema.SCHEMA_VERSION)
    _alembic("stamp", conn, revision_of(schema.SCHEMA_VERSION))


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


def _v2_to_v3(conn: Connection) -> None:
    # A file made by ``create_version_1`` from today's tables has the columns already.
    present = {column["name"] for column in inspect(conn).get_columns(schema.claims.name)}
    for column in (schema.claims.c.decided_at, schema.claims.c.credit):
        if column.name not in present:
            kind = column.type.compile(dialect=conn.dialect)
            conn.execute(text(f"ALTER TABLE claims ADD COLUMN {column.name} {kind}"))


def _v3_to_v4(conn: Connection) -> None:
    # As above: a file made from today's tables has the column already.
    present = {column["name"] for column in inspect(conn).get_columns(schema.cart_lines.name)}
    if "paid_with_points" not in present:
        conn.execute(text("ALTER TABLE cart_lines ADD COLUMN paid_with_points BOOLEAN "
                          "NOT NULL DEFAULT false"))


def _v4_to_v5(conn: Connection) -> None:
    """An index that covers a member's volume; the product index gets longer prefixes
    and an update trigger that ignores stock, and is built anew from the products."""
    schema.ORDERS_VOLUME.create(conn, checkfirst=True)
    if conn.dialect.name != "sqlite":
        return
    for trigger in ("insert", "delete", "update"):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS products_fts_{trigger}")
    conn.exec_driver_sql("DROP TABLE IF EXISTS products_fts")
    for ddl in PRODUCTS_FTS_DDL:
        conn.exec_driver_sql(ddl)
    conn.exec_driver_sql(
        "INSERT INTO products_fts(rowid, code, name, category) "
        "SELECT p.id, p.code, p.name, c.name FROM products AS p "
        "JOIN categories AS c ON c.id = p.category_id")


def _v5_to_v6(conn: Connection) -> None:
    """Both search indexes built anew from folded text (see ``SEARCH_INDEX_DDL``)."""
    if conn.dialect.name != "sqlite":
        return
    for table in ("products", "members"):
        for trigger in ("insert", "delete", "update"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_fts_{trigger}")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}_fts")
    for ddl in FOLDED_SEARCH_INDEX_DDL:
        conn.exec_driver_sql(ddl)
    conn.exec_driver_sql(
        "INSERT INTO products_fts(rowid, code, name, category, spelling) "
        "SELECT p.id, p.code, search_name(p.name), search_text(c.name), "
        "search_spelling(p.name) FROM products AS p "
        "JOIN categories AS c ON c.id = p.category_id")
    conn.exec_driver_sql("INSERT INTO members_fts(rowid, full_name) "
                         "SELECT id, search_text(full_name) FROM members")


def _v6_to_v7(conn: Connection) -> None:
    """When each order was paid, taken from its status history (None: not paid yet)."""
    present = {column["name"] for column in inspect(conn).get_columns(schema.orders.name)}
    if "paid_at" not in present:
        kind = schema.orders.c.paid_at.type.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE orders ADD COLUMN paid_at {kind}"))
    conn.execute(text(
        "UPDATE orders SET paid_at = (SELECT min(h.at) FROM order_status_history AS h "
        "WHERE h.order_id = orders.id AND h.status = 'paid') WHERE paid_at IS NULL"))


def _v7_to_v8(conn: Connection) -> None:
    """The substring index, filled from the products (see ``PRODUCTS_SUBSTRINGS_DDL``)."""
    if conn.dialect.name != "sqlite":
        return
    for ddl in PRODUCTS_SUBSTRINGS_DDL:
        conn.exec_driver_sql(ddl)
    conn.exec_driver_sql("DELETE FROM products_substring_fts")
    conn.exec_driver_sql(
        "INSERT INTO products_substring_fts(rowid, words) "
        "SELECT p.id, search_substrings(p.code || ' ' || p.name || ' ' || c.name) "
        "FROM products AS p JOIN categories AS c ON c.id = p.category_id")


def _v8_to_v9(conn: Connection) -> None:
    """The team server's idempotency keys and its per-address request counts."""
    schema.idempotency_keys.create(conn, checkfirst=True)
    schema.address_requests.create(conn, checkfirst=True)


def _v9_to_v10(conn: Connection) -> None:
    """The ledgers' entries found by order: showing an order no longer reads a whole
    ledger."""
    for table in (schema.balance_ledger, schema.points_ledger):
        for index in table.indexes:
            if index.name in ("ix_balance_order", "ix_points_order"):
                index.create(conn, checkfirst=True)


def _v10_to_v11(conn: Connection) -> None:
    """A member's own language; notices kept as a code with parameters, and a claim's
    decision as the service's own words. Nothing is filled in: a member without a language
    is written to in the company's, a notice without a code and a decision without its
    note show the text they were stored with."""
    for table, columns in ((schema.members, (schema.members.c.language,)),
                           (schema.notifications, (schema.notifications.c.code,
                                                   schema.notifications.c.params)),
                           (schema.claims, (schema.claims.c.note,))):
        present = {column["name"] for column in inspect(conn).get_columns(table.name)}
        for column in columns:
            if column.name not in present:
                kind = column.type.compile(dialect=conn.dialect)
                conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}"))


def _v11_to_v12(conn: Connection) -> None:
    """Members' SSH public keys, and the key a session was opened with."""
    schema.member_keys.create(conn, checkfirst=True)
    present = {column["name"] for column in inspect(conn).get_columns(schema.sessions.name)}
    if "key_id" not in present:
        conn.execute(text("ALTER TABLE sessions ADD COLUMN key_id INTEGER"))


def _payments_and_service_accounts(conn: Connection) -> None:
    """Payment requests (nothing is credited until confirmed), the providers' events seen,
    the service's own accounts and sessions, and the source beside each ledger credit."""
    for table in (schema.service_accounts, schema.service_sessions, schema.payment_requests,
                  schema.provider_events):
        table.create(conn, checkfirst=True)
    present = {column["name"] for column in inspect(conn).get_columns(schema.balance_ledger.name)}
    if "source" not in present:
        kind = schema.balance_ledger.c.source.type.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE balance_ledger ADD COLUMN source {kind}"))


def _delivery_stops(conn: Connection) -> None:
    """The service's queue of delivery stops. Orders already stopped wait in it from the
    day their stop was asked for, so none is left undecided."""
    schema.delivery_stops.create(conn, checkfirst=True)
    conn.execute(text(
        "INSERT INTO delivery_stops(order_id, requested_at, returned, state, decided_by, note) "
        "SELECT o.id, (SELECT max(h.at) FROM order_status_history h "
        "              WHERE h.order_id = o.id AND h.status = 'stop_requested'), "
        "       FALSE, 'requested', '', '' "
        "FROM orders o WHERE o.status = 'stop_requested' "
        "AND o.id NOT IN (SELECT order_id FROM delivery_stops) "
        "AND EXISTS (SELECT 1 FROM order_status_history h "
        "            WHERE h.order_id = o.id AND h.status = 'stop_requested')"))


def _word_index(conn: Connection) -> None:
    """PostgreSQL: the index of each product's words (``product_word``, see
    ``postgres_search``), filled from the products. SQLite's FTS5 indexes have it."""
    if conn.dialect.name != "postgresql":
        return
    from mlm_tui.core.local import postgres_search  # PostgreSQL's alone

    postgres_search.add_word_index(conn)


def _ids_from_sequences(conn: Connection) -> None:
    """PostgreSQL: orders, payment requests and claims now take their ids from their
    tables' sequences, which the ids written as the last one plus one left behind: each
    starts after the highest id. SQLite has nothing to do."""
    from mlm_tui.core.local.copy import restart_numbering  # it needs the store, which needs us

    restart_numbering(conn)


STEPS: dict[int, Callable[[Connection], None]] = {
    1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4, 4: _v4_to_v5, 5: _v5_to_v6, 6: _v6_to_v7,
    7: _v7_to_v8, 8: _v8_to_v9, 9: _v9_to_v10, 10: _v10_to_v11, 11: _v11_to_v12,
    12: _payments_and_service_accounts, 13: _delivery_stops, 14: _word_index,
    15: _ids_from_sequences}


def run_step(conn: Connection, from_version: int) -> None:
    """The hand-written step from ``from_version`` (a revision's work), and the version
    it leaves."""
    STEPS[from_version](conn)
    _set_version(conn, from_version + 1)


def revision_of(version: int) -> str:
    return f"r{version:02d}"


def upgrade_to_current(conn: Connection) -> None:
    """Every revision after the store's version, on ``conn`` (in its transaction). The
    version in ``meta`` says where to start: stores made before the revisions have no
    Alembic table, and one restored from a backup may have a stale one."""
    _alembic("stamp", conn, revision_of(current_version(conn)))
    _alembic("upgrade", conn, revision_of(schema.SCHEMA_VERSION))


def _alembic(command_name: str, conn: Connection, revision: str) -> None:
    from alembic import command  # only when a store is made or upgraded
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "mlm_tui.core.local:revisions")
    config.attributes["connection"] = conn
    if command_name == "stamp":
        command.stamp(config, revision, purge=True)
    else:
        command.upgrade(config, revision)
