"""One transaction per operation: a failure half-way leaves the store as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from mlm_tui.core.local import schema as t
from mlm_tui.core.local.store import Store


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
