"""An input that keeps up with fast typing: Enter moves on, and no key is lost on the way.

Textual hands each key to the widget focused when the app reads it. Someone typing
"32548", Enter, "2" quickly (or a terminal delivering it in one burst) has all those
keys handed to the code field before it has handled Enter; moving the focus then would
leave "2" in the field just left. This input handles Enter itself, moving the focus at
once, and passes on any key that reaches it after the focus has moved.
"""

from __future__ import annotations

from typing import Any

from textual import events

from mlm_tui.widgets.text_input import TextInput


class TypeAheadInput(TextInput):
    def __init__(self, *args: Any, next_on_enter: bool = False,
                 next_selector: str = "Input", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.next_on_enter = next_on_enter
        self.next_selector = next_selector

    async def _on_key(self, event: events.Key) -> None:
        focused = self.screen.focused
        if focused is not None and focused is not self:
            # Typed ahead: read before an Enter here moved the focus on. It belongs there.
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
            return
        if event.key == "enter" and self.next_on_enter:
            event.stop()
            event.prevent_default()
            await self.action_submit()

    async def action_submit(self) -> None:
        await super().action_submit()
        if not self.next_on_enter:
            return
        fields = list(self.screen.query(self.next_selector))
        later = fields[fields.index(self) + 1:] if self in fields else []
        # The last field does not wrap around to the first: the screen decides what follows.
        if any(field.focusable for field in later):
            self.screen.focus_next(self.next_selector)
