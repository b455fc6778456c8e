"""Keys arriving together land where they would have landed typed one by one.

The app runs in a real pseudo-terminal; each burst is one write of all its bytes, as a
paste or a stalled SSH link delivers it, and what the terminal shows is read through a
terminal emulator (pyte).
"""

from __future__ import annotations

import os
import pty
import select
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyte
import pytest

from tests import world
from tests.screens.snapshot_app import _world_template

pytestmark = pytest.mark.long_running  # runs for seconds: first in the run

F3 = "\x1bOR"  # as xterm sends it
TAB, ENTER = "\t", "\r"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"  # a bracketed paste


class Terminal:
    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)

    def write(self, text: str) -> None:
        os.write(self.fd, text.encode())  # one burst

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def read(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if select.select([self.fd], [], [], min(left, 0.05))[0]:
                try:
                    self.stream.feed(os.read(self.fd, 65536))
                except OSError:
                    return

    def wait_for(self, wanted: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.read(0.05)
            if wanted in self.text():
                return self.text()
        raise AssertionError(f"never saw {wanted!r}; the screen was:\n{self.text()}")

    def settle(self, quiet: float = 0.3, at_most: float = 3.0) -> str:
        """Read until nothing but the cursor's blink has been drawn for ``quiet`` seconds."""
        deadline = time.monotonic() + at_most
        shown = self.text()
        while time.monotonic() < deadline:
            self.read(quiet)
            if self.text() == shown:
                break
            shown = self.text()
        return shown


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(_world_template(False), data / "store.db")
    env = {"MLM_TUI_STATE_DIR": str(tmp_path / "state"),
           "MLM_TUI_CONFIG_DIR": str(tmp_path / "config"), "TERM": "xterm-256color",
           "COLUMNS": "80", "LINES": "24", "PYTHON_KEYRING_BACKEND":
           "keyring.backends.fail.Keyring",
           "MLM_TUI_LANG": "en"}  # the texts looked for are English; the company is Russian
    pid, fd = pty.fork()
    if pid == 0:  # the child: the app
        os.environ.update(env)
        os.execv(sys.executable, [sys.executable, "-m", "mlm_tui", "--data-dir", str(data)])
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    try:
        yield Terminal(fd)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def log_in_in_one_burst(terminal: Terminal) -> None:
    terminal.wait_for("Password")
    terminal.settle()
    terminal.write(world.ANNA.registration_number + TAB + world.PASSWORD + ENTER)
    terminal.wait_for(world.ANNA.full_name)
    terminal.settle()


def log_in_step_by_step(terminal: Terminal) -> None:
    """Each part on its own, waiting for the app in between, as a slow typist would."""
    terminal.wait_for("Password")
    for part in (world.ANNA.registration_number, TAB, world.PASSWORD, ENTER):
        terminal.settle()
        terminal.write(part)
    terminal.wait_for(world.ANNA.full_name)
    terminal.settle()


def line_with(text: str, wanted: str) -> str:
    return next((line for line in text.splitlines() if wanted in line), "")


def test_login_tab_password_enter_in_one_burst_signs_in(terminal: Terminal) -> None:
    log_in_in_one_burst(terminal)  # the login, Tab, the password, Enter at once
    assert world.PASSWORD not in terminal.text()


def test_a_burst_right_after_f3_lands_in_the_quick_order_rows(terminal: Terminal) -> None:
    log_in_step_by_step(terminal)
    terminal.write(F3 + "32548" + ENTER + "3" + ENTER + "33012" + ENTER + "2" + ENTER)
    terminal.wait_for("2 lines ready")
    text = terminal.settle()
    assert "Крем для лица «Нежность»" in line_with(text, " 32548 ")
    assert " 3 " in line_with(text, " 32548 ")
    assert "Тушь для ресниц «Объём»" in line_with(text, " 33012 ")
    assert " 2 " in line_with(text, " 33012 ")


def test_slash_then_a_code_in_one_burst_searches_for_it(terminal: Terminal) -> None:
    log_in_step_by_step(terminal)
    for _key in range(2):  # from the search field to the product list, one key at a time
        terminal.write(TAB)
        terminal.settle()
    assert "Крем для лица" in terminal.text()
    terminal.write("/" + "33012")
    terminal.wait_for("1 product")
    text = terminal.settle()
    assert "33012" in line_with(text, "▊  ")  # in the search field
    assert "Тушь для ресниц" in text
    assert "Крем для лица" not in text


def test_a_paste_right_after_f3_lands_in_the_quick_order(terminal: Terminal) -> None:
    log_in_step_by_step(terminal)
    terminal.write(F3 + PASTE_START + "32548 3\n33012 2\n" + PASTE_END)
    terminal.wait_for("2 lines ready")
    text = terminal.settle()
    assert " 3 " in line_with(text, " 32548 ")
    assert " 2 " in line_with(text, " 33012 ")
