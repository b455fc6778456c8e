"""Textual's footer, rebuilt once per burst of key changes.

The footer rebuilds all its keys whenever the screen's bindings change, and opening a
screen changes them several times in a row (focus moves, a filter fills, the session
arrives): each change queued a rebuild of its own, most of the work of opening a screen
like the order history. Here a change queues a rebuild only when none is waiting, and
that one rebuild shows the bindings as they are by then.

Bindings carry their description untranslated (marked with ``N_``, declared before the
language is chosen): the footer translates each one as it draws it, so a change of
language shows at the next rebuild.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

from mlm_tui.i18n import _

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen


class KeysFooter(Footer):
    _rebuild_waiting = False

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = _(widget.description) if widget.description else ""
                if isinstance(widget.tooltip, str) and widget.tooltip:
                    widget.tooltip = _(widget.tooltip)
            elif isinstance(widget, FooterLabel) and isinstance(widget.content, str):
                widget.update(_(widget.content))
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        # As Footer.bindings_changed (Textual is pinned exactly), with the rebuilds merged.
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_waiting:
            self._rebuild_waiting = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_waiting = False
        await self.recompose()
