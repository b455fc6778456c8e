"""Signing in with an SSH key, through OpenSSH: the member's keys, and the host's side.

    mlm-tui keys add FILE|-          add a public key (the line of a .pub file)
    mlm-tui keys list [--json]       one's own keys and their fingerprints
    mlm-tui keys remove FINGERPRINT  remove one; its connections end at once
    mlm-tui ssh-keys USER TYPE KEY   sshd's AuthorizedKeysCommand (%u %t %k)
    mlm-tui ssh-session --key-id N   the command a key is forced to run
    mlm-tui ssh-setup [--apply]      the sshd_config snippet, and the checks sshd makes

No SSH server of our own: OpenSSH authenticates. One account on the host owns the store
(it runs ``mlm-tui serve`` too); sshd asks ``ssh-keys``, as that account, whether a
presented key is a member's, and gets back a line that forces ``ssh-session`` for the key.
``ssh-session`` opens the app signed in as the key's member, or runs the one command the
client asked for (``ssh host orders list --csv``), never a shell.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlm_tui.i18n import _

if TYPE_CHECKING:
    from mlm_tui.core.settings import Settings

# What a member may run over SSH: the commands that act as her and read or change only
# what she may. Not login/logout (the key is the sign-in), not serve, demo, maintenance.
SSH_COMMANDS = frozenset({"catalog", "orders", "volume", "keys"})
# Options that would point a command at another store or server than the key's.
SSH_FORBIDDEN_OPTIONS = ("--data-dir", "--server", "--insecure")
REFUSED_STATUS = 2
HANG_UP_STATUS = 129  # 128 + SIGHUP, as the hang-up signal itself would have it
SNIPPET_NAME = "mlm-tui.conf"
SSHD_CONFIG_DIR = Path("/etc/ssh/sshd_config.d")


def add_ssh_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    parents: list[argparse.ArgumentParser],
) -> None:
    from mlm_tui.cli import add_command_group, add_json_option

    keys_commands = add_command_group(
        commands, "keys", help=_("your SSH keys, to sign in over SSH"), parents=parents)
    add = keys_commands.add_parser("add", parents=parents,
                                   help=_("add a public key (the line of a .pub file)"))
    add.add_argument("file", metavar="FILE|-",
                     help=_("the public key file, or - for standard input"))
    add.set_defaults(handler=_keys_add)
    listing = keys_commands.add_parser("list", parents=parents,
                                       help=_("your keys and their fingerprints"))
    add_json_option(listing)
    listing.set_defaults(handler=_keys_list)
    remove = keys_commands.add_parser("remove", parents=parents,
                                      help=_("remove a key; its connections end at once"))
    remove.add_argument("fingerprint", metavar="FINGERPRINT", help=_("as `keys list` shows it"))
    remove.set_defaults(handler=_keys_remove)

    ssh_keys = commands.add_parser(
        "ssh-keys", parents=parents,
        help=_("for sshd's AuthorizedKeysCommand: the line of a member's key, if it is one"))
    ssh_keys.add_argument("user", metavar="USER")
    ssh_keys.add_argument("key_type", metavar="KEYTYPE")
    ssh_keys.add_argument("key", metavar="KEY")
    ssh_keys.set_defaults(handler=_ssh_keys)

    session = commands.add_parser(
        "ssh-session", parents=parents,
        help=_("what a member's SSH key runs: the app signed in as her, or her command"))
    session.add_argument("--key-id", type=int, required=True, metavar="N")
    session.set_defaults(handler=_ssh_session)

    setup = commands.add_parser(
        "ssh-setup", parents=parents,
        help=_("print the sshd_config snippet that serves this store over SSH, and check "
               "what sshd requires"))
    setup.add_argument("--apply", action="store_true",
                       help=_("write it to /etc/ssh/sshd_config.d/ (as root)"))
    setup.add_argument("--user", metavar="NAME",
                       help=_("the account members connect as (default: this one)"))
    setup.add_argument("--sshd-dir", type=Path, default=SSHD_CONFIG_DIR, metavar="PATH",
                       help=argparse.SUPPRESS)
    setup.set_defaults(handler=_ssh_setup)


# --- a member's keys -----------------------------------------------------------------------


def _keys_add(args: argparse.Namespace) -> int:
    from mlm_tui.cli import _signed_in, _typed

    if args.file == "-":
        line = _typed(sys.stdin.read, field="key")
    else:
        try:
            line = Path(args.file).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            from mlm_tui.core.errors import ValidationError

            raise ValidationError(_("{file} is not a public key file").format(
                file=args.file), field="key") from None
    backend = _signed_in(args)
    try:
        key = backend.add_ssh_key(line)
    finally:
        backend.close()
    from mlm_tui.display import printable

    print(printable(_("Key added: {fingerprint} {comment}").format(
        fingerprint=key.fingerprint, comment=key.comment).rstrip()))
    return 0


def _keys_list(args: argparse.Namespace) -> int:
    from mlm_tui.cli import _console, _print_json, _signed_in, _table
    from mlm_tui.display import data_text

    backend = _signed_in(args)
    try:
        keys = backend.ssh_keys()
    finally:
        backend.close()
    if args.json:
        _print_json([{"type": k.key_type, "fingerprint": k.fingerprint, "comment": k.comment,
                      "added_at": k.added_at.isoformat()} for k in keys])
        return 0
    console = _console()
    if not keys:
        console.print(_("No keys yet: add one with `mlm-tui keys add ~/.ssh/id_ed25519.pub`."))
        return 0
    table = _table()
    table.add_column(_("Fingerprint"), no_wrap=True)
    table.add_column(_("Type"), no_wrap=True)
    table.add_column(_("Comment"), min_width=12)
    for k in keys:
        table.add_row(k.fingerprint, data_text(k.key_type), data_text(k.comment))
    console.print(table)
    return 0


def _keys_remove(args: argparse.Namespace) -> int:
    from mlm_tui.cli import _signed_in

    backend = _signed_in(args)
    try:
        backend.remove_ssh_key(args.fingerprint)
    finally:
        backend.close()
    print(_("Key removed: {fingerprint}").format(fingerprint=args.fingerprint.strip()))
    return 0


# --- sshd's side ---------------------------------------------------------------------------


def unix_user() -> str:
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


def mlm_tui_command() -> Path:
    """This installation's ``mlm-tui``, as an absolute path sshd can run."""
    beside = Path(sys.executable).with_name("mlm-tui")
    if beside.is_file():
        return Path(os.path.abspath(beside))
    return Path(os.path.abspath(sys.argv[0]))


