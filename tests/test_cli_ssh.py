"""``mlm-tui keys`` for a member, and the host's side of signing in over SSH: the line sshd
gets for a key, the commands a key may run, and the sshd_config snippet with its checks."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mlm_tui import cli_ssh
from mlm_tui.cli_ssh import allowed_command, path_problems
from tests import world
from tests.cli_runner import runner
from tests.ssh_keys import ANNA_FINGERPRINT, ANNA_KEY, OLGA_KEY, PRIVATE_KEY_START


@pytest.fixture
def run(world_orders, capsys, monkeypatch):
    return runner(world_orders.parent, capsys, monkeypatch)


@pytest.fixture
def irina(run):
    code, _, err = run("login", world.IRINA.registration_number, "--password-stdin",
                       stdin=world.PASSWORD + "\n")
    assert code == 0, err
    return run


def test_a_member_adds_lists_and_removes_her_keys(irina, tmp_path):
    pub = tmp_path / "id_ed25519.pub"
    pub.write_text(ANNA_KEY + "\n")
    code, out, _ = irina("keys", "add", str(pub))
    assert (code, out) == (0, f"Key added: {ANNA_FINGERPRINT} anna@laptop\n")
    assert irina("keys", "add", "-", stdin=OLGA_KEY)[0] == 0
    code, out, _ = irina("keys", "list")
    assert ANNA_FINGERPRINT in out and "anna@laptop" in out and "olga@phone" in out
    assert irina("keys", "remove", ANNA_FINGERPRINT)[:2] == (
        0, f"Key removed: {ANNA_FINGERPRINT}\n")
    code, out, _ = irina("keys", "list", "--json")
    assert '"comment": "olga@phone"' in out and ANNA_FINGERPRINT not in out


def test_a_private_key_or_a_key_twice_is_refused_with_the_reason(irina, tmp_path):
    assert irina("keys", "add", "-", stdin=ANNA_KEY)[0] == 0
    code, _, err = irina("keys", "add", "-", stdin=ANNA_KEY)
    assert (code, err) == (1, "mlm-tui: This key is already registered.\n")
    code, _, err = irina("keys", "add", "-", stdin=PRIVATE_KEY_START + "\nAAAA\n")
    assert code == 1 and "This is a private key: never share it." in err
    code, _, err = irina("keys", "remove", "SHA256:nope")
    assert code == 1 and "You have no key with this fingerprint." in err


def test_keys_need_a_login(run):
    code, _, err = run("keys", "list")
    assert code == 1 and "not logged in" in err


def test_sshd_gets_the_forced_line_of_a_registered_key_and_nothing_else(irina, world_orders,
                                                                        monkeypatch):
    irina("keys", "add", "-", stdin=ANNA_KEY)
    key_type, blob, _ = ANNA_KEY.split()
    me = cli_ssh.unix_user()
    code, out, err = irina("ssh-keys", me, key_type, blob)
    command = (f"{cli_ssh.mlm_tui_command()} --data-dir {world_orders.parent.resolve()} "
               "ssh-session --key-id 1")
    assert (code, err) == (0, "")
    assert out == f'restrict,pty,command="{command}" {key_type} {blob}\n'
    monkeypatch.setattr("sys.stdin", None)  # it never reads standard input
    assert irina("ssh-keys", "someone-else", key_type, blob) == (0, "", "")
    assert irina("ssh-keys", me, *OLGA_KEY.split()[:2]) == (0, "", "")
    assert irina("ssh-keys", me, "ssh-rsa", blob) == (0, "", "")


@pytest.mark.parametrize(("asked", "refused"), [
    ("orders list --month 2026-10 --csv", None),
    ("  catalog search 'крем для рук' ", None),
    ("keys list", None),
    ("", None),  # no command: the app
    ("sh -c id", "only these commands are offered over SSH"),
    ("orders list; sh", None),  # one word "list;" for orders' parser: no shell sees it
    ("scp -t /tmp", "copying files (scp)"),
    ("/usr/lib/openssh/sftp-server", "copying files (sftp)"),
    ("internal-sftp", "copying files (sftp)"),
    ("rsync --server -e.LsfxC . /tmp", "copying files (rsync)"),
    ("login 1000001", "only these commands"),
    ("maintenance retention --apply", "only these commands"),
    ("orders list --data-dir /srv/other", "--data-dir is not offered over SSH"),
    ("orders list --data=/srv/other", "--data is not offered over SSH"),
    ("orders list --server=http://x", "--server is not offered over SSH"),
    ("orders list 'unclosed", "could not be read"),
])
def test_over_ssh_only_her_own_commands_run(asked, refused):
    reason, words = allowed_command(asked)
    if refused is None:
        assert reason is None
    else:
        assert reason is not None and refused in reason and words == []


def test_a_command_over_ssh_runs_as_the_keys_member_and_her_session_ends(
        irina, world_orders, monkeypatch, capsys):
    from mlm_tui.cli import main

    irina("keys", "add", "-", stdin=ANNA_KEY)
    irina("logout")
    monkeypatch.setenv("SSH_ORIGINAL_COMMAND", "orders list --month 2026-10 --csv")
    code = main(["--data-dir", str(world_orders.parent), "ssh-session", "--key-id", "1"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert [line.split(",")[3] for line in out.splitlines()[1:]] == [world.IRINA.full_name]
    import sqlite3

    with sqlite3.connect(world_orders) as conn:
        assert conn.execute("SELECT count(*) FROM sessions").fetchone() == (0,)
    irina("login", world.IRINA.registration_number, "--password-stdin",
          stdin=world.PASSWORD + "\n")
    assert irina("keys", "remove", ANNA_FINGERPRINT)[0] == 0
    monkeypatch.setenv("SSH_ORIGINAL_COMMAND", "keys list")
    code = main(["--data-dir", str(world_orders.parent), "ssh-session", "--key-id", "1"])
    assert (code, capsys.readouterr().err) == (
        2, "mlm-tui: This key is no longer registered.\n")


def test_ssh_setup_prints_the_snippet_and_writes_it_only_when_nothing_is_wrong(
        run, world_orders, tmp_path, monkeypatch):
    os.chmod(world_orders.parent, 0o700)
    monkeypatch.setattr(cli_ssh, "path_problems", lambda command: [])
    target = tmp_path / "sshd_config.d"
    target.mkdir()
    code, out, err = run("ssh-setup", "--apply", "--sshd-dir", str(target), "--user",
                         cli_ssh.unix_user())
    assert code == 0, err
    written = (target / "mlm-tui.conf").read_text()
    assert written == out
    for line in (f"Match User {cli_ssh.unix_user()}", "PasswordAuthentication no",
                 "DisableForwarding yes", "AllowTcpForwarding no", "PermitTTY yes",
                 "AuthorizedKeysFile none",
                 f"AuthorizedKeysCommandUser {cli_ssh.unix_user()}"):
        assert f"\n    {line}\n" in written or f"\n{line}\n" in written
    assert (f"AuthorizedKeysCommand {cli_ssh.mlm_tui_command()} --data-dir "
            f"{world_orders.parent.resolve()} ssh-keys %u %t %k") in written
    assert stat.S_IMODE((target / "mlm-tui.conf").stat().st_mode) == 0o644

    os.chmod(world_orders.parent, 0o755)  # every account could read the store
    (target / "mlm-tui.conf").unlink()
    code, out, err = run("ssh-setup", "--apply", "--sshd-dir", str(target), "--user",
                         "mlm-nobody")
    assert code == 1
    assert "may be read by every account on the host" in err
    assert f"belongs to {cli_ssh.unix_user()}, not to mlm-nobody" in err
    assert "not written" in err and not (target / "mlm-tui.conf").exists()


def test_the_command_sshd_runs_must_belong_to_root_and_be_written_by_nobody_else(tmp_path):
    shared = tmp_path / "shared"  # a folder higher up, open to all as /tmp is (1777)
    folder = shared / "bin"
    folder.mkdir(parents=True)
    command = folder / "mlm-tui"
    command.write_text("#!/bin/sh\n")
    os.chmod(folder, 0o777)
    os.chmod(shared, 0o1777)
    problems = path_problems(command)
    assert f"{folder} may be written by others than its owner" in problems
    assert f"{shared} may be written by others than its owner" in problems  # every folder up
    if os.geteuid() != 0:
        assert any("not root" in p for p in problems)
    assert path_problems(Path("/usr/bin/env")) == []


def test_a_python_other_accounts_cannot_reach_is_named(tmp_path):
    from mlm_tui.cli_ssh import interpreter_problems

    closed = tmp_path / "home"
    (closed / "bin").mkdir(parents=True)
    python = closed / "bin" / "python3"
    python.write_text("")
    python.chmod(0o755)
    closed.chmod(0o700)
    command = tmp_path / "mlm-tui"
    command.write_text(f"#!{python}\n# -*- coding: utf-8 -*-\n")
    command.chmod(0o755)
    said = f"{closed} may not be run or entered by other accounts, and {command} needs it"
    assert said in interpreter_problems(command)
    closed.chmod(0o755)
    assert not any(str(closed) in problem for problem in interpreter_problems(command))
