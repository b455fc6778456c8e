"""The full-screen app and its terminal: without one it does not start; when its
terminal goes away it ends, and lets go of the store."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from mlm_tui.cli import main

STARTED = b"Password"  # on the login screen: the app is up and reading its input
WAIT = 20  # seconds: only ever reached when something is broken
PROMPTLY = 5  # seconds from the terminal closing to the process gone


def test_without_a_terminal_the_app_does_not_start(world_file, monkeypatch, capsys):
    import mlm_tui.app

    started = []
    monkeypatch.setattr(mlm_tui.app, "run_app", lambda *a, **k: started.append(a) or 0)
    # Under pytest standard input is not a terminal, as in `ssh host mlm-tui` or a pipe.
    assert not sys.stdin.isatty()
    assert main(["--data-dir", str(world_file.parent)]) == 2
    assert capsys.readouterr().err == (
        "mlm-tui: the app needs a terminal, and standard input or output is not one: over "
        "SSH use `ssh -t`; scripts use the commands (`mlm-tui --help`)\n")
    assert started == []


def _read_until(master: int, wanted: bytes, deadline: float) -> bytes:
    seen = b""
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            seen += os.read(master, 65536)
    return seen


def test_the_app_ends_when_its_terminal_closes(world_file: Path):
    """In a real pseudo-terminal, but not as the app's controlling terminal (a new session,
    as under a supervisor or nohup): closing it sends no hang-up signal, the app's input
    just hangs up. It must end promptly, not spin."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    app = subprocess.Popen(
        [sys.executable, "-m", "mlm_tui", "--data-dir", str(world_file.parent)],
        stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    os.close(slave)
    try:
        assert STARTED in _read_until(master, STARTED, time.monotonic() + WAIT)
        os.close(master)
        assert app.wait(timeout=PROMPTLY) == 129  # as a hang-up signal would have it
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