def _command_words(settings: Settings, *words: str) -> str:
    import shlex

    head = [str(mlm_tui_command()), "--data-dir", str(settings.data_dir.resolve())]
    return " ".join(shlex.quote(word) for word in (*head, *words))


def authorized_line(settings: Settings, key_id: int, key_type: str, blob: str) -> str | None:
    """The ``authorized_keys`` line sshd is to use for this key: no forwarding, no agent, a
    terminal if asked, and nothing but ``ssh-session`` for the key. None when the paths
    cannot be written in one."""
    command = _command_words(settings, "ssh-session", "--key-id", str(key_id))
    if any(c in command for c in "\n\r\0"):
        return None
    # Inside command="…" sshd reads \" as a quote and nothing else as an escape.
    command = command.replace('"', '\\"')
    return f'restrict,pty,command="{command}" {key_type} {blob}'


def _local_settings(args: argparse.Namespace) -> Settings:
    from mlm_tui.cli import _settings
    from mlm_tui.core.errors import ValidationError

    settings = _settings(args)
    if settings.server_url:
        raise ValidationError(_("this works on the store itself: run it as the account that "
                                "owns the store, without a team server"), field="server")
    return settings


def ssh_command(argv: list[str]) -> int:
    """``mlm-tui [--data-dir D] ssh-keys USER KEYTYPE KEY`` and ``… ssh-session --key-id N``,
    parsed on their own: sshd runs them for every connection, and what is refused is
    refused before the store's machinery is imported."""
    parser = argparse.ArgumentParser(prog="mlm-tui")
    parser.add_argument("--data-dir", metavar="PATH")
    parser.add_argument("--lang")
    commands = parser.add_subparsers(dest="command", required=True)
    keys = commands.add_parser("ssh-keys")
    keys.add_argument("user")
    keys.add_argument("key_type")
    keys.add_argument("key")
    keys.set_defaults(handler=_ssh_keys)
    session = commands.add_parser("ssh-session")
    session.add_argument("--key-id", type=int, required=True)
    session.set_defaults(handler=_ssh_session)
    from mlm_tui.cli import _speak_the_language_asked

    _speak_the_language_asked(argv)
    args = parser.parse_args(argv)
    from mlm_tui.core.errors import DomainError

    try:
        result: int = args.handler(args)
    except DomainError as error:
        from mlm_tui.cli import _fail

        return _fail(error.message)
    return result


def _ssh_keys(args: argparse.Namespace) -> int:
    """Prints the line of the presented key, or nothing: sshd then refuses the key. Reads
    no standard input and logs nothing; what it prints is only ever the key it was given,
    so no other member's key leaves the store."""
    import sqlite3

    from mlm_tui.cli import _fail

    if args.user != unix_user():
        return 0  # another account's login: not ours to answer
    from mlm_tui.core.settings import load_settings

    settings = load_settings(data_dir=Path(args.data_dir) if args.data_dir else None)
    if not settings.store_path.exists():
        return _fail(_("no store at {path}").format(path=settings.store_path))
    from mlm_tui.core.authorized_keys import find_authorized_key

    try:
        found = find_authorized_key(settings.store_path, args.key_type, args.key)
    except sqlite3.Error as error:
        return _fail(_("{path} could not be read: {reason}").format(
            path=settings.store_path, reason=error))
    if found is not None:
        line = authorized_line(settings, found.key_id, found.key_type, found.blob)
        if line is not None:
            print(line)
    return 0


