"""A store file made by an older version opens in this one, upgraded, nothing lost."""

from __future__ import annotations

import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

from mlm_tui.core.local import schema
from mlm_tui.core.local.store import Store

V1_FILE = Path(__file__).parent.parent / "data" / "store-v1.db"


def _copy_v1(tmp_path: Path) -> Path:
    target = tmp_path / "store.db"
    shutil.copyfile(V1_FILE, target)
    return target


def test_the_kept_file_really_is_version_1() -> None:
    with sqlite3.connect(V1_FILE) as conn:
        version = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert version == ("1",)
    assert "training_progress" not in tables


def test_version_1_file_is_upgraded_in_place_with_its_data(tmp_path: Path) -> None:
    path = _copy_v1(tmp_path)
    Store(path).close()
    with sqlite3.connect(path) as conn:
        version = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        member = conn.execute("SELECT full_name, email, city FROM members").fetchone()
        amount = conn.execute("SELECT amount FROM balance_ledger").fetchone()
    assert version == (str(schema.SCHEMA_VERSION),)
    assert "training_progress" in tables
    assert member == ("Jürgen Groß", "juergen@example.de", "Berlin")
    assert Decimal(amount[0]).scaleb(-2) == Decimal("123.45")


def test_upgraded_file_is_searchable_and_opens_again(tmp_path: Path) -> None:
    path = _copy_v1(tmp_path)
    Store(path).close()
    Store(path).close()  # a second open finds nothing to do
    with sqlite3.connect(path) as conn:
        hits = conn.execute(
            "SELECT rowid FROM members_fts WHERE members_fts MATCH 'gross*'"  # folded
        ).fetchall()
    assert hits == [(1,)]


def test_a_fresh_store_starts_at_the_current_version(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        version = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        journal = conn.execute("PRAGMA journal_mode").fetchone()
    assert version == (str(schema.SCHEMA_VERSION),)
    assert journal == ("wal",)


def test_upgraded_cart_lines_are_paid_with_money_until_chosen(tmp_path: Path) -> None:
    path = _copy_v1(tmp_path)
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO cart_lines(member_id, product_code, quantity, added_at) "
                     "VALUES (1, '32548', 2, '2026-11-20T12:00:00')")
        paid_with_points = conn.execute("SELECT paid_with_points FROM cart_lines").fetchone()
    assert paid_with_points == (0,)


def test_orders_of_a_version_6_file_learn_when_they_were_paid(tmp_path: Path) -> None:
    from tests import world

    path = world.build_world(tmp_path / "store.db", with_orders=True)
    with sqlite3.connect(path) as conn:  # the file as version 6 left it
        conn.execute("ALTER TABLE orders DROP COLUMN paid_at")
        conn.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    Store(path).close()
    with sqlite3.connect(path) as conn:
        rows = dict(conn.execute("SELECT number, paid_at FROM orders").fetchall())
        paid = dict(conn.execute(
            "SELECT o.number, h.at FROM orders AS o JOIN order_status_history AS h "
            "ON h.order_id = o.id WHERE h.status = 'paid'").fetchall())
    assert rows[world.ORDER_ANNA_PAID] == paid[world.ORDER_ANNA_PAID]
    assert rows[world.ORDER_ANNA_PLACED] is None


def test_a_version_9_file_finds_an_orders_ledger_entries_by_index(tmp_path: Path) -> None:
    from tests import world

    path = world.build_world(tmp_path / "store.db", with_orders=True)
    with sqlite3.connect(path) as conn:  # the file as version 9 left it
        conn.execute("DROP INDEX ix_balance_order")
        conn.execute("DROP INDEX ix_points_order")
        conn.execute("UPDATE meta SET value = '9' WHERE key = 'schema_version'")
    Store(path).close()
    with sqlite3.connect(path) as conn:
        plans = [" ".join(str(part) for row in conn.execute(
            f"EXPLAIN QUERY PLAN SELECT count(*) FROM {table} WHERE order_id = 1")
            for part in row) for table in ("balance_ledger", "points_ledger")]
    assert "INDEX ix_balance_order (order_id=?)" in plans[0]
    assert "INDEX ix_points_order (order_id=?)" in plans[1]


