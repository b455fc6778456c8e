"""``[keys]`` in config.toml: bindings moved to other keys, or a clear message naming the
line that cannot be used."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlm_tui.cli import main
from mlm_tui.core.settings import ConfigError, load_settings
from mlm_tui.keymap import keymap_of


def configured(home: Path, keys: str) -> Path:
    path = home / ".config" / "mlm-tui" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'session_days = 14\n\n[keys]\n{keys}\n\n[smtp]\nport = 25\n',
                    encoding="utf-8")
    return path


def test_keys_move_by_short_name_or_binding_id(isolated_dirs):
    configured(isolated_dirs, 'help = "f11"\ncatalog = "ctrl+k,F13"\norders.export = "?"\n'
                              '"app.quit" = "ctrl+x"')
    assert keymap_of(load_settings()) == {
        "app.help": "f11", "go.catalog": "ctrl+k,f13", "orders.export": "question_mark",
        "app.quit": "ctrl+x"}


@pytest.mark.parametrize(("keys", "message"), [
    ('help = "f11"\nhelpp = "f2"',
     "line 5: [keys] helpp: there is no such key binding"),
    ('orders.nope = "x"', "line 4: [keys] orders.nope: there is no such key binding"),
    ('quit = "ctrl+banana"', "line 4: [keys] quit = 'ctrl+banana': 'ctrl+banana' is not a key"),
    ('help = 2', 'line 4: [keys] help must be keys in quotes, like "f2" or "ctrl+h"'),
    ('cart = "f2"', "line 4: [keys] f2 would be the key of both catalog and cart"),
])
def test_a_wrong_entry_is_named_with_its_line(isolated_dirs, keys, message):
    path = configured(isolated_dirs, keys)
    with pytest.raises(ConfigError) as refused:
        keymap_of(load_settings())
    assert refused.value.message.startswith(f"{path}, {message}")


def test_the_app_does_not_start_with_a_wrong_entry(isolated_dirs, capsys, monkeypatch):
    import mlm_tui.app

    started = []
    monkeypatch.setattr(mlm_tui.app, "run_app", lambda *a, **k: started.append(k) or 0)
    path = configured(isolated_dirs, 'help = "f99"')
    assert main([]) == 1
    assert capsys.readouterr().err == (
        f"mlm-tui: {path}, line 4: [keys] help = 'f99': 'f99' is not a key (keys are "
        'written like "f2", "ctrl+q", "shift+f5", "e")\n')
    assert started == []
