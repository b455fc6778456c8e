"""A row table whose one flexible column (the product name) takes the width left over.

DataTable columns have fixed or content widths; at 80 columns the name must shrink so
the amounts stay visible, and at 120 it may grow. The table keeps its rows and rebuilds
itself when its width changes, keeping the cursor on the same row.

A long list comes a page at a time: the table says when the cursor or the view comes near
its last row (``NearEnd``), and the next page is ``append``-ed below what is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, overload

from rich.console import RenderableType
from rich.text import Text
from textual import events
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable

from mlm_tui.display import data_text

GAP = 1  # between columns; cells have no padding of their own, to spare the width
SCROLLBAR = 1
MIN_FLEX = 10
WIDE = 110  # from this width on, columns take their ``wide`` width
NEAR_END = 10  # rows before the last from which the next page is asked for


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    key: str
    label: str
    width: int | None  # None: this column takes what the others leave
    justify: Literal["left", "right"] = "left"
    wide: int | None = None  # the width on a wide terminal, when it differs


class FlexTable(DataTable[RenderableType]):
    class NearEnd(Message):
        """The cursor or the view is within ``NEAR_END`` rows of the last one."""

        def __init__(self, table: FlexTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> FlexTable:
            return self.table

    def __init__(self, columns: Sequence[ColumnSpec], *, id: str | None = None,
                 read_only: bool = False) -> None:
        """``read_only``: lines only to read (an invoice's): no cursor, not focused."""
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, cell_padding=0,
                         show_cursor=not read_only)
        if read_only:
            self.can_focus = False
        self.specs = list(columns)
        self._rows: list[tuple[str, list[RenderableType]]] = []
        self._built_for_width = -1

    def set_specs(self, columns: Sequence[ColumnSpec]) -> None:
        """New column labels (say, the points label once the company is known)."""
        self.specs = list(columns)
        self._rebuild()

    def fill(self, rows: Sequence[tuple[str, list[RenderableType]]]) -> None:
        """Replace every row; each is (key, cells in column order)."""
        self._rows = list(rows)
        if self._built_for_width != self.size.width or not self.columns:
            self._rebuild()
            return
        # The columns still fit: only the rows change (as the catalog does per keystroke).
        # In one batch: emptied and filled again, the table is written to the terminal once.
        cursor = self.cursor_row
        with self.app.batch_update():
            self.clear()
            self._add_rows(cursor)

    def append(self, rows: Sequence[tuple[str, list[RenderableType]]]) -> None:
        """More rows below the ones shown; the cursor stays where it is."""
        if self._built_for_width != self.size.width or not self.columns:
            self._rows.extend(rows)
            self._rebuild()
            return
        self._rows.extend(rows)
        for key, cells in rows:
            self.add_row(*(self._gapped(i, cell) for i, cell in enumerate(cells)), key=key)

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        self._say_if_near_end()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._say_if_near_end()

    def _say_if_near_end(self) -> None:
        if not self._rows:
            return
        last_seen = max(self.cursor_row, int(self.scroll_y) + self.scrollable_content_region.height)
        if last_seen >= len(self._rows) - NEAR_END:
            self.post_message(self.NearEnd(self))

    @property
    def row_keys(self) -> list[str]:
        return [key for key, _cells in self._rows]

    @property
    def current_key(self) -> str | None:
        if not self._rows or self.cursor_row < 0:
            return None
        return self._rows[min(self.cursor_row, len(self._rows) - 1)][0]

    def move_to_key(self, key: str | None) -> None:
        """The cursor to the row of ``key``, if there still is one (a list read again)."""
        keys = self.row_keys
        if key in keys:
            self.move_cursor(row=keys.index(key), animate=False)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._built_for_width:
            self._rebuild()

    def _width(self, spec: ColumnSpec) -> int:
        if self.size.width >= WIDE and spec.wide:
            return spec.wide
        return spec.width or 0

    def _flex_width(self) -> int:
        fixed = sum(self._width(spec) for spec in self.specs if spec.width)
        gaps = GAP * (len(self.specs) + 1)
        return max(MIN_FLEX, self.size.width - fixed - gaps - SCROLLBAR)

    @overload
    def _gapped(self, index: int, cell: Text) -> Text: ...
    @overload
    def _gapped(self, index: int, cell: RenderableType) -> RenderableType: ...

    def _gapped(self, index: int, cell: RenderableType) -> RenderableType:
        """A column's cell with the gap before it (amounts are right-aligned: no gap needed
        inside, the column is simply one wider)."""
        if self.specs[index].justify == "right":
            return cell
        text = cell if isinstance(cell, Text) else data_text(cell, no_wrap=True,
                                                              overflow="ellipsis")
        return Text(" " * GAP, no_wrap=True, overflow="ellipsis") + text

    def _rebuild(self) -> None:
        cursor = self.cursor_row
        self._built_for_width = self.size.width
        self.clear(columns=True)
        flex = self._flex_width()
        for index, spec in enumerate(self.specs):
            # A label may be the company's name for points.
            label = self._gapped(index, data_text(spec.label, justify=spec.justify,
                                                  no_wrap=True, overflow="ellipsis"))
            width = self._width(spec) if spec.width else flex
            self.add_column(label, width=width + GAP, key=spec.key)
        self._add_rows(cursor)

    def _add_rows(self, cursor: int) -> None:
        for key, cells in self._rows:
            self.add_row(*(self._gapped(i, cell) for i, cell in enumerate(cells)), key=key)
        if self._rows:
            self.move_cursor(row=min(max(cursor, 0), len(self._rows) - 1), animate=False)
