"""A word that does something: reached with Tab, pressed with Enter, Space or a click.

For the first screen drawn. Textual's Button brings a stylesheet of every variant, parsed
when the first button appears; on the login screen that was a sixth of the work before
the first frame. This does what the login form needs of a button.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static


class ActionLink(Static, can_focus=True):
    DEFAULT_CSS = """
    ActionLink { width: auto; height: 1; padding: 0 1; background: $surface-lighten-1; }
    ActionLink.-primary { background: $primary; color: $text; text-style: bold; }
    ActionLink:focus { text-style: bold reverse; }
    ActionLink:disabled { text-opacity: 60%; }
    """

    BINDINGS = [Binding("enter,space", "press", show=False)]

    class Pressed(Message):
        def __init__(self, link: ActionLink) -> None:
            super().__init__()
            self.link = link

        @property
        def control(self) -> ActionLink:
            return self.link

    def __init__(self, label: str, *, id: str | None = None, primary: bool = False) -> None:
        super().__init__(label, id=id, markup=False, classes="-primary" if primary else "")

    def action_press(self) -> None:
        if not self.disabled:
            self.post_message(self.Pressed(self))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_press()