def _ssh_session(args: argparse.Namespace) -> int:
    asked = os.environ.get("SSH_ORIGINAL_COMMAND")
    words: list[str] = []
    if asked is not None:
        refusal, words = allowed_command(asked)
        if refusal is not None:
            return _refuse_client(asked, refusal)
    if not words:
        from mlm_tui.terminal import has_terminal

        if not has_terminal():
            return _refuse(_("the app needs a terminal: connect with `ssh -t HOST`, or give "
                             "a command, for example `ssh HOST orders list --csv`"))
    from mlm_tui.core.errors import NotAuthenticated
    from mlm_tui.core.local import LocalBackend

    settings = _local_settings(args)
    backend = LocalBackend(settings)
    try:
        session = backend.open_key_session(args.key_id)
    except NotAuthenticated as refused:
        backend.close()
        return _refuse(refused.message)
    try:
        if words:
            return _run_as_member(words, backend)
        from mlm_tui.app import run_app

        _end_on_hang_up()
        # Once the connection has gone the process is ended (as the app ends, or after a
        # grace should it not): the key's session ends first.
        return run_app(settings, signed_in=lambda: backend,
                       last=lambda: _end_session(settings, session.token))
    finally:
        _end_session(settings, session.token)


def _end_on_hang_up() -> None:
    """The connection dropped: sshd hangs up the terminal, whose controlling process this
    is. By default the signal ends the process on the spot; here it ends the app, after
    which the key's session ends (``run_app``'s ``last``)."""
    import signal

    def hang_up(_signal: int, _frame: object) -> None:
        # The hang-up comes more than once (from sshd, and from the kernel as the
        # terminal closes): a second one must not cut short the session's ending.
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        raise SystemExit(HANG_UP_STATUS)

    signal.signal(signal.SIGHUP, hang_up)


def _refuse_client(asked: str, message: str) -> int:
    """Refuse what was asked; an SFTP client (sftp, scp), whose standard error sshd throws
    away, is told in its own protocol."""
    from mlm_tui.sftp_refusal import is_sftp_subsystem, refuse_sftp
    from mlm_tui.terminal import has_terminal

    if is_sftp_subsystem(asked, has_terminal()):
        refuse_sftp(message, sys.stdin.buffer, sys.stdout.buffer)
    return _refuse(message)


def _refuse(message: str) -> int:
    from mlm_tui.cli import _fail

    return _fail(message, code=REFUSED_STATUS)


def allowed_command(asked: str) -> tuple[str | None, list[str]]:
    """What a client asked to run (``SSH_ORIGINAL_COMMAND``), split as a shell would split
    it but never given to one: (why it is refused, or None; its words)."""
    import shlex

    try:
        words = shlex.split(asked)
    except ValueError:
        return _("the command could not be read (an unclosed quote?)"), []
    if not words:
        return None, []
    name = os.path.basename(words[0])
    if name in ("scp", "sftp", "sftp-server", "internal-sftp", "rsync"):
        # sshd names the sftp subsystem by its server; the client typed "sftp" (or scp).
        shown = "sftp" if name in ("sftp-server", "internal-sftp") else name
        return _("copying files ({name}) is not offered here: export with a command, for "
                 "example `ssh HOST orders list --csv > orders.csv`").format(name=shown), []
    if words[0] not in SSH_COMMANDS:
        return _("only these commands are offered over SSH: {commands}; without one, the "
                 "app opens (`ssh -t HOST`)").format(
                     commands=", ".join(sorted(SSH_COMMANDS))), []
    for word in words[1:]:
        option = word.partition("=")[0]
        if len(option) > 2 and option.startswith("--") and any(
                forbidden.startswith(option) for forbidden in SSH_FORBIDDEN_OPTIONS):
            return _("{option} is not offered over SSH").format(option=option), []
    return None, words


def _run_as_member(words: list[str], backend: Any) -> int:
    import mlm_tui.cli as cli

    cli.signed_in_over_ssh = backend
    try:
        return cli._main(words)
    finally:
        cli.signed_in_over_ssh = None
        backend.close()


def _end_session(settings: Settings, token: str) -> None:
    """The key's session ends with the connection: nothing is left to resume."""
    import contextlib

    from mlm_tui.core.errors import DomainError
    from mlm_tui.core.local import LocalBackend

    backend = LocalBackend(settings)
    try:
        with contextlib.suppress(DomainError):  # the key was removed: it is gone already
            backend.resume(token)
            backend.logout()
    finally:
        backend.close()


