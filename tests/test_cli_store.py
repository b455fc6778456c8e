"""``mlm-tui`` and the store's file when it is not as it should be: a full disk, a folder
that cannot be written, a store from a newer version, an empty file. One line on standard
error, a non-zero exit, and the store as it was."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import pwd
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from mlm_tui.cli import main
from mlm_tui.core.local import schema as t
from tests import world

DISK_FULL = "database or disk is full"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """``mlm-tui ARGS`` in this process -> (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.StringIO(stdin or "")
    sys.stdout, sys.stderr = out, err
    try:
        code = main(list(args))
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    return code, out.getvalue(), err.getvalue()


def at(store: Path) -> list[str]:
    return ["--data-dir", str(store.parent)]


def login(store: Path) -> tuple[int, str, str]:
    return run(*at(store), "login", world.ANNA.registration_number, "--password-stdin",
               stdin=world.PASSWORD + "\n")


def sessions(store: Path) -> int:
    with sqlite3.connect(store) as conn:
        count = conn.execute("SELECT count(*) FROM sessions").fetchone()[0]
    conn.close()
    return count


# --- a full disk ---------------------------------------------------------------------------


def test_a_full_disk_during_demo_leaves_the_store_as_it_was(world_file, monkeypatch):
    from mlm_tui.core import demo

    def disk_full(*_args, **_kwargs):
        raise sqlite3.OperationalError(DISK_FULL)

    before = digest(world_file)
    monkeypatch.setattr(demo._Demo, "orders", disk_full)
    code, out, err = run(*at(world_file), "demo", "--products", "20", "--force")
    assert (code, out) == (1, "")
    assert err.endswith("\nmlm-tui: the demo store could not be built in "
                        f"{world_file.parent}: {DISK_FULL}\n")  # after the progress bar
    assert "Traceback" not in err
    assert digest(world_file) == before
    assert sorted(p.name for p in world_file.parent.iterdir()) == ["store.db"]


def test_a_full_disk_when_keeping_the_session_ends_it_again(world_file, monkeypatch):
    from mlm_tui.core.session_keeper import SessionKeeper

    def disk_full(self, _tokens):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path))

    monkeypatch.setattr(SessionKeeper, "_write_file", disk_full)
    code, out, err = login(world_file)
    assert (code, out) == (1, "")
    assert err.startswith("mlm-tui: No space left on device: ") and err.count("\n") == 1
    assert sessions(world_file) == 0  # no session left that nobody holds


def test_a_full_disk_when_writing_the_session_to_the_store(world_file, monkeypatch):
    from sqlalchemy import event

    from mlm_tui.core.local.store import Store

    made = Store.__init__

    def full_disk_store(self, path, *args, **kwargs):
        made(self, path, *args, **kwargs)

        @event.listens_for(self.engine, "before_cursor_execute")
        def disk_full(_conn, _cursor, statement, *_rest):
            if statement.startswith("INSERT INTO sessions"):
                raise sqlite3.OperationalError(DISK_FULL)

    monkeypatch.setattr(Store, "__init__", full_disk_store)
    code, out, err = login(world_file)
    assert (code, out) == (1, "")
    assert err == f"mlm-tui: {world_file} could not be written: {DISK_FULL}\n"
    assert sessions(world_file) == 0


# --- folders and files that will not do ----------------------------------------------------


