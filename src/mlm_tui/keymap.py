"""``[keys]`` in config.toml: bindings given other keys, for a terminal that swallows F1,
F10 or F11 (a terminal window's full screen, a multiplexer's prefix).

    [keys]
    help = "f2"             # the keys that work everywhere, by a short name
    quit = "ctrl+q"
    catalog = "ctrl+k"      # a screen to go to, by its name in navigation
    orders.export = "e"     # a screen's own key, by its binding id

Several keys are written ``"f2,ctrl+h"``. A name that is no binding, a key Textual cannot
name, or a key that two app-wide bindings would share is refused, naming the line. The
result is a Textual keymap (binding id -> keys): the footer, the help and the palette
show the keys in force.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from functools import cache

from textual.keys import Keys, _character_to_key

from mlm_tui.core.settings import ConfigError, KeySetting, Settings
from mlm_tui.navigation import DESTINATIONS

# The app's own bindings by the short names ``[keys]`` knows them by (app.py gives the ids).
APP_WIDE = {"help": "app.help", "quit": "app.quit", "back": "app.back",
            "commands": "app.palette", **{place.id: f"go.{place.id}" for place in DESTINATIONS}}
MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
_NAMED_KEYS = frozenset(key.value for key in Keys
                        if "+" not in key.value and not key.value.startswith("<"))
# Enter and the like, and the printable ASCII keys by name: "question_mark", "slash".
_MORE_KEYS = frozenset({"enter", "space", "backspace"}
                       | {_character_to_key(chr(code)) for code in range(33, 127)})


def keymap_of(settings: Settings) -> dict[str, str]:
    """The keymap ``[keys]`` asks for; ``ConfigError`` naming the line of a wrong entry."""
    path = settings.config_dir / "config.toml"
    keymap: dict[str, str] = {}
    for setting in settings.keys:
        where = f"{path}, line {setting.line}" if setting.line else str(path)
        binding_id = _binding_id(setting, where)
        keymap[binding_id] = _keys(setting, where)
    if keymap:
        _refuse_shared_keys(keymap, settings.keys, path)
    return keymap


def _binding_id(setting: KeySetting, where: str) -> str:
    name = setting.name
    if name in APP_WIDE:
        return APP_WIDE[name]
    if name in APP_WIDE.values() or name in screen_binding_ids():
        return name
    known = ", ".join(APP_WIDE)
    raise ConfigError(f"{where}: [keys] {name}: there is no such key binding (everywhere: "
                      f"{known}; a screen's own: its binding id, as orders.export)",
                      field=f"keys.{name}")


def _keys(setting: KeySetting, where: str) -> str:
    keys = [key.strip() for key in setting.keys.split(",")]
    for key in keys:
        if not is_key(key):
            raise ConfigError(
                f"{where}: [keys] {setting.name} = {setting.keys!r}: {key!r} is not a key "
                '(keys are written like "f2", "ctrl+q", "shift+f5", "e")',
                field=f"keys.{setting.name}")
    return ",".join(_character_to_key(key) if len(key) == 1 else key.lower() for key in keys)


def is_key(key: str) -> bool:
    """``f2``, ``ctrl+q``, ``shift+f5``, ``e``, ``question_mark``: a key Textual names."""
    if not key:
        return False
    if len(key) == 1:
        return key.isprintable() and not key.isspace()
    *modifiers, base = key.lower().split("+")
    if any(m not in MODIFIERS for m in modifiers) or len(set(modifiers)) < len(modifiers):
        return False
    return base in _NAMED_KEYS or base in _MORE_KEYS or len(base) == 1


def _refuse_shared_keys(keymap: dict[str, str], settings: Iterable[KeySetting],
                        path: object) -> None:
    """Two app-wide bindings on one key: one of them could never be used."""
    from mlm_tui.app import MlmApp

    in_force: dict[str, str] = {}  # key -> binding id
    lines = {APP_WIDE.get(s.name, s.name): s for s in settings}
    for binding in MlmApp.BINDINGS:
        if isinstance(binding, tuple) or not binding.id:
            continue
        keys = keymap.get(binding.id, binding.key)
        for key in (k.strip() for k in keys.split(",")):
            other = in_force.setdefault(key, binding.id)
            if other != binding.id:
                moved = lines.get(binding.id) or lines.get(other)
                where = (f"{path}, line {moved.line}" if moved is not None and moved.line
                         else str(path))
                raise ConfigError(
                    f"{where}: [keys] {key} would be the key of both {_short(other)} and "
                    f"{_short(binding.id)}: give one of them another key",
                    field=f"keys.{_short(binding.id)}")


def _short(binding_id: str) -> str:
    return next((name for name, bid in APP_WIDE.items() if bid == binding_id), binding_id)


@cache
def screen_binding_ids() -> frozenset[str]:
    """Every binding id of the screens and widgets (imported here, once: only a ``[keys]``
    entry for a screen's own key needs them)."""
    from textual.dom import DOMNode

    import mlm_tui.screens
    import mlm_tui.widgets

    for package in (mlm_tui.screens, mlm_tui.widgets):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
    ids: set[str] = set()
    pending: list[type] = [DOMNode]
    while pending:
        kind = pending.pop()
        pending.extend(kind.__subclasses__())
        if not kind.__module__.startswith("mlm_tui."):
            continue
        for binding in kind.__dict__.get("BINDINGS", []):
            binding_id = getattr(binding, "id", None)
            if binding_id:
                ids.add(binding_id)
    return frozenset(ids)
