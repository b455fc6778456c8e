"""The colours the app draws with follow the terminal's: what reaches a terminal that has
16 colours, or none, in a real pseudo-terminal."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mlm_tui.colours import Colours, terminal_colours
from tests.test_terminal import STARTED, WAIT, _read_until

SGR = re.compile(rb"\x1b\[([0-9;:]*)m")
FOREGROUND_BACKGROUND = set(range(30, 50)) | set(range(90, 98)) | set(range(100, 108))


@pytest.mark.parametrize(("environment", "colours"), [
    ({"TERM": "xterm"}, Colours.SIXTEEN),
    ({"TERM": "linux"}, Colours.SIXTEEN),
    ({"TERM": "screen"}, Colours.SIXTEEN),
    ({"TERM": "vt100"}, Colours.SIXTEEN),
    ({"TERM": "xterm-256color"}, Colours.MANY),
    ({"TERM": "xterm", "COLORTERM": "truecolor"}, Colours.MANY),
    ({"TERM": "dumb"}, Colours.NONE),
    ({"TERM": "xterm-256color", "NO_COLOR": "1"}, Colours.NONE),
])
def test_the_terminal_says_how_many_colours(monkeypatch, environment, colours):
    for name in ("TERM", "COLORTERM", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert terminal_colours() is colours


def _colour_codes(term: str, data_dir: Path) -> list[int]:
    """Every colour parameter of the SGR sequences the app writes until the login shows."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    environment = {**os.environ, "TERM": term, "MLM_TUI_LANG": "en"}
    for name in ("COLORTERM", "NO_COLOR", "TEXTUAL_COLOR_SYSTEM"):
        environment.pop(name, None)
    app = subprocess.Popen([sys.executable, "-m", "mlm_tui", "--data-dir", str(data_dir)],
                           stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                           env=environment)
    os.close(slave)
    try:
        written = _read_until(master, STARTED, time.monotonic() + WAIT)
        assert STARTED in written
    finally:
        app.kill()
        app.wait()
        os.close(master)
    codes = []
    for match in SGR.finditer(written):
        params = [int(p) for p in re.split(rb"[;:]", match.group(1)) if p]
        codes += params
    return codes


def test_a_dumb_terminal_gets_no_colour(world_file):
    codes = _colour_codes("dumb", world_file.parent)
    assert codes  # bold and reverse video still say what colour would
    assert [code for code in codes if code in FOREGROUND_BACKGROUND] == []


def test_a_16_colour_terminal_gets_only_its_16_colours(world_file):
    codes = _colour_codes("xterm", world_file.parent)
    assert [code for code in codes if code in FOREGROUND_BACKGROUND]
    assert 38 not in codes and 48 not in codes  # no 256 and no 24-bit colours
