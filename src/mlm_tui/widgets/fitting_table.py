"""A DataTable whose columns grow to fit rows added after it was first drawn, and, when
asked, give up width so that every column stays on the screen.

Textual's DataTable widens auto-width columns when it is idle, but lines drawn between
``add_row`` and that moment stay cached at the old widths (Textual issue #1026): rows
filled in from a worker show cut off until the cursor passes over them. This table
repaints itself whenever its column widths have changed since it last drew.

At 80 columns, and in languages with longer words, a row can be wider than the
terminal: the last column (often the one that matters, a status or the terms) falls off
the right edge. With ``shrink`` the table first lets headings wider than their values
wrap onto a second header line, then narrows the named columns (free text: names,
cities, titles) one after the other, each down to its minimum, cutting their values
with "…", until the row fits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable


def _cell_width(value: object) -> int:
    text = value if isinstance(value, Text) else Text(str(value))
    return max((line.cell_len for line in text.split(allow_blank=True)), default=0)


def _longest_word(label: Text) -> int:
    return max((Text(word).cell_len for word in label.plain.split()), default=0)


def fitted_widths(labels: Sequence[Text], cells: Sequence[int],
                  shrink: Sequence[tuple[int, int]], available: int) -> list[int]:
    """Each column's content width so that a row fits in ``available`` cells, or as near
    as the minimums allow. ``cells``: the widest value of each column; ``shrink``: (column
    index, narrowest width) of the columns that may give up width, the first first."""
    widths = [max(label.cell_len, cell) for label, cell in zip(labels, cells, strict=True)]
    over = sum(widths) - available
    # Headings first: wrapped, they cost a line, not a word.
    for index in sorted(range(len(widths)), key=lambda i: cells[i] - labels[i].cell_len):
        if over <= 0:
            return widths
        saved = min(over, widths[index] - max(cells[index], _longest_word(labels[index])))
        if saved > 0:
            widths[index] -= saved
            over -= saved
    for index, narrowest in shrink:
        if over <= 0:
            break
        saved = min(over, widths[index] - max(narrowest, _longest_word(labels[index])))
        if saved > 0:
            widths[index] -= saved
            over -= saved
    return widths


class FittingTable(DataTable[Any]):
    def __init__(self, *args: Any, shrink: Mapping[str, int] | None = None,
                 **kwargs: Any) -> None:
        """``shrink``: column key -> narrowest width, of the columns that may be narrowed,
        the first to give up width first (their cells should be ``Text`` with
        ``overflow="ellipsis"``, so that a cut shows)."""
        super().__init__(*args, **kwargs)
        self._drawn_widths: tuple[int, ...] = ()
        self._shrink = dict(shrink or {})
        self._fitted_for: tuple[object, ...] = ()

    def on_idle(self) -> None:
        # Also after a resize: the new size is laid out, then the table goes idle.
        if self._shrink:
            self._fit()
        widths = tuple(column.get_render_width(self) for column in self.ordered_columns)
        if widths != self._drawn_widths:
            self._drawn_widths = widths
            self.notify_style_update()  # drops the cached lines and redraws

    def _fit(self) -> None:
        columns = self.ordered_columns
        available = self.scrollable_content_region.width
        state = (available, tuple(self.rows), tuple(c.content_width for c in columns))
        if not columns or available <= 0 or state == self._fitted_for:
            return
        self._fitted_for = state
        cells = [max((_cell_width(value) for value in self.get_column(column.key)), default=0)
                 for column in columns]
        where = {column.key.value: index for index, column in enumerate(columns)}
        shrink = [(where[key], narrowest) for key, narrowest in self._shrink.items()
                  if key in where]
        widths = fitted_widths([column.label for column in columns], cells, shrink,
                               available - 2 * self.cell_padding * len(columns))
        wrapped = False
        for column, width in zip(columns, widths, strict=True):
            # Fixed from now on: the content widths DataTable keeps only ever grow.
            column.auto_width = False
            column.width = width
            wrapped = wrapped or width < column.label.cell_len
        self.header_height = 2 if wrapped else 1
        # The scrollable width follows the new column widths.
        self._require_update_dimensions = True
        self.refresh(layout=True)
