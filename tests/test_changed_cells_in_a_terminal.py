"""In a real pseudo-terminal the app writes only the cells that changed, and a person sees
exactly what Textual's whole lines would have shown: the app's output is fed to a terminal
emulator (pyte) beside a second one fed, in the app's own process, every frame whole."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pyte

from tests import world
from tests.test_changed_cells import XtermScreen, seen
from tests.test_terminal import WAIT

COLUMNS, LINES = 80, 24
DOWN, PAGE_DOWN, F5 = b"\x1b[B", b"\x1b[6~", b"\x1b[15~"

# The app as ``mlm-tui`` runs it, with every frame also written whole to an emulator of
# its own, whose cells go to a file after each frame.
WHOLE_LINES_BESIDE = """
import sys, pyte
from mlm_tui import changed_cells
screen = pyte.Screen({columns}, {lines})
stream = pyte.Stream(screen)
changes = changed_cells.ChangedCells.render_segments
def render(self, console):
    written = changes(self, console)
    stream.feed(self.update.render_segments(console))
    with open({dump!r} + ".new", "w") as dump:
        dump.write(repr(cells(screen)))
    import os
    os.replace({dump!r} + ".new", {dump!r})
    return written
def cells(screen):
    return [[seen(screen.buffer[y][x]) for x in range(screen.columns)]
            for y in range(screen.lines)]
def seen(c):  # as tests.test_changed_cells.seen: what a person sees of a cell
    fg, bg = (c.bg, c.fg) if c.reverse else (c.fg, c.bg)
    if c.data == " ":
        return (c.data, bg, c.underscore, c.strikethrough)
    return (c.data, fg, bg, c.bold, c.italics, c.underscore, c.strikethrough)
changed_cells.ChangedCells.render_segments = render
from mlm_tui.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _cells(screen: pyte.Screen) -> list[list[tuple[object, ...]]]:
    return [[seen(screen.buffer[y][x]) for x in range(screen.columns)]
            for y in range(screen.lines)]


class _App:
    def __init__(self, data_dir: Path, dump: Path) -> None:
        import pty

        # As xterm-256color, which the app is told it runs in, erases (back colour erase).
        self.screen = XtermScreen(COLUMNS, LINES, bce=True)
        self.stream = pyte.ByteStream(self.screen)
        self.dump = dump
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        code = WHOLE_LINES_BESIDE.format(columns=COLUMNS, lines=LINES, dump=str(dump))
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, "--data-dir", str(data_dir)],
            stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
            env={**os.environ, "TERM": "xterm-256color", "MLM_TUI_LANG": "en",
                 "LANG": "C.UTF-8", "SSH_CONNECTION": "127.0.0.1 50000 127.0.0.1 22"})
        os.close(slave)
        self.master = master

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            self.stream.feed(os.read(self.master, 65536))

    def shows(self, text: str) -> bool:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if any(text in line for line in self.screen.display):
                return True
            self._read(0.2)
        return False

    def same_as_whole_lines(self) -> bool:
        """Whether the terminal comes to show what the whole lines show."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            self._read(0.2)
            if self.dump.exists() and repr(_cells(self.screen)) == self.dump.read_text():
                return True
        return False

    def press(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        os.close(self.master)


def test_what_the_terminal_shows_is_what_whole_lines_would_show(world_file, tmp_path):
    app = _App(world_file.parent, tmp_path / "whole-lines")
    try:
        assert app.shows("Password")
        assert app.same_as_whole_lines()
        app.press(world.ANNA.registration_number.encode() + b"\t")
        app.press(world.PASSWORD.encode() + b"\r")
        assert app.shows("products")
        app.press(b"cre")  # the catalog's search narrows as she types
        assert app.same_as_whole_lines()
        app.press(F5)
        assert app.shows("newest first")
        assert app.same_as_whole_lines()
        app.press(DOWN + DOWN)
        assert app.same_as_whole_lines()
        app.press(PAGE_DOWN + b"\r")  # the order opens
        assert app.same_as_whole_lines()
        app.press(b"\x1b")  # back to the history
        assert app.shows("newest first")
        assert app.same_as_whole_lines()
    finally:
        app.close()
