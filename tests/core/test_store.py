"""One transaction per operation: a failure half-way leaves the store as it was; the
connection settings that let a team's processes share one file; writers that queue."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import event, func, insert, select

from mlm_tui.core.local import schema as t
from mlm_tui.core.local.store import Store

WAIT = 10  # seconds: only ever reached when something is broken


def test_a_failed_write_rolls_back_everything(world_file: Path) -> None:
    store = Store(world_file)
    with store.read() as conn:
        before = conn.execute(select(func.count()).select_from(t.balance_ledger)).scalar_one()
    with pytest.raises(RuntimeError), store.write() as conn:
        conn.execute(
            insert(t.balance_ledger).values(
                member_id=1, at="2026-11-20T12:00:00", kind="top_up", amount=5, note=""
            )
        )
        raise RuntimeError("the power went out")
    with store.read() as conn:
        after = conn.execute(select(func.count()).select_from(t.balance_ledger)).scalar_one()
    assert after == before


def test_foreign_keys_are_enforced(world_file: Path) -> None:
    from mlm_tui.core.local.store import StoreError

    store = Store(world_file)
    with pytest.raises(StoreError), store.write() as conn:
        conn.execute(
            insert(t.balance_ledger).values(
                member_id=999_999, at="2026-11-20T12:00:00", kind="top_up", amount=5, note=""
            )
        )


# --- connection settings and writers -------------------------------------------------------


def _ledger_rows(conn) -> int:
    return conn.execute(select(func.count()).select_from(t.balance_ledger)).scalar_one()


def _top_up(conn, note: str = "") -> None:
    conn.execute(insert(t.balance_ledger).values(
        member_id=1, at="2026-11-20T12:00:00", kind="top_up", amount=5, note=note))


@pytest.mark.parametrize("open_transaction", ["read", "write"])
def test_every_connection_has_wal_foreign_keys_and_a_busy_timeout(world_file: Path,
                                                                  open_transaction) -> None:
    store = Store(world_file)
    with getattr(store, open_transaction)() as conn:
        pragma = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar_one()
                  for name in ("journal_mode", "foreign_keys", "busy_timeout")}
    store.close()
    assert pragma["journal_mode"] == "wal"
    assert pragma["foreign_keys"] == 1
    assert pragma["busy_timeout"] >= 1000  # long enough to wait out another writer


def test_writes_begin_immediate_and_reads_deferred(world_file: Path) -> None:
    store = Store(world_file)
    begun: list[str] = []

    @event.listens_for(store.engine, "before_cursor_execute")
    def note(_conn, _cursor, statement, *_args) -> None:
        if statement.startswith("BEGIN"):
            begun.append(statement)

    with store.write() as conn:
        _ledger_rows(conn)
    with store.read() as conn:
        _ledger_rows(conn)
    store.close()
    assert begun == ["BEGIN IMMEDIATE", "BEGIN DEFERRED"]


def test_a_second_writer_waits_for_the_first_and_then_succeeds(world_file: Path) -> None:
    # The second writer reads before it writes, as every domain operation does. Begun
    # DEFERRED it would read a snapshot while the first writes and then fail to upgrade
    # ("database is locked"); begun IMMEDIATE it waits at BEGIN and reads the first one's row.
    store = Store(world_file)
    with store.read() as conn:
        before = _ledger_rows(conn)
    first_in, release, second_in = threading.Event(), threading.Event(), threading.Event()
    seen: list[int] = []
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with store.write() as conn:
                _top_up(conn)
                first_in.set()
                assert release.wait(WAIT)
        except BaseException as exc:  # a thread cannot fail the test: the test reports it
            errors.append(exc)
            first_in.set()

    def second() -> None:
        try:
            with store.write() as conn:
                second_in.set()
                seen.append(_ledger_rows(conn))
                _top_up(conn)
        except BaseException as exc:  # a thread cannot fail the test: the test reports it
            errors.append(exc)
            second_in.set()

    writers = [threading.Thread(target=first), threading.Thread(target=second)]
    writers[0].start()
    assert first_in.wait(WAIT)
    writers[1].start()
    try:
        # Long enough for an unblocked writer to get in; the waiting one cannot.
        assert not second_in.wait(0.3), "the second writer did not wait for the first"
    finally:
        release.set()
        for writer in writers:
            writer.join(WAIT)
    assert not errors
    assert seen == [before + 1]  # it read after the first one committed
    with store.read() as conn:
        assert _ledger_rows(conn) == before + 2
    store.close()


def test_many_writers_on_two_stores_of_one_file_all_write(world_file: Path) -> None:
    """Two Stores stand for two server processes; each has many threads writing."""
    stores = [Store(world_file), Store(world_file)]
    failures: list[BaseException] = []

    def top_ups(store: Store) -> None:
        try:
            for _ in range(10):
                with store.write() as conn:
                    conn.execute(insert(t.balance_ledger).values(
                        member_id=1, at="2026-11-20T12:00:00", kind="top_up", amount=1,
                        note="queued"))
        except BaseException as failure:
            failures.append(failure)

    threads = [threading.Thread(target=top_ups, args=(stores[n % 2],)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 3)
    assert failures == []
    with stores[0].read() as conn:
        written = conn.execute(select(func.count()).select_from(t.balance_ledger)
                               .where(t.balance_ledger.c.note == "queued")).scalar_one()
    assert written == 160
    for store in stores:
        store.close()


def test_a_write_inside_another_stores_write_fails_instead_of_waiting_forever(
        world_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mlm_tui.core.local import store as store_module

    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 300)
    first, second = Store(world_file), Store(world_file)
    with first.write(), pytest.raises(store_module.StoreError), second.write():
        pass
    with second.write():  # the first let go: the second writes now
        pass
    first.close()
    second.close()


def test_one_transaction_commits_its_steps_together_or_not_at_all(world_file: Path) -> None:
    store = Store(world_file)
    entry = insert(t.balance_ledger).values(member_id=1, at="2026-11-20T12:00:00",
                                            kind="top_up", amount=1, note="together")

    def count() -> int:
        with store.read() as conn:
            return conn.execute(select(func.count()).select_from(t.balance_ledger)
                                .where(t.balance_ledger.c.note == "together")).scalar_one()

    with pytest.raises(RuntimeError), store.one_transaction():
        with store.write() as conn:
            conn.execute(entry)
        assert count() == 1  # this thread sees what its transaction wrote
        raise RuntimeError("the answer could not be kept")
    assert count() == 0
    with store.one_transaction():
        with store.write() as conn:
            conn.execute(entry)
        with store.write() as conn:
            conn.execute(entry)
    assert count() == 2
    store.close()


def _top_up(conn, note: str = "") -> None:
    conn.execute(insert(t.balance_ledger).values(
        member_id=1, at="2026-11-20T12:00:00", kind="top_up", amount=5, note=note))


def test_work_after_a_commit_runs_with_the_lock_free_and_never_after_a_rollback(
        world_file: Path) -> None:
    store = Store(world_file)
    done: list[str] = []

    def send(what: str) -> None:
        # Another thread writes meanwhile: the lock is free (or this fails, busy).
        other = threading.Thread(target=lambda: _write_then(store, done, f"{what} beside"))
        other.start()
        other.join(WAIT)
        done.append(what)

    with store.write() as conn:
        _top_up(conn)
        store.after_commit(lambda: send("sent"))
        assert done == []  # not while the transaction is open
    with pytest.raises(RuntimeError), store.write() as conn:
        store.after_commit(lambda: send("rolled back"))
        raise RuntimeError("refused")
    with store.one_transaction():
        with pytest.raises(RuntimeError), store.write():  # a step that fails alone
            store.after_commit(lambda: send("its step failed"))
            raise RuntimeError("refused")
        store.after_commit(lambda: send("kept"))
    store.close()
    assert done == ["sent beside", "sent", "kept beside", "kept"]


def _write_then(store: Store, done: list[str], what: str) -> None:
    with store.write() as conn:
        _top_up(conn)
    done.append(what)


def test_work_that_fails_after_the_commit_has_its_steps_undone(world_file: Path) -> None:
    from mlm_tui.core.errors import DeliveryFailed

    store = Store(world_file)

    def count(conn) -> int:
        return conn.execute(select(func.count()).select_from(t.balance_ledger)).scalar_one()

    with store.read() as conn:
        before = count(conn)

    def undo(conn) -> None:
        conn.execute(t.balance_ledger.delete().where(t.balance_ledger.c.note == "to undo"))

    def refused() -> None:
        raise DeliveryFailed("the mail server refused")

    with pytest.raises(DeliveryFailed), store.write() as conn:
        _top_up(conn, "to undo")
        store.after_commit(None, undo=undo)
        store.after_commit(refused)
    with store.read() as conn:
        assert count(conn) == before
    store.close()
