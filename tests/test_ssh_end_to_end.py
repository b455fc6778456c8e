"""Signing in with an SSH key through a real OpenSSH server, as a field leader does.

sshd on 127.0.0.1 is configured with the snippet ``mlm-tui ssh-setup`` prints; it asks
``mlm-tui ssh-keys`` about each key presented and runs only ``mlm-tui ssh-session`` for it.
Irina's key is registered, Olga's was and is removed. One server for the module: each
connection costs a few Python start-ups, and the tests only read what they need.
"""

from __future__ import annotations

import csv
import io
import os
import pty
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import world
from tests.screens.test_bursts import Terminal
from tests.sshd import Sshd, client_key, missing, sshd_serving

pytestmark = [pytest.mark.skipif(missing() is not None, reason=str(missing())),
              pytest.mark.long_running]  # runs for seconds: first in the run
WAIT = 60  # seconds a step may take on a loaded machine before the test gives up


@dataclass
class Team:
    sshd: Sshd
    data: Path
    irina_key: Path
    olga_key: Path  # registered, then removed


@pytest.fixture(scope="module")
def team(world_orders_template: Path, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[Team]:
    from mlm_tui.core.local import LocalBackend
    from mlm_tui.core.settings import load_settings

    root = tmp_path_factory.mktemp("ssh")
    data = root / "data"
    data.mkdir(mode=0o700)
    shutil.copyfile(world_orders_template, data / "store.db")
    keys = root / "client"
    irina_key, olga_key = client_key(keys, "irina"), client_key(keys, "olga")
    backend = LocalBackend(load_settings(data_dir=data))
    try:
        backend.login(world.IRINA.registration_number, world.PASSWORD)
        backend.add_ssh_key(irina_key.with_suffix(".pub").read_text())
        backend.login(world.OLGA_MSK.registration_number, world.PASSWORD)
        removed = backend.add_ssh_key(olga_key.with_suffix(".pub").read_text())
        backend.remove_ssh_key(removed.fingerprint)
    finally:
        backend.close()
    # LANG: a UTF-8 terminal, as Debian's sshd takes it from the client (AcceptEnv LANG);
    # without it the app would write ASCII alone.
    env = {"LANG": "C.UTF-8", "MLM_TUI_LANG": "en", "MLM_TUI_STATE_DIR": str(root / "state"),
           "MLM_TUI_CONFIG_DIR": str(root / "config"),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    with sshd_serving(data, root / "sshd", env=env) as sshd:
        yield Team(sshd, data, irina_key, olga_key)


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=WAIT,
                          stdin=subprocess.DEVNULL)


def _key_sessions(data: Path) -> int:
    import sqlite3

    with sqlite3.connect(data / "store.db") as conn:
        return int(conn.execute(
            "SELECT count(*) FROM sessions WHERE key_id IS NOT NULL").fetchone()[0])


def _sessions_running(data: Path) -> list[str]:
    """Command lines of ssh-session processes on this store still running."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        line = " ".join(word.decode(errors="replace") for word in words)
        if "ssh-session" in line and str(data) in line:
            found.append(line)
    return found


def test_her_key_lands_her_in_the_app_signed_in_and_the_session_ends_with_it(team: Team):
    pid, fd = pty.fork()
    if pid == 0:  # the child: the ssh client in a terminal of 80x24
        os.environ.update(TERM="xterm-256color", COLUMNS="80", LINES="24")
        command = team.sshd.ssh(team.irina_key, tty=True)
        os.execvp(command[0], command)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    terminal = Terminal(fd)
    try:
        text = terminal.wait_for(world.IRINA.full_name, timeout=WAIT)
        header = "\n".join(text.splitlines()[:2])
        assert f"{world.IRINA.full_name} No. {world.IRINA.registration_number}" in header
        assert "Password" not in text  # signed in, none asked
        assert "Password" not in text
        assert _key_sessions(team.data) == 1
    finally:
        os.kill(pid, signal.SIGKILL)  # the connection drops
        os.waitpid(pid, 0)
        os.close(fd)
    deadline = time.monotonic() + WAIT
    while (_sessions_running(team.data) or _key_sessions(team.data)) \
            and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _sessions_running(team.data) == []
    assert _key_sessions(team.data) == 0  # nothing is left that could be resumed


def test_her_command_over_ssh_gives_her_rows_and_nothing_of_others(team: Team):
    done = _run(team.sshd.ssh(team.irina_key, "orders", "list", "--month", "2026-10",
                              "--csv"))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    # October holds Anna's, Petr's and Irina's orders; Irina sees her own only.
    assert [(r["Order"], r["Member"]) for r in rows] == [
        (world.WORLD_ORDERS[6].number, world.IRINA.full_name)]
    assert _key_sessions(team.data) == 0


def test_without_a_terminal_the_app_says_so_and_leaves_nothing_running(team: Team):
    done = _run(team.sshd.ssh(team.irina_key, tty=False))
    assert done.returncode == 2
    assert "the app needs a terminal: connect with `ssh -t HOST`" in done.stderr
    assert _sessions_running(team.data) == []
    assert _key_sessions(team.data) == 0


def test_a_shell_and_copying_files_are_refused(team: Team, tmp_path: Path):
    shell = _run(team.sshd.ssh(team.irina_key, "sh", "-c", "id"))
    assert shell.returncode == 2
    assert "only these commands are offered over SSH" in shell.stderr
    assert "uid=" not in shell.stdout
    source = tmp_path / "notes.txt"
    source.write_text("hello")
    target = f"{team.sshd.user}@127.0.0.1:{tmp_path / 'copied.txt'}"
    options = [*team.sshd.client_options(team.irina_key), "-P", str(team.sshd.port)]
    legacy = _run(["scp", "-O", *options, str(source), target])  # the scp protocol
    assert legacy.returncode != 0
    assert "copying files (scp) is not offered here" in legacy.stderr
    # Over sftp sshd drops what a subsystem says on stderr: the refusal answers in the
    # sftp protocol. The sftp client shows its words; scp shows its own for "permission
    # denied", where it said no more than "Connection closed".
    over_sftp = _run(["scp", *options, str(source), target])
    assert over_sftp.returncode != 0
    assert "Permission denied" in over_sftp.stderr
    assert "Connection closed" not in over_sftp.stderr
    assert not (tmp_path / "copied.txt").exists()
    sftp = _run(["sftp", *options, f"{team.sshd.user}@127.0.0.1"])
    assert sftp.returncode != 0
    assert "copying files (sftp) is not offered here" in sftp.stderr


def test_a_removed_key_is_refused(team: Team):
    done = _run(team.sshd.ssh(team.olga_key, "keys", "list"))
    assert done.returncode == 255  # ssh's own: not let in
    assert "Permission denied (publickey)" in done.stderr
    assert done.stdout == ""

