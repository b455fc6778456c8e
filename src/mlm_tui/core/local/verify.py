"""What two stores must agree on after a copy: the rows of every table, and the sum of
every amount and points column (``Hundredths``). The change counters in ``meta`` are left
out: each store counts its own writes (the copy is one)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from mlm_tui.core.local import schema
from mlm_tui.core.local.changes import PREFIX
from mlm_tui.core.local.store import Store

Figures = dict[str, tuple[int, tuple[Decimal, ...]]]


def figures(store: Store) -> Figures:
    """Per table: its rows, and the sum of each of its amount columns."""
    found: Figures = {}
    with store.read() as conn:
        for table in schema.metadata.sorted_tables:
            amounts = [c for c in table.columns if isinstance(c.type, schema.Hundredths)]
            query = select(func.count(), *(
                func.coalesce(func.sum(c), 0, type_=c.type) for c in amounts)
            ).select_from(table)
            if table is schema.meta:
                query = query.where(~table.c.key.startswith(PREFIX, autoescape=True))
            row = conn.execute(query).one()
            found[table.name] = (int(row[0]), tuple(Decimal(v) for v in row[1:]))
    return found


def differences(source: Figures, target: Figures) -> list[str]:
    """What differs, table by table, in words (empty: nothing)."""
    said = []
    for name, (rows, sums) in source.items():
        their_rows, their_sums = target.get(name, (0, ()))
        if rows != their_rows:
            said.append(f"{name}: {rows} rows, copied {their_rows}")
        elif sums != their_sums:
            said.append(f"{name}: the amounts add up to {sums}, copied {their_sums}")
    return said