# --- the host's setup ----------------------------------------------------------------------


def sshd_snippet(settings: Settings, user: str) -> str:
    command = _command_words(settings, "ssh-keys", "%u", "%t", "%k")
    return "\n".join((
        "# Members of the team sign in with their SSH keys (written by mlm-tui ssh-setup).",
        "# sshd asks mlm-tui which member a key belongs to; each key runs only",
        "# `mlm-tui ssh-session`: the app, or one of the member's commands.",
        f"Match User {user}",
        "    AuthorizedKeysFile none",
        f"    AuthorizedKeysCommand {command}",
        f"    AuthorizedKeysCommandUser {user}",
        "    PubkeyAuthentication yes",
        "    PasswordAuthentication no",
        "    KbdInteractiveAuthentication no",
        "    PermitTTY yes",
        "    DisableForwarding yes",
        "    AllowTcpForwarding no",
        "    AllowAgentForwarding no",
        "    X11Forwarding no",
        "    PermitUserRC no",
        # Debian includes sshd_config.d/ at the top of sshd_config: what follows there
        # must not fall inside this block.
        "Match all",
        "",
    ))


def path_problems(command: Path) -> list[str]:
    """What sshd would refuse about running ``command`` as an AuthorizedKeysCommand: the
    file and every folder above it must belong to root and be writable by nobody else."""
    import stat

    problems = []
    target = Path(os.path.realpath(command))
    for path in (target, *target.parents):
        try:
            info = path.stat()
        except OSError as error:
            problems.append(f"{path}: {error.strerror}")
            continue
        if info.st_uid != 0:
            problems.append(_("{path} belongs to uid {uid}, not root").format(
                path=path, uid=info.st_uid))
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            problems.append(_("{path} may be written by others than its owner").format(
                path=path))
    return problems


def interpreter_problems(command: Path) -> list[str]:
    """What would keep another account from running ``command``: its Python (the ``#!``
    line) in a folder closed to others, such as a Python installed under root's home."""
    import stat

    try:
        with open(command, "rb") as script:
            first = script.readline(4096)
    except OSError as error:
        return [f"{command}: {error.strerror}"]
    if not first.startswith(b"#!"):
        return []
    interpreter = Path(os.path.realpath(first[2:].split()[0].decode(errors="replace")))
    problems = []
    for path in (command, interpreter):
        for part in (path, *path.parents):
            try:
                mode = part.stat().st_mode
            except OSError as error:
                problems.append(f"{part}: {error.strerror}")
                break
            if not mode & stat.S_IXOTH:
                problems.append(_("{path} may not be run or entered by other accounts, and "
                                  "{command} needs it").format(path=part, command=command))
                break
    return problems


def store_problems(settings: Settings, user: str) -> list[str]:
    """What would let a member's own Unix account read the store."""
    import stat

    folder = settings.data_dir.resolve()
    try:
        info = folder.stat()
    except OSError:
        return [_("{path} does not exist yet: build or copy the store there first").format(
            path=folder)]
    problems = []
    if info.st_mode & stat.S_IRWXO:
        problems.append(_("{path} may be read by every account on the host").format(
            path=folder))
    import pwd

    owner = pwd.getpwuid(info.st_uid).pw_name if _has_uid(info.st_uid) else str(info.st_uid)
    if owner != user:
        problems.append(_("{path} belongs to {owner}, not to {user}").format(
            path=folder, owner=owner, user=user))
    return problems


def _has_uid(uid: int) -> bool:
    import pwd

    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True


def _ssh_setup(args: argparse.Namespace) -> int:
    settings = _local_settings(args)
    user = args.user or unix_user()
    snippet = sshd_snippet(settings, user)
    command = mlm_tui_command()
    problems = path_problems(command) + store_problems(settings, user)
    if user != unix_user():
        problems += interpreter_problems(command)
    print(snippet, end="")
    for problem in problems:
        print(_("problem: {problem}").format(problem=problem), file=sys.stderr)
    if not args.apply:
        if not problems:
            print(_("# checked: sshd may run this command, and only {user} may read the "
                    "store").format(user=user), file=sys.stderr)
        return 1 if problems else 0
    if problems:
        print(_("not written: mend the problems above first"), file=sys.stderr)
        return 1
    target = args.sshd_dir / SNIPPET_NAME
    try:
        target.write_text(snippet, encoding="utf-8")
        target.chmod(0o644)
    except OSError as error:
        print(_("{path} could not be written: {reason} (as root: sudo)").format(
            path=target, reason=error.strerror), file=sys.stderr)
        return 1
    print(_("Written to {path}. Check it with `sshd -t` and reload sshd "
            "(systemctl reload ssh).").format(path=target), file=sys.stderr)
    return 0
