"""Textual's footer, rebuilt once per burst of key changes, and only when the keys differ.

The footer rebuilds all its keys whenever the screen's bindings change, and opening a
screen changes them several times in a row (focus moves, a filter fills, the session
arrives): each change queued a rebuild of its own, most of the work of opening a screen
like the order history. Here a change queues a rebuild only when none is waiting, and
that one rebuild shows the bindings as they are by then. Most focus moves leave the
shown keys as they were (Tab between two inputs): then nothing is rebuilt at all.

Bindings carry their description untranslated (marked with ``N_``, declared before the
language is chosen): the footer translates each one as it draws it, so a change of
language shows at the next rebuild.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

from mlm_tui.i18n import _, current_language

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen

# What the footer draws of each binding, in which language; equal tuples draw an equal
# footer.
KeysShown = tuple[object, ...]


class KeysFooter(Footer):
    _rebuild_waiting = False
    _keys_drawn: KeysShown | None = None

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = _(widget.description) if widget.description else ""
                if isinstance(widget.tooltip, str) and widget.tooltip:
                    widget.tooltip = _(widget.tooltip)
                # A FooterKey starts compact and is then bound to the footer's own
                # setting, and its watcher sets its class when it is mounted: two
                # restyles per key on every rebuild. Starting it as it will end costs
                # none. (The palette's key is not bound: it stays compact.)
                if not widget.has_class("-command-palette"):
                    widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(widget.compact, "-compact", update=False)
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

    def _keys_shown(self) -> KeysShown:
        return (current_language(), *(
            (binding.key, binding.action, binding.description, binding.show, binding.group,
             enabled, tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
        ))

    async def _rebuild(self) -> None:
        self._rebuild_waiting = False
        if not self.is_attached:  # its screen closed before the rebuild came round
            return
        keys = self._keys_shown()
        if keys == self._keys_drawn:
            return
        self._keys_drawn = keys
        await self.recompose()
