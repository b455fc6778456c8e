"""A radio button that shows its state by shape, not only by colour.

Textual draws every radio button with the same dot and tells the chosen one by its
colour; with NO_COLOR or a monochrome terminal all look chosen. This one draws a dot
only in the chosen button.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import RadioButton


class ChoiceButton(RadioButton):
    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "●" if self.value else " "
        return super()._button
