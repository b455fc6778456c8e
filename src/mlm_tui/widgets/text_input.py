"""An input that shows what it holds: control characters in its value as visible marks.

Keys cannot type an escape, but a paste can (a line copied from a web page or a
terminal), and Textual's Input draws its value as it is: an ``ESC ] 0 ;`` pasted into a
field would reach the terminal, and the field would look as if it held less than it
does. This input draws each control character as its mark (``␛``), one for one, so the
cursor stays where it is; the value itself is left as typed, for validation to refuse
at the field.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Input

from mlm_tui.display import printable


class TextInput(Input):
    @property
    def _value(self) -> Text:
        # As Input._value (Textual is pinned exactly), with the value made printable.
        if self.password or self.value.isprintable():
            return super()._value
        text = Text(printable(self.value), no_wrap=True, overflow="ignore", end="")
        if self.highlighter is not None:
            text = self.highlighter(text)
        return text

    def _position_to_cell(self, position: int) -> int:
        # A mark takes a cell where the control character took none.
        return cell_len(printable(self.value[:position]).expandtabs(4))
