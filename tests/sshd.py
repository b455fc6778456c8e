"""A real OpenSSH server on 127.0.0.1 for the tests that sign in over SSH.

    with sshd_serving(data_dir, workdir, env={"MLM_TUI_LANG": "en"}) as sshd:
        subprocess.run(sshd.ssh(key_file, "orders", "list"))

It runs as the current user (``sshd -D -e``) on a free port with a host key and a config
of its own, made in ``workdir``, and ends with the block. The config is the snippet
``mlm-tui ssh-setup`` prints for this user, after what a server of one's own needs:
without PAM, and without the checks of a home directory that a test's is not made for.
``env`` is set for every session (``SetEnv``), so that the app keeps its state in the test's
folders. sshd runs the AuthorizedKeysCommand only if it and every folder above it belong
to root and nobody else may write them; ``missing()`` says why that cannot be here.
"""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.smtp import free_port

SSHD = "/usr/sbin/sshd"


def missing() -> str | None:
    """Why a real sshd cannot serve the tests here, or None."""
    from mlm_tui.cli_ssh import mlm_tui_command, path_problems

    if not os.path.exists(SSHD) or shutil.which("ssh") is None:
        return "OpenSSH is not installed (apt-get install openssh-server openssh-client)"
    if os.geteuid() != 0:
        # A server not run by root can only let its own user in, and that user's
        # mlm-tui must still belong to root for sshd to run it.
        problems = path_problems(mlm_tui_command())
        if problems:
            return "sshd will not run this mlm-tui: " + "; ".join(problems)
    return None


@dataclass
class Sshd:
    port: int
    user: str
    log: Path

    def ssh(self, key: Path, *command: str, tty: bool | None = None) -> list[str]:
        """The ``ssh`` command line that connects with ``key`` and asks for ``command``
        (``tty``: True forces a terminal, as ``-tt``; False refuses one, as ``-T``)."""
        words = ["ssh", *self.client_options(key), "-p", str(self.port)]
        if tty is True:
            words.append("-tt")
        elif tty is False:
            words.append("-T")
        return [*words, f"{self.user}@127.0.0.1", *command]

    def client_options(self, key: Path) -> list[str]:
        return ["-F", "/dev/null", "-i", str(key), "-o", "IdentitiesOnly=yes",
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"]


def client_key(folder: Path, name: str) -> Path:
    """A new ed25519 key pair for a client: the private key's path (``.pub`` beside it)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f",
                    str(path)], check=True)
    return path


@contextmanager
def sshd_serving(data_dir: Path, workdir: Path,
                 env: Mapping[str, str] | None = None) -> Iterator[Sshd]:
    from mlm_tui.cli_ssh import mlm_tui_command, sshd_snippet, unix_user
    from mlm_tui.core.settings import load_settings

    workdir.mkdir(parents=True, exist_ok=True)
    host_key = workdir / "host_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(host_key)],
                   check=True)
    if os.geteuid() == 0:
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # where root's sshd confines
    user, port = unix_user(), free_port()
    set_env = " ".join(f"{name}={value}" for name, value in (env or {}).items())
    snippet = sshd_snippet(load_settings(data_dir=data_dir), user)
    command = mlm_tui_command()
    with _runnable_by_sshd(command) as runnable:
        snippet = snippet.replace(f"AuthorizedKeysCommand {shlex.quote(str(command))}",
                                  f"AuthorizedKeysCommand {shlex.quote(str(runnable))}")
        with _sshd(workdir, host_key, port, set_env, snippet) as sshd:
            yield Sshd(port, user, sshd)


@contextmanager
def _runnable_by_sshd(command: Path) -> Iterator[Path]:
    """``command``, or where sshd will run it from. sshd runs an AuthorizedKeysCommand only
    if it and every folder above it belong to root and nobody else may write them; a
    checkout under /tmp (as CI's may be) fails that. Root then gets a stand-in that runs
    it, in a folder of root's home made for the test."""
    from mlm_tui.cli_ssh import path_problems

    if os.geteuid() != 0 or not path_problems(command):
        yield command
        return
    folder = Path(tempfile.mkdtemp(prefix=".mlm-tui-sshd-", dir=pwd.getpwuid(0).pw_dir))
    try:
        stand_in = folder / "mlm-tui"
        stand_in.write_text(f"#!/bin/sh\nexec {shlex.quote(str(command))} \"$@\"\n")
        stand_in.chmod(0o755)
        yield stand_in
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _sshd(workdir: Path, host_key: Path, port: int, set_env: str,
          snippet: str) -> Iterator[Path]:
    config = workdir / "sshd_config"
    config.write_text("\n".join((
        f"Port {port}",
        "ListenAddress 127.0.0.1",
        f"HostKey {host_key}",
        "PidFile none",
        "UsePAM no",
        "StrictModes no",
        "PermitRootLogin prohibit-password",
        "Subsystem sftp internal-sftp",
        *([f"SetEnv {set_env}"] if set_env else []),
        "",
        snippet,
    )), encoding="utf-8")
    log = workdir / "sshd.log"
    with open(log, "wb") as output:
        process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)],
                                   stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_until_listening(port, process, log)
        yield log
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_listening(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            pass
        if process.poll() is not None:
            raise AssertionError(f"sshd stopped while starting: {log.read_text()}")
        assert time.monotonic() < deadline, "sshd never listened"
        time.sleep(0.05)