def test_a_version_12_file_gets_payment_requests_and_keeps_its_ledger(tmp_path: Path) -> None:
    from tests import world

    path = world.build_world(tmp_path / "store.db", with_orders=True)
    with sqlite3.connect(path) as conn:  # the file as version 12 left it
        for table in ("payment_requests", "provider_events", "service_sessions",
                      "service_accounts"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("ALTER TABLE balance_ledger DROP COLUMN source")
        conn.execute("UPDATE meta SET value = '12' WHERE key = 'schema_version'")
        ledger = conn.execute("SELECT id, amount, note FROM balance_ledger").fetchall()
    Store(path).close()
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        kept = conn.execute("SELECT id, amount, note FROM balance_ledger").fetchall()
        sources = {r[0] for r in conn.execute("SELECT source FROM balance_ledger")}
    assert {"payment_requests", "provider_events", "service_accounts",
            "service_sessions"} <= tables
    assert kept == ledger and sources == {None}  # credits from before name no source
def test_a_version_10_file_keeps_its_members_and_notices_and_learns_languages(
        tmp_path: Path) -> None:
    from tests import world

    path = world.build_world(tmp_path / "store.db")
    with sqlite3.connect(path) as conn:  # the file as version 10 left it
        conn.execute("INSERT INTO notifications(member_id, at, kind, title, body) "
                     "VALUES (1, '2026-11-01T10:00:00', 'claim', 'Claim 1 received', 'Soon.')")
        conn.execute("ALTER TABLE members DROP COLUMN language")
        conn.execute("ALTER TABLE notifications DROP COLUMN code")
        conn.execute("ALTER TABLE notifications DROP COLUMN params")
        conn.execute("UPDATE meta SET value = '10' WHERE key = 'schema_version'")
    Store(path).close()
    with sqlite3.connect(path) as conn:
        languages = {row[0] for row in conn.execute("SELECT language FROM members")}
        notice = conn.execute("SELECT title, body, code, params FROM notifications "
                              "WHERE title = 'Claim 1 received'").fetchone()
    assert languages == {None}  # each is written to in the company's language
    assert notice == ("Claim 1 received", "Soon.", None, None)


def test_a_version_13_file_gets_the_delivery_stop_queue_holding_its_stopped_orders(
        tmp_path: Path) -> None:
    from tests import world

    path = world.build_world(tmp_path / "store.db", with_orders=True)
    with sqlite3.connect(path) as conn:  # the file as version 13 left it, one order stopped
        conn.execute("DROP TABLE delivery_stops")
        conn.execute("UPDATE orders SET status = 'stop_requested' WHERE id = 9")
        conn.execute("INSERT INTO order_status_history(order_id, status, at, note) "
                     "VALUES (9, 'stop_requested', '2026-11-19T10:00:00', '')")
        conn.execute("UPDATE meta SET value = '13' WHERE key = 'schema_version'")
    Store(path).close()
    with sqlite3.connect(path) as conn:
        queued = conn.execute("SELECT order_id, requested_at, state FROM delivery_stops"
                              ).fetchall()
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'"
                               ).fetchone()
    assert queued == [(9, "2026-11-19T10:00:00", "requested")]
    assert version == (str(schema.SCHEMA_VERSION),)


def test_a_version_14_file_opens_as_this_version_and_finds_what_it_found(
        tmp_path: Path) -> None:
    # Version 15 gave PostgreSQL its index of words; a file keeps its FTS5 indexes as they are.
    from tests import world

    path = world.build_world(tmp_path / "store.db")
    found = "SELECT rowid FROM products_fts WHERE products_fts MATCH '\"крем\"*' ORDER BY rowid"
    with sqlite3.connect(path) as conn:
        before = conn.execute(found).fetchall()
        conn.execute("UPDATE meta SET value = '14' WHERE key = 'schema_version'")
    Store(path).close()
    with sqlite3.connect(path) as conn:
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'"
                               ).fetchone()
        after = conn.execute(found).fetchall()
    assert version == (str(schema.SCHEMA_VERSION),) == ("16",)
    assert after == before and before
