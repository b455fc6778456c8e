"""A box in the theme's rounded frame with its title in the border: the login form, the
first-start welcome; each screen gives it its width and place."""

from __future__ import annotations

from textual.containers import Vertical


class FramedBox(Vertical):
    DEFAULT_CSS = """
    FramedBox { max-width: 100%; height: auto; border: round $primary; padding: 0 1; }
    """

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(id=id)
        self.border_title = title
