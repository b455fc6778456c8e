"""A parcel's stations as a timeline: newest on top, the current one marked.

```
● 20.11.2026 08:10  Казань, СЦ        Out for delivery
│
○ 19.11.2026 21:40  Москва, хаб        Left the sorting centre
```

The marker says which step is current without colour; colour only adds to it.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from mlm_tui.core.dates import format_day
from mlm_tui.core.models import ShipmentEvent
from mlm_tui.display import data_text
from mlm_tui.i18n import _

CURRENT, EARLIER, LINK = "●", "○", "│"


class TrackingTimeline(Widget):
    DEFAULT_CSS = """
    TrackingTimeline { height: auto; }
    TrackingTimeline > .timeline--current { color: $text-success; text-style: bold; }
    TrackingTimeline > .timeline--earlier { color: $text-muted; }
    """

    COMPONENT_CLASSES = {"timeline--current", "timeline--earlier"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.events: tuple[ShipmentEvent, ...] = ()
        self.locale = "en"

    def show(self, events: tuple[ShipmentEvent, ...], locale: str) -> None:
        self.events, self.locale = events, locale
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        if not self.events:
            return Text(_("No stations reported yet."), style="italic")
        current = self.get_component_rich_style("timeline--current")
        earlier = self.get_component_rich_style("timeline--earlier")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        newest_first = sorted(self.events, key=lambda e: e.at, reverse=True)
        for position, event in enumerate(newest_first):
            is_current = position == 0
            when = f"{format_day(event.at, self.locale)} {event.at:%H:%M}"
            what = data_text(event.station + (": " if event.station else ""), style="bold")
            what.append_text(data_text(_(event.description)))
            grid.add_row(Text(CURRENT if is_current else EARLIER,
                              style=current if is_current else earlier),
                         Text(when, style=current if is_current else ""), what)
            if position < len(newest_first) - 1:
                grid.add_row(Text(LINK, style=earlier), "", "")
        return grid
