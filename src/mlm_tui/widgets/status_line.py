"""The line under a form or a table that answers the member's last action.

What went wrong shows with a ✗ in the error colour, what was done with a ✓ in the success
colour, progress ("Exporting…") plain; every screen says it the same way.
"""

from __future__ import annotations

from textual.widgets import Static

from mlm_tui.display import data_text


class StatusLine(Static):
    """The answer to the last action; ``hidden_when_empty`` takes no room until there is one."""

    DEFAULT_CSS = """
    StatusLine { height: auto; padding: 0 1; }
    StatusLine.-error { color: $text-error; }
    StatusLine.-done { color: $text-success; }
    """

    def __init__(self, *, id: str, hidden_when_empty: bool = False) -> None:
        super().__init__("", id=id, markup=False)
        self.hidden_when_empty = hidden_when_empty
        self.display = not hidden_when_empty

    def show(self, text: str, *, error: bool = False, done: bool = False) -> None:
        """Show ``text`` (an empty one clears the line)."""
        mark = "✗ " if error and text else "✓ " if done and text else ""
        self.update(data_text(mark + text))
        self.set_class(error, "-error")
        self.set_class(done, "-done")
        if self.hidden_when_empty:
            self.display = bool(text)
