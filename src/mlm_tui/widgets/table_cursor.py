"""The row under a DataTable's cursor, by key: a list read again keeps the member's place.

Row keys are the business keys (a fingerprint, a promotion's id), so an action reads the
record it is about by key, and a list filled anew puts the cursor back on the same record.
"""

from __future__ import annotations

from textual.widgets import DataTable


def cursor_key(table: DataTable[object]) -> str | None:
    """The key of the row under the cursor; ``None`` for an empty table."""
    if not table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def move_to_key(table: DataTable[object], key: str | None) -> None:
    """The cursor back on the row it was on, where that row is still listed."""
    if key is not None and key in table.rows:
        table.move_cursor(row=table.get_row_index(key), animate=False)
