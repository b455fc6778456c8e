"""A terminal whose locale is not UTF-8 gets ASCII alone, each character as wide as the
one it stands for; in a real pseudo-terminal with ``LANG=C`` not one other byte arrives."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from rich.cells import cell_len

from mlm_tui.glyphs import ascii_text, terminal_is_utf8
from tests import world
from tests.test_terminal import STARTED, WAIT, _read_until


@pytest.mark.parametrize(("environment", "utf8"), [
    ({"LANG": "C"}, False),
    ({"LC_ALL": "POSIX", "LANG": "en_US.UTF-8"}, False),
    ({"LANG": "de_DE.ISO-8859-1"}, False),
    ({}, False),  # no locale at all: the C locale
    ({"LANG": "ru_RU.UTF-8"}, True),
    ({"LANG": "C", "LC_CTYPE": "de_DE.utf8"}, True),
    ({"LC_ALL": "en_GB.UTF-8", "LANG": "C"}, True),
])
def test_the_locale_says_whether_the_terminal_is_utf8(environment, utf8):
    assert terminal_is_utf8(environment, python_coerced=False) is utf8


def test_the_locale_python_puts_in_place_of_c_is_not_the_terminals():
    # Started with LANG=C, Python 3.11 sets LC_CTYPE=C.UTF-8 for itself (PEP 538).
    assert not terminal_is_utf8({"LANG": "C", "LC_CTYPE": "C.UTF-8"}, python_coerced=True)


@pytest.mark.parametrize(("text", "ascii"), [
    ("╭─ Log in ──╮", "+- Log in --+"),
    ("│ ▊▔▔▔▎ │", "| |---| |"),
    ("Анна Смирнова · Müller", "Anna Smirnova | Muller"),
    ("Северное сияние", "Severnoe sianie"),
    ("Тушь «Объём»…", 'Tus\' "Ob\'em"~'),
    ("✓ −10% ▼ → ⏎", "+ -10% v > <"),
    ("1\u202f234\xa0₽", "1 234 R"),
    ("商品", "????"),
])
def test_every_character_becomes_ascii_as_wide_as_it_was(text, ascii):
    assert ascii_text(text) == ascii
    assert cell_len(ascii) == cell_len(text)


def test_with_lang_c_nothing_but_ascii_reaches_the_terminal(world_file):
    """The login screen, then the catalog (a list of Russian products with prices)."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    environment = {**os.environ, "TERM": "xterm-256color", "LANG": "C", "MLM_TUI_LANG": "en"}
    for name in ("LC_ALL", "LC_CTYPE", "PYTHONUTF8"):
        environment.pop(name, None)
    app = subprocess.Popen(
        [sys.executable, "-m", "mlm_tui", "--data-dir", str(world_file.parent)],
        stdin=slave, stdout=slave, stderr=slave, start_new_session=True, env=environment)
    os.close(slave)
    try:
        login = _read_until(master, STARTED, time.monotonic() + WAIT)
        assert STARTED in login
        os.write(master, world.ANNA.registration_number.encode() + b"\t")
        os.write(master, world.PASSWORD.encode() + b"\r")
        catalog = b""
        # The count, the prices in the list, and who is signed in (in the header).
        for wanted in (b"products", b" RUB", b"Anna"):
            if wanted not in catalog:
                catalog += _read_until(master, wanted, time.monotonic() + WAIT)
            assert wanted in catalog
    finally:
        app.kill()
        app.wait()
        os.close(master)
    written = login + catalog
    assert [byte for byte in written if byte > 0x7F] == []
