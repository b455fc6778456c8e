"""A DataTable whose columns grow to fit rows added after it was first drawn.

Textual's DataTable widens auto-width columns when it is idle, but lines drawn between
``add_row`` and that moment stay cached at the old widths (Textual issue #1026): rows
filled in from a worker show cut off until the cursor passes over them. This table
repaints itself whenever its column widths have changed since it last drew.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable


class FittingTable(DataTable[Any]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._drawn_widths: tuple[int, ...] = ()

    def on_idle(self) -> None:
        widths = tuple(column.content_width for column in self.ordered_columns)
        if widths != self._drawn_widths:
            self._drawn_widths = widths
            self.notify_style_update()  # drops the cached lines and redraws
