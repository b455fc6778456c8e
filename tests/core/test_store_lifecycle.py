"""The store file over its life: one made by a newer mlm-tui, one that cannot be a store,
and the demo store built whole or not at all."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mlm_tui.core.demo import DEMO_PASSWORD, build_demo
from mlm_tui.core.local import LocalBackend
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.store import Store, StoreError, StoreReadOnly
from mlm_tui.core.settings import Settings
from tests import world


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def set_version(path: Path, version: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
    conn.close()


def test_a_store_from_a_newer_version_is_read_but_never_written(world_file, settings):
    set_version(world_file, str(t.SCHEMA_VERSION + 1))
    before = digest(world_file)
    backend = LocalBackend(settings)
    try:
        assert backend.company().name  # reading goes on
        assert backend.search_products("крем", limit=5)
        with pytest.raises(StoreReadOnly) as refused:
            backend.login(world.ANNA.registration_number, world.PASSWORD)
        assert "made by a newer mlm-tui" in refused.value.message
        assert f"schema {t.SCHEMA_VERSION + 1}" in refused.value.message
    finally:
        backend.close()
    assert digest(world_file) == before


def test_a_schema_version_that_is_not_a_number_is_named(world_file):
    set_version(world_file, "five")
    before = digest(world_file)
    with pytest.raises(StoreError) as refused:
        Store(world_file)
    assert "schema version is 'five'" in refused.value.message
    assert digest(world_file) == before


def test_an_empty_file_is_not_taken_for_a_new_store(tmp_path, settings):
    path = settings.store_path
    path.write_bytes(b"")
    with pytest.raises(StoreError) as refused:
        LocalBackend(settings)
    assert refused.value.message.startswith(f"{path} is empty (0 bytes)")
    assert path.stat().st_size == 0  # not filled with an empty schema


def test_a_missing_store_is_still_made_new(tmp_path):
    store = Store(tmp_path / "new" / "store.db")
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(t.members)).scalar_one() == 0
    store.close()


# --- the demo store, whole or not at all ---------------------------------------------------

SMALL = dict(products=20, orders=40, members=3)

KILLED_HALF_WAY = """
import os, sys
from pathlib import Path
from mlm_tui.core.demo import build_demo

def progress(phase, done, total):
    if phase == "orders":
        os._exit(9)  # as the power going out would: nothing gets to clean up

build_demo(Path(sys.argv[1]), products=20, orders=2000, members=3, force=True,
           progress=progress)
"""


def test_a_demo_build_killed_half_way_leaves_the_old_store_and_a_rebuild_works(tmp_path):
    path = tmp_path / "data" / "store.db"
    build_demo(path, **SMALL)
    before = digest(path)
    killed = subprocess.run([sys.executable, "-c", KILLED_HALF_WAY, str(path)], timeout=60)
    assert killed.returncode == 9
    assert digest(path) == before

    login = build_demo(path, **SMALL, seed=8, force=True)
    assert sorted(p.name for p in path.parent.iterdir()) == ["store.db"]
    backend = open_backend(path)
    try:
        assert backend.login(login.registration_number, DEMO_PASSWORD).member_id
    finally:
        backend.close()


def open_backend(path: Path) -> LocalBackend:
    return LocalBackend(Settings(data_dir=path.parent, config_dir=path.parent / "config",
                                 state_dir=path.parent / "state"))


def test_a_demo_build_over_an_empty_file_just_builds(tmp_path):
    path = tmp_path / "store.db"
    path.write_bytes(b"")
    build_demo(path, **SMALL)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM products").fetchone()[0] > 0
    conn.close()
