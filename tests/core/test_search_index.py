"""The search index of a store made before search folded text is rebuilt on opening."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mlm_tui.core.local import migrations
from tests import world


def as_version_5(path: Path) -> None:
    """Make ``path`` as version 5 left it: an index of the names as written, filled by
    triggers that fold nothing."""
    with sqlite3.connect(path) as conn:
        for table in ("products", "members"):
            for trigger in ("insert", "delete", "update"):
                conn.execute(f"DROP TRIGGER {table}_fts_{trigger}")
            conn.execute(f"DROP TABLE {table}_fts")
        for ddl in migrations.FTS_DDL:
            conn.execute(ddl)
        conn.execute("INSERT INTO products_fts(rowid, code, name, category) "
                     "SELECT p.id, p.code, p.name, c.name FROM products AS p "
                     "JOIN categories AS c ON c.id = p.category_id")
        conn.execute("INSERT INTO members_fts(rowid, full_name) SELECT id, full_name "
                     "FROM members")
        conn.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    conn.close()


@pytest.fixture
def upgraded(world_file, settings, clock):
    from mlm_tui.core.local import LocalBackend

    as_version_5(world_file)
    backend = LocalBackend(settings, clock=clock)
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    yield backend
    backend.close()


def test_an_older_store_finds_every_spelling_once_opened(upgraded):
    assert [p.code for p in upgraded.search_products("FUSSCREME")] == ["36001"]
    assert [p.code for p in upgraded.search_products("oel")] == ["36000"]
    assert [m.id for m in upgraded.search_members("mueller")] == [world.KLAUS.id]


def test_products_added_after_the_upgrade_are_folded_too(upgraded):
    with upgraded.store.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO products(period_id, code, name, description, category_id, "
            "retail_price, consultant_price, points, stock) "
            "VALUES (2, '41000', 'Seife «Strauß»', '', 1, 10000, 8000, 100, 5)")
    assert [p.code for p in upgraded.search_products("strauss")] == ["41000"]