def test_a_data_dir_that_cannot_be_made_is_named(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, out, err = run("--data-dir", str(blocker / "data"), "demo", "--products", "20")
    assert (code, out) == (1, "")
    assert err == f"mlm-tui: the folder {blocker / 'data'} cannot be made: Not a directory\n"
    code, out, err = run("--data-dir", str(blocker / "data"), "catalog", "search", "крем")
    assert (code, out) == (1, "")
    assert err == f"mlm-tui: no store at {blocker / 'data' / 'store.db'}: build one with " \
        "`mlm-tui demo`\n"


def test_an_empty_store_file_is_named_not_taken_for_a_new_store(tmp_path):
    store = tmp_path / "data" / "store.db"
    store.parent.mkdir()
    store.write_bytes(b"")
    code, out, err = login(store)
    assert (code, out) == (1, "")
    assert err.startswith(f"mlm-tui: {store} is empty (0 bytes), so it is not a store")
    assert "password" not in err
    assert store.stat().st_size == 0


def test_a_store_from_a_newer_version_is_read_and_says_so(world_file):
    assert login(world_file)[0] == 0
    with sqlite3.connect(world_file) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                     (str(t.SCHEMA_VERSION + 1),))
    conn.close()
    before = digest(world_file)
    note = (f"mlm-tui: {world_file} was made by a newer mlm-tui (schema "
            f"{t.SCHEMA_VERSION + 1}; this one knows up to {t.SCHEMA_VERSION}): it is open "
            "read-only, update mlm-tui to change it\n")

    code, out, err = run(*at(world_file), "orders", "list", "--json", "--limit", "5")
    assert (code, err) == (0, note)
    assert json.loads(out) == []  # Anna's orders: none in the bare world, read all the same
    code, out, err = run(*at(world_file), "logout")
    assert (code, out, err) == (1, "", note)  # said once, not once more as the refusal
    assert digest(world_file) == before


# --- a data dir this user may only read ----------------------------------------------------


@pytest.fixture
def read_only_copy(world_orders: Path, monkeypatch) -> Iterator[Path]:
    """The world in a folder of its own, with a kept session; the test makes the folder
    read-only (``as_reader``). Outside the test's tmp_path, which only root may enter."""
    home = Path(tempfile.mkdtemp(prefix="mlm-read-only-"))
    store = home / "data" / "store.db"
    store.parent.mkdir()
    shutil.copyfile(world_orders, store)
    monkeypatch.setenv("MLM_TUI_STATE_DIR", str(home / "state"))
    monkeypatch.setenv("MLM_TUI_CONFIG_DIR", str(home / "config"))
    assert login(store)[0] == 0
    try:
        yield store
    finally:
        store.parent.chmod(0o700)
        shutil.rmtree(home)


def as_reader(store: Path, *args: str) -> tuple[int, str, str]:
    """``mlm-tui ARGS`` by a user for whom the store's folder is read-only: mode 0500,
    and, since root may write whatever the mode, as ``nobody`` when the tests run as root.
    A forked child: it runs on the modules already loaded, which ``nobody`` might not be
    allowed to read."""
    home = store.parent.parent
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        for folder, _dirs, files in os.walk(home):
            for name in (folder, *(os.path.join(folder, f) for f in files)):
                os.chown(name, nobody.pw_uid, nobody.pw_gid)
    store.parent.chmod(0o500)
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns to pytest
        try:
            os.close(reading)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(nobody.pw_gid)
                os.setuid(nobody.pw_uid)
            result = run(*at(store), *args)
            os.write(writing, json.dumps(result).encode())
        finally:
            os._exit(0)
    os.close(writing)
    with os.fdopen(reading, "rb") as pipe:
        answer = pipe.read()
    os.waitpid(pid, 0)
    return tuple(json.loads(answer))


def test_a_read_only_data_dir_still_shows_the_catalog_and_the_history(read_only_copy):
    store = read_only_copy
    search = ("catalog", "search", "крем", "--json")
    history = ("orders", "list", "--json", "--limit", "0")
    expected = {args: run(*at(store), *args) for args in (search, history)}
    assert all(code == 0 and json.loads(out) for code, out, _ in expected.values())
    before = digest(store)
    note = (f"mlm-tui: {store} is open read-only: this user may not write it or its "
            "folder\n")
    for args in (search, history):
        code, out, err = as_reader(store, *args)
        assert (code, err) == (0, note)
        assert json.loads(out) == json.loads(expected[args][1])
    code, out, err = as_reader(store, "logout")
    assert (code, out, err) == (1, "", note)
    assert digest(store) == before
    assert sorted(p.name for p in store.parent.iterdir()) == ["store.db"]
