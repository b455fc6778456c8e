"""The full-screen app and its terminal: without one it does not start; when its
terminal goes away it ends, and lets go of the store."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from mlm_tui.cli import main

STARTED = b"Password"  # on the login screen: the app is up and reading its input
WAIT = 20  # seconds: only ever reached when something is broken
PROMPTLY = 5  # seconds from the terminal closing to the process gone
NO_TERMINAL = ("mlm-tui: the app needs a terminal, and standard input or output is not one: "
               "over SSH use `ssh -t`; scripts use the commands (`mlm-tui --help`)\n")


def test_without_a_terminal_the_app_does_not_start(world_file, monkeypatch, capsys):
    import mlm_tui.app

    started = []
    monkeypatch.setattr(mlm_tui.app, "run_app", lambda *a, **k: started.append(a) or 0)
    # Under pytest standard input is not a terminal, as in `ssh host mlm-tui` or a pipe.
    assert not sys.stdin.isatty()
    assert main(["--data-dir", str(world_file.parent)]) == 2
    assert capsys.readouterr().err == NO_TERMINAL
    assert started == []


def test_over_ssh_without_a_terminal_it_says_so_and_touches_no_store(tmp_path: Path):
    """As ``ssh -T host mlm-tui --demo``: input a pipe, output a pipe. One line on standard
    error, status 2, and no store made (not even the demo one asked for)."""
    data_dir = tmp_path / "data"
    done = subprocess.run(
        [sys.executable, "-m", "mlm_tui", "--demo", "--data-dir", str(data_dir)],
        stdin=subprocess.PIPE, capture_output=True, timeout=WAIT,
        env={**os.environ, "MLM_TUI_LANG": "en"},
    )
    assert (done.returncode, done.stdout, done.stderr.decode()) == (2, b"", NO_TERMINAL)
    assert not (data_dir / "store.db").exists()


def _read_until(master: int, wanted: bytes, deadline: float) -> bytes:
    seen = b""
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            seen += os.read(master, 65536)
    return seen


def _controlling_terminal() -> None:
    # In the child, after setsid: standard input (the pty) becomes its terminal, as sshd
    # and terminal windows arrange it; closing the other end then sends a hang-up signal.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


@pytest.mark.parametrize("hang_up", [
    pytest.param(False, id="input-hangs-up"),  # a new session without a terminal of its own
    pytest.param(True, id="hang-up-signal"),  # the pty is its controlling terminal: SIGHUP
])
def test_the_app_ends_when_its_terminal_closes(world_file: Path, hang_up: bool):
    """In a real pseudo-terminal: once the other end is closed the app ends promptly, not
    spinning, leaves no process of its session behind, and the store is free to write."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    app = subprocess.Popen(
        [sys.executable, "-m", "mlm_tui", "--data-dir", str(world_file.parent)],
        stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
        preexec_fn=_controlling_terminal if hang_up else None,
        env={**os.environ, "TERM": "xterm-256color", "MLM_TUI_LANG": "en"},
    )
    os.close(slave)
    try:
        assert STARTED in _read_until(master, STARTED, time.monotonic() + WAIT)
        os.close(master)
        status = app.wait(timeout=PROMPTLY)
        # As a hang-up signal would have it: by the signal, or by the watcher's status.
        assert status in ((-signal.SIGHUP, 129) if hang_up else (129,))
        with pytest.raises(ProcessLookupError):
            os.killpg(app.pid, 0)  # nothing of its session is left running
        from mlm_tui.core.local.store import Store

        store = Store(world_file)
        try:
            with store.write() as conn:  # the app's lock on the store is gone with it
                conn.exec_driver_sql("CREATE TABLE written_after (x)")
        finally:
            store.close()
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()


_WATCHED = """
import os, pathlib, sys, threading, time
import mlm_tui.terminal as terminal

terminal.GRACE_SECONDS = 0.3
out, case = pathlib.Path(sys.argv[1]), sys.argv[2]

class EndedApp:  # its loop has ended (as by the hang-up signal): nothing reaches it
    def call_from_thread(self, *args, **kwargs):
        raise RuntimeError("the app is not running")
    def exit(self, **kwargs):
        pass

def last():
    time.sleep(0.5)  # longer than the grace: it is never cut short
    out.write_text("last step taken")

# As Textual's input thread at end-of-file: it would keep the process alive for ever.
threading.Thread(target=lambda: time.sleep(3600), daemon=False).start()
read_end, write_end = os.pipe()
with terminal.ended_when_input_closes(EndedApp(), read_end, last=last):
    if case != "quits":
        os.close(write_end)  # the input hangs up
    time.sleep(30 if case == "stuck" else 0.1)
out.write_text("the app quit")
os._exit(0)
"""


@pytest.mark.parametrize(("case", "status", "written"), [
    pytest.param("quits", 0, "the app quit", id="app-quits"),
    pytest.param("ends", 129, "last step taken", id="app-ends-after-hang-up"),
    pytest.param("stuck", 129, "last step taken", id="app-stuck-after-hang-up"),
])
def test_after_a_hang_up_the_process_ends_but_only_after_its_last_step(
        tmp_path: Path, case: str, status: int, written: str):
    """The terminal went: the process ends, whether the app ends or not (and a thread
    that would keep it alive does not), but never before its last step (ending an SSH
    key's session), however long that takes. Without a hang-up nothing is forced."""
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-c", _WATCHED, str(out), case], timeout=WAIT)
    assert done.returncode == status
    assert out.read_text() == written
