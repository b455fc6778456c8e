"""The command palette (ctrl+p): every destination, log out, help, and the current
screen's own commands, found by typing part of their name.

Built from :data:`mlm_tui.navigation.DESTINATIONS` and the screen's bindings that carry
an id, so a new screen or binding shows up here without touching this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from mlm_tui.i18n import LANGUAGES, _, current_language
from mlm_tui.navigation import DESTINATIONS


@dataclass(frozen=True, slots=True)
class PaletteCommand:
    title: str
    help: str
    callback: Callable[[], Any]


def palette_commands(app: Any, screen: Any) -> list[PaletteCommand]:
    """What the palette offers on ``screen``: the screen's commands first."""
    commands: list[PaletteCommand] = []
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if active.node is not screen or not binding.id or not binding.description:
            continue
        if binding.action in seen or not active.enabled:
            continue
        seen.add(binding.action)
        commands.append(PaletteCommand(
            _(binding.description), _("On this screen ({key})").format(
                key=app.get_key_display(binding)),
            partial(screen.run_action, binding.action)))
    if getattr(app, "session", None) is not None:
        for place in DESTINATIONS:
            commands.append(PaletteCommand(
                _(place.title), _(place.description),
                partial(app.run_action, f"go('{place.id}')")))
        commands.append(PaletteCommand(
            _("Log out"), _("End the session and forget it on this computer"),
            app.action_logout))
    commands.append(PaletteCommand(_("Help"), _("Every key of the current screen"),
                                   app.action_help))
    for code, name in LANGUAGES.items():
        if code != current_language():
            commands.append(PaletteCommand(
                _("Language: {name}").format(name=name),
                _("Every screen in this language, at once"),
                partial(app.run_action, f"choose_language('{code}')")))
    commands.append(PaletteCommand(_("Change theme"), _("Colours of the whole app"),
                                   app.search_themes))
    commands.append(PaletteCommand(_("Quit"), _("Leave the app (Ctrl+Q)"), app.exit))
    return commands


class NavigationProvider(Provider):
    def _commands(self) -> list[PaletteCommand]:
        return palette_commands(self.app, self.screen)

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.callback,
                          help=command.help)
