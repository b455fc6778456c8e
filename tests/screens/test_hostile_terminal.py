"""The real app in a real pseudo-terminal over the poisoned store: the bytes it writes.

``mlm-tui`` is started as a person starts it (signed in with ``mlm-tui login`` first),
at 80x24; it opens on the catalog, then the customers and the order history are visited
and it is quit. Every byte the terminal received is kept: the data's OSC 52 (clipboard),
OSC 0 (window title), OSC 8 (a link from ``[link=...]``) and 8-bit CSI never arrive, while
the data itself does, drawn with visible marks.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

from mlm_tui.cli import main
from tests.hostile import LOGIN, hostile_store

F5, F7 = "\x1b[15~", "\x1b[18~"
CTRL_Q = "\x11"


class Terminal:
    """A program in a pseudo-terminal, and every byte it has written."""

    def __init__(self, argv: list[str], *, size: tuple[int, int] = (80, 24)) -> None:
        columns, lines = size
        self.output = b""
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the program
            # English: the texts looked for are; the company would choose Russian.
            os.environ.update(COLUMNS=str(columns), LINES=str(lines), TERM="xterm-256color",
                              MLM_TUI_LANG="en")
            os.execv(argv[0], argv)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))

    def read_until(self, expected: str, timeout: float = 60.0) -> None:
        wanted = expected.encode()
        deadline = time.monotonic() + timeout
        while wanted not in self.output:
            if time.monotonic() > deadline:
                raise TimeoutError(f"never saw {expected!r}; got {self.output[-2000:]!r}")
            self._read(0.1)

    def read_for(self, seconds: float) -> None:
        """Read what arrives in the next ``seconds`` (a cursor blinks: it never goes quiet)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._read(0.05)

    def type(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def _read(self, wait: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            return False
        self.output += chunk
        return bool(chunk)

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


@pytest.fixture
def signed_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A poisoned store for today, and a kept session on it (the environment points every
    directory into ``tmp_path``, and the child process inherits it)."""
    data_dir = tmp_path / "data"
    hostile_store(data_dir, today=None)
    monkeypatch.setattr(sys, "stdin", io.StringIO(LOGIN.password + "\n"))
    code = main(["--data-dir", str(data_dir), "login", LOGIN.registration_number,
                 "--password-stdin"])
    assert code == 0
    return data_dir


def test_the_terminal_receives_the_data_but_none_of_its_escapes(signed_in: Path):
    terminal = Terminal([sys.executable, "-m", "mlm_tui", "--data-dir", str(signed_in)])
    try:
        terminal.read_until("products")  # the catalog, after the backend opened
        terminal.read_for(0.5)
        terminal.type(F7)
        terminal.read_until("Type a name")
        terminal.type("а")
        terminal.read_until("matches")
        terminal.read_for(0.5)
        terminal.type(F5)
        terminal.read_until("orders ·")
        terminal.read_for(0.5)
        terminal.type(CTRL_Q)
        terminal.read_for(1.0)
    finally:
        terminal.close()
    output = terminal.output
    assert "␛]0;HACKED TITLE␇".encode() in output  # the data was drawn, as marks
    # Markup, as the text it is (at 80 columns the name is shortened with "…").
    assert b"[link=http://x]y[/lin" in output
    # OSC 52, OSC 0 and 2 (titles), OSC 8 (links), and CSI as one 8-bit C1 code (UTF-8).
    for sequence in (b"\x1b]52;", b"\x1b]0;", b"\x1b]2;", b"\x1b]8;", b"\xc2\x9b"):
        assert sequence not in output, f"{sequence!r} reached the terminal"
