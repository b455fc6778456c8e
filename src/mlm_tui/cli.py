"""``mlm-tui``: the terminal app, and commands for the shell.

    mlm-tui [--data-dir PATH] [--server URL [--insecure]] [--demo]     start the app
    mlm-tui demo [--products N] [--orders N] [--members N] [--seed N] [--market ru|de] [--force]
                 [--hostile]
    mlm-tui login [LOGIN] [--password-stdin]
    mlm-tui logout
    mlm-tui catalog search QUERY [--limit N] [--json | --csv]     every match unless --limit
    mlm-tui catalog show CODE [--json]
    mlm-tui orders list [--member ID|REGNO] [--month YYYY-MM] [--source SO|IO|AS|IN]
                        [--status S] [--limit N] [--json | --csv]   every order unless --limit
    mlm-tui volume MEMBER [--months N] [--json | --csv]
    mlm-tui inbox [--unread] [--json]                     notices in the reader's language
    mlm-tui serve [--host H] [--port N] [--workers N] [--database URL]
                                                           the team server on this store
    mlm-tui maintenance ...                               operator tasks on the store
    mlm-tui db upgrade [--database URL] / db copy --from STORE --to STORE
    mlm-tui keys add FILE|- / list / remove FINGERPRINT   your SSH keys
    mlm-tui ssh-keys / ssh-session / ssh-setup            serving the store over SSH

Commands act as the member logged in with ``mlm-tui login``; the session token is kept
like the app keeps it. Start-up time counts, so everything beyond argparse and the
settings is imported inside the function that needs it.

Lists are complete unless a limit is given: they are read from the backend page by page
(keyset) and written as they come, so an export of a whole history never sits in memory.
A limit that leaves something out says so on standard error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from mlm_tui.core.settings import Settings, load_settings
from mlm_tui.formats import shown_locale
from mlm_tui.i18n import N_, _

if TYPE_CHECKING:
    from mlm_tui.core.backend import Backend
    from mlm_tui.core.models import MemberRef

NOT_LOGGED_IN = N_("not logged in: run `mlm-tui login`")
# What the parser makes of no arguments at all (a test holds the two equal).
NO_ARGUMENTS: dict[str, object] = {
    "data_dir": None, "server": None, "insecure": False, "lang": None, "demo": False}
PAGE_SIZE = 500
WIDE = 100  # terminal columns from which the orders table shows invoice numbers too
SOURCES = ("SO", "IO", "AS", "IN")
STATUSES = ("placed", "paid", "shipped", "delivered", "cancelled", "stop_requested",
            "credited")


def main(argv: list[str] | None = None) -> int:
    import os

    from mlm_tui.core.files import SAFE_UMASK

    # Whatever the user's umask, nothing this process makes is readable by others unless
    # made so on purpose (core.files); given back for whoever called (tests, a script).
    users_umask = os.umask(SAFE_UMASK)
    try:
        return _main(sys.argv[1:] if argv is None else argv)
    finally:
        os.umask(users_umask)


def _main(argv: list[str]) -> int:
    _said.clear()
    garbled = next((arg for arg in argv if not _is_utf8(arg)), None)
    if garbled is not None:
        return _fail(_("an argument is not valid UTF-8: {text}").format(text=_shown(garbled)),
                     code=2)
    if _command_named(argv) in ("ssh-keys", "ssh-session"):
        # sshd runs them for every connection: they start without the other commands.
        from mlm_tui.cli_ssh import ssh_command

        return ssh_command(argv)
    if argv:
        _speak_the_language_asked(argv)
        args = build_parser(with_commands=_names_a_command(argv)).parse_args(argv)
    else:
        # ``mlm-tui`` alone, the commonest start: every option at its default. Building
        # the parser and its translated help would only delay the first frame.
        args = argparse.Namespace(**NO_ARGUMENTS)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    from mlm_tui.core.errors import DomainError, NotAuthenticated

    try:
        if handler is None:
            from mlm_tui.terminal import NO_TERMINAL, NO_TERMINAL_STATUS, has_terminal

            settings = _settings(args)  # a broken config file is named first, as for commands
            keymap = _keymap(settings)
            if not has_terminal():
                return _fail(_(NO_TERMINAL), code=NO_TERMINAL_STATUS)
            from mlm_tui.app import run_app

            return run_app(settings, demo=args.demo, keymap=keymap)
        return handler(args)
    except NotAuthenticated as error:
        # Wrong passwords and closed accounts say so; a missing or expired session says how
        # to get one.
        message = _(NOT_LOGGED_IN) if type(error) is NotAuthenticated else error.message
        return _fail(message)
    except DomainError as error:
        return _fail(error.message)
    except OSError as error:  # a file or folder the system refused: a full disk, a mode
        return _fail(_os_error(error))
    except KeyboardInterrupt:
        return _fail(_("interrupted"), code=130)


def _speak_the_language_asked(argv: list[str]) -> None:
    """--help and the parser's messages in the language of --lang, MLM_TUI_LANG or the
    locale (config.toml is read with the settings, after parsing)."""
    import os

    from mlm_tui.argparse_words import speak_argparse
    from mlm_tui.i18n import choose_language, install

    speak_argparse()
    asked = os.environ.get("MLM_TUI_LANG")
    for index, word in enumerate(argv):
        if word == "--lang" and index + 1 < len(argv):
            asked = argv[index + 1]
        elif word.startswith("--lang="):
            asked = word.partition("=")[2]
    install(choose_language(asked))


def _names_a_command(argv: list[str]) -> bool:
    """Whether ``argv`` holds anything beyond the app's own options (a command, a typo of
    one, or help). Starting the app is the common case and its start-up counts: the
    commands' parsers are built only when one may be meant."""
    takes_value = {"--data-dir", "--server", "--lang"}
    words = iter(argv)
    for word in words:
        if word in takes_value:
            next(words, None)
        elif word in ("-h", "--help") or not word.startswith("-"):
            return True
    return False


def _command_named(argv: list[str]) -> str | None:
    """The first word of ``argv`` that is not an option of the app or its value."""
    takes_value = {"--data-dir", "--server", "--lang"}
    words = iter(argv)
    for word in words:
        if word in takes_value:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlm-tui",
        description=_("A keyboard-first back office for direct-selling consultants."))
    _global_options(parser, defaults=True)
    parser.add_argument("--demo", action="store_true",
                        help=_("start on the demo store, building it if it is missing"))
    if with_commands:
        _add_commands(parser)
    return parser


def _add_commands(parser: argparse.ArgumentParser) -> None:
    from mlm_tui.cli_db import add_db_commands
    from mlm_tui.cli_maintenance import add_maintenance_commands
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, defaults=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", parents=[common], help=_("build the demo store"))
    demo.add_argument("--products", type=_count, default=3200,
                      help=_("products in the current catalog (default 3200)"))
    demo.add_argument("--orders", type=_count, default=15000,
                      help=_("orders over the last two years (default 15000)"))
    demo.add_argument("--members", type=_count, default=200,
                      help=_("members in the demo consultant's team (default 200)"))
    demo.add_argument("--seed", type=int, default=7, help=_("same seed, same data (default 7)"))
    demo.add_argument("--market", choices=("ru", "de"), default="ru")
    demo.add_argument("--force", action="store_true", help=_("replace a store that holds data"))
    demo.add_argument("--hostile", action="store_true",
                      help=_("put terminal escapes, markup and formulas into every text, to "
                             "see that they are shown as plain text"))
    demo.set_defaults(handler=_demo)

    login = commands.add_parser("login", parents=[common], help=_("log in and keep the session"))
    login.add_argument("login", nargs="?", help=_("registration number or e-mail"))
    login.add_argument("--password-stdin", action="store_true",
                       help=_("read the password from standard input"))
    login.set_defaults(handler=_login)

    logout = commands.add_parser("logout", parents=[common], help=_("end the kept session"))
    logout.set_defaults(handler=_logout)

    catalog_commands = add_command_group(commands, "catalog", help=_("the current catalog"),
                                         parents=[common])
    search = catalog_commands.add_parser("search", parents=[common],
                                         help=_("products by code, name or category"))
    search.add_argument("query")
    search.add_argument("--limit", type=_count, default=0,
                        help=_("at most this many products (default: all)"))
    _output_options(search)
    search.set_defaults(handler=_catalog_search)
    show = catalog_commands.add_parser("show", parents=[common], help=_("one product by code"))
    show.add_argument("code")
    add_json_option(show)
    show.set_defaults(handler=_catalog_show)

    orders_commands = add_command_group(commands, "orders", help=_("the order history"),
                                        parents=[common])
    listing = orders_commands.add_parser("list", parents=[common],
                                         help=_("orders of self and the team, newest first"))
    listing.add_argument("--member", metavar="ID|REGNO",
                         help=_("only this member's orders (id or registration number)"))
    listing.add_argument("--month", type=_month, metavar="YYYY-MM")
    listing.add_argument("--source", choices=SOURCES, type=str.upper)
    listing.add_argument("--status", choices=STATUSES, type=str.lower)
    listing.add_argument("--limit", type=_count, default=0,
                         help=_("at most this many orders (default: all)"))
    _output_options(listing)
    listing.set_defaults(handler=_orders_list)

    volume = commands.add_parser("volume", parents=[common],
                                 help=_("a member's points and orders per month"))
    volume.add_argument("member", metavar="MEMBER", help=_("id or registration number"))
    volume.add_argument("--months", type=_positive, default=3)
    _output_options(volume)
    volume.set_defaults(handler=_volume)

    serve = commands.add_parser(
        "serve", parents=[common],
        help=_("run the team server on this store (needs mlm-tui[server])"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8080)
    serve.add_argument("--workers", type=_positive, default=1)
    serve.add_argument("--database", metavar="URL",
                       help=_("a PostgreSQL database (postgresql://…) instead of the store "
                              "file; also MLM_TUI_DATABASE"))
    serve.add_argument("--sign-ins-per-minute", type=_count, default=30, metavar="N",
                       help=_("sign-in, reset and registration requests one address may "
                              "make a minute, each kind (0: no limit)"))
    serve.set_defaults(handler=_serve)

    inbox = commands.add_parser("inbox", parents=[common],
                                help=_("the inbox: claim decisions, parcels, promotions"))
    inbox.add_argument("--unread", action="store_true", help=_("only unread messages"))
    add_json_option(inbox)
    inbox.set_defaults(handler=_inbox)

    add_maintenance_commands(commands, parents=[common])
    from mlm_tui.cli_offline import add_offline_commands

    add_offline_commands(commands, parents=[common])
    add_db_commands(commands, parents=[common])
    from mlm_tui.cli_ssh import add_ssh_commands

    add_ssh_commands(commands, parents=[common])


def _global_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    # Accepted before or after the command; after it, only when given (SUPPRESS), so it
    # never hides a value given before.
    keep: dict[str, Any] = {} if defaults else {"default": argparse.SUPPRESS}
    parser.add_argument("--data-dir", metavar="PATH", help=_("where the store lives"), **keep)
    parser.add_argument("--server", metavar="URL", help=_("a team server (kept in settings)"),
                        **keep)
    parser.add_argument("--insecure", action="store_true",
                        help=_("allow plain http:// to a team server on another host"),
                        **({"default": False} if defaults else keep))
    from mlm_tui.i18n import LANGUAGES

    parser.add_argument("--lang", choices=tuple(LANGUAGES),
                        help=_("the interface language (else MLM_TUI_LANG, config.toml, the "
                               "locale, the company's)"), **keep)


def _output_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_true", help=_("print JSON"))
    group.add_argument("--csv", action="store_true", help=_("print CSV"))


# --- argument types ------------------------------------------------------------------------

# The largest integer the store keeps: a count or an id beyond it cannot mean anything.
LARGEST = 2**63 - 1


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a whole number: {text}").format(text=text)) from None


def _count(text: str) -> int:
    value = _whole_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(_("must not be negative"))
    if value > LARGEST:
        raise argparse.ArgumentTypeError(_("must be at most {most}").format(most=LARGEST))
    return value


def _positive(text: str) -> int:
    value = _count(text)
    if value == 0:
        raise argparse.ArgumentTypeError(_("must be at least 1"))
    return value


def _port(text: str) -> int:
    value = _whole_number(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(_("must be from 0 to 65535"))
    return value


def _month(text: str) -> str:
    parts = text.split("-")
    if (len(parts) != 2 or len(parts[0]) != 4 or not all(p.isdigit() for p in parts)
            or int(parts[0]) == 0 or not 1 <= int(parts[1]) <= 12):
        raise argparse.ArgumentTypeError(_("not a month (YYYY-MM): {text}").format(text=text))
    return f"{int(parts[0]):04d}-{int(parts[1]):02d}"


# --- text from outside ---------------------------------------------------------------------


def _is_utf8(text: str) -> bool:
    """Whether text from the command line or standard input was valid UTF-8: Python keeps
    the bytes that were not as lone surrogates, which nothing downstream can store."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(text: str) -> str:
    """The text as typed, its undecodable bytes as ``\\xff``."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def _typed(read: Callable[[], str], *, field: str, secret: bool = False) -> str:
    """A line read by ``read()``, refused unless UTF-8 (and never echoed when ``secret``)."""
    from mlm_tui.core.errors import ValidationError

    try:
        text: str | None = read()
    except UnicodeDecodeError:
        text = None
    if text is None or not _is_utf8(text):
        said = (N_("the password is not valid UTF-8") if field == "password"
                else N_("the login is not valid UTF-8"))
        if secret or text is None:
            raise ValidationError(said, field=field)
        raise ValidationError(N_("{said}: {text}"), field=field,
                              params={"said": _(said), "text": _shown(text.rstrip())})
    return text


def _os_error(error: OSError) -> str:
    """``No space left on device: /data/store.db``: what the system said, and where."""
    reason = error.strerror or str(error)
    return f"{reason}: {error.filename}" if error.filename else reason


# --- plumbing ------------------------------------------------------------------------------


_said: set[str] = set()  # notes already on stderr: a failure for the same reason is not repeated


def _note(message: str) -> None:
    if message not in _said:
        _said.add(message)
        from mlm_tui.display import printable

        # A message may quote what was typed or what the store holds.
        print(f"mlm-tui: {printable(message)}", file=sys.stderr)


def _fail(message: str, *, code: int = 1) -> int:
    _note(message)
    return code


def _keymap(settings: Settings) -> dict[str, str]:
    """``[keys]`` checked: a wrong entry is named before the app starts."""
    if not settings.keys:
        return {}
    from mlm_tui.keymap import keymap_of

    return keymap_of(settings)


def _settings(args: argparse.Namespace) -> Settings:
    data_dir = getattr(args, "data_dir", None)
    from pathlib import Path

    settings = load_settings(data_dir=Path(data_dir) if data_dir else None,
                             server_url=getattr(args, "server", None),
                             insecure=bool(getattr(args, "insecure", False)),
                             language=getattr(args, "lang", None),
                             database=getattr(args, "database", None))
    from mlm_tui.i18n import choose_language, install

    # Messages of the commands in the language chosen; the app chooses again, knowing the
    # company's default too.
    install(choose_language(settings.language))
    return settings


def _open_backend(settings: Settings) -> Any:
    from mlm_tui.core.errors import NotFound

    if settings.server_url:
        from mlm_tui.core.backends import open_backend

        return open_backend(settings)
    if not settings.store_path.exists():
        raise NotFound(N_("no store at {path}: build one with `mlm-tui demo`"),
                       field="store", params={"path": str(settings.store_path)})
    from mlm_tui.core.local import LocalBackend

    backend = LocalBackend(settings)
    say_if_read_only(backend.store)
    return backend


def say_if_read_only(store: Any) -> None:
    """Reading goes on; the reason is said once, before any write is refused with it."""
    if store.read_only is not None:
        _note(store.read_only)


def _keeper(settings: Settings) -> Any:
    from mlm_tui.core.session_keeper import SessionKeeper

    return SessionKeeper(settings.state_dir)


def _serve(args: argparse.Namespace) -> int:
    settings = _settings(args)
    try:
        from mlm_tui.server.serve import serve
    except ImportError as missing:
        return _fail(_("the server needs its extra: pip install 'mlm-tui[server]' ({missing})"
                       ).format(missing=missing))
    serve(settings.data_dir, host=args.host, port=args.port, workers=args.workers,
          per_address=args.sign_ins_per_minute, database=settings.database)
    return 0


# Inside ``mlm-tui ssh-session``: the backend signed in with the connection's SSH key,
# which the member's command uses instead of a kept session.
signed_in_over_ssh: Any = None


def _signed_in(args: argparse.Namespace, *, required: bool = True) -> Any:
    """The backend, resumed with the kept session (or without one when not ``required``)."""
    from mlm_tui.core.errors import NotAuthenticated

    if signed_in_over_ssh is not None:
        return signed_in_over_ssh

    settings = _settings(args)
    backend = _open_backend(settings)
    keeper = _keeper(settings)
    account = backend.describe()
    token = keeper.load(account)
    if token is None:
        if required:
            raise NotAuthenticated(NOT_LOGGED_IN)
        return backend
    try:
        backend.resume(token)
    except NotAuthenticated:
        keeper.clear(account)
        if required:
            raise
    return backend


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _table(**options: Any) -> Any:
    """A rich table that fits 80 columns: a rule under the header, no vertical lines."""
    from rich import box
    from rich.table import Table

    return Table(box=box.SIMPLE_HEAD, collapse_padding=True, pad_edge=False, **options)


def add_command_group(commands: Any, name: str, *, help: str,
                      parents: list[argparse.ArgumentParser]) -> Any:
    """A command whose own commands follow it (``catalog search``, ``cart add``): the
    subparsers to add them to."""
    group = commands.add_parser(name, parents=parents, help=help)
    return group.add_subparsers(dest=f"{name}_command", required=True, metavar="COMMAND")


def add_json_option(command: argparse.ArgumentParser) -> None:
    """``--json``: the command prints JSON (for scripts) instead of text."""
    command.add_argument("--json", action="store_true", help=_("print JSON"))


def _print_json(data: object) -> None:
    from mlm_tui.display import json_text

    print(json_text(data))


def _print_json_list(items: Iterable[object]) -> None:
    """A JSON array written item by item, the same text ``_print_json`` makes of a list."""
    from mlm_tui.display import json_text

    out = sys.stdout
    opening = "["
    for item in items:
        out.write(opening + "\n  " + json_text(item).replace("\n", "\n  "))
        opening = ","
    out.write("[]\n" if opening == "[" else "\n]\n")


def _pages(read: Callable[[str | None, int], Any], limit: int) -> Iterator[Any]:
    """Every item of a keyset-paged list (``read(after, size)`` gives a ``Page``), up to
    ``limit`` (0: all). When the limit leaves some out, stderr says so after the last."""
    size = PAGE_SIZE if not limit else min(PAGE_SIZE, limit + 1)  # one more tells if cut
    after, given = None, 0
    while True:
        page = read(after, size)
        for item in page.items:
            if limit and given == limit:
                _note(_("showing {limit} of more; drop --limit for all").format(limit=limit))
                return
            given += 1
            yield item
        if page.next_after is None or not page.items:
            return
        after = page.next_after


def _in_chunks(items: Iterable[Any]) -> Iterator[list[Any]]:
    """``items`` a page's worth at a time: a table is drawn per chunk, never of all."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == PAGE_SIZE:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _print_tables(console: Any, items: Iterable[Any], columns: Callable[[Any], None],
                  row: Callable[[Any], list[Any]], none: str) -> None:
    """``items`` as tables of a page each (``columns`` sets one up, ``row`` gives an item's
    cells), the header over the first only; ``none`` where there are no items."""
    shown = False
    for chunk in _in_chunks(items):
        table = _table(show_header=not shown)
        columns(table)
        for item in chunk:
            table.add_row(*row(item))
        console.print(table)
        shown = True
    if not shown:
        console.print(none)


def _print_csv(header: list[str], rows: Iterator[list[object]]) -> None:
    import csv

    from mlm_tui.core.export import csv_cell

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])


def _plain(value: Any) -> str:
    """Money and points as plain decimal strings: ``1234.50``."""
    from decimal import Decimal

    amount = getattr(value, "amount", value)
    if isinstance(amount, Decimal):
        return f"{amount:.2f}"
    return str(amount)


def _member_id(backend: Backend, text: str) -> int:
    """A member given as a registration number (as printed on papers) or an internal id."""
    return _member_named(backend, text, need_name=False).id


def _member_named(backend: Backend, text: str, *, need_name: bool = True) -> MemberRef:
    """The member: a registration number is found by a search that names them already (one
    request); an internal id is asked for by name only when ``need_name``."""
    from mlm_tui.core.errors import NotFound, ValidationError
    from mlm_tui.core.models import MemberRef
    from mlm_tui.core.validation import REGISTRATION_DIGITS

    value = text.strip()
    if not value.isascii() or not value.isdigit():
        raise ValidationError(N_("not a member id or registration number: {text}"),
                              field="member", params={"text": text})
    if len(value) == REGISTRATION_DIGITS:
        matches = backend.search_members(value, limit=1)
        if not matches:
            raise NotFound(N_("no member {number} in your team"), field="member",
                           params={"number": value})
        match = matches[0]
        return MemberRef(match.id, match.registration_number, match.full_name)
    if int(value) > LARGEST:
        raise NotFound(N_("no member {number} in your team"), field="member",
                       params={"number": value})
    if not need_name:
        return MemberRef(int(value), "", "")
    member = backend.member(int(value))
    return MemberRef(member.id, member.registration_number, member.full_name)


# --- demo, login, logout -------------------------------------------------------------------


def _demo(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from mlm_tui.core.demo import build_demo, check_sizes
    from mlm_tui.core.local.store import make_folder

    settings = _settings(args)
    # Wrong sizes and a folder that cannot be made are said before a progress bar is drawn.
    check_sizes(products=args.products, orders=args.orders, members=args.members,
                market=args.market)
    make_folder(settings.store_path.parent, settings.file_modes)
    with Progress("[progress.description]{task.description:<10}", BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=_console(stderr=True)
                  ) as bar:
        tasks: dict[str, Any] = {}

        def progress(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=max(total, 1))
            bar.update(tasks[phase], completed=done if total else 1, total=max(total, 1))

        login = build_demo(
            settings.store_path, products=args.products, orders=args.orders,
            members=args.members, seed=args.seed, market=args.market, progress=progress,
            force=args.force, modes=settings.file_modes,
        )
    if args.hostile:
        from mlm_tui.core.local.hostile import make_hostile

        make_hostile(settings.store_path)
    print(_("Demo store: {path}").format(path=settings.store_path))
    print(_("Log in as {number} (or {email}) with the password {password}").format(
        number=login.registration_number, email=login.email, password=login.password))
    return 0


def _login(args: argparse.Namespace) -> int:
    import contextlib

    from mlm_tui.core.errors import DomainError

    settings = _settings(args)
    backend = _open_backend(settings)
    try:
        login = args.login
        if login is None:
            if args.password_stdin:
                return _fail(_("give the login (registration number or e-mail) with "
                               "--password-stdin"))
            login = _typed(lambda: input(_("Registration number or e-mail: ")), field="login")
        password = _read_password(args.password_stdin)
        session = backend.login(login.strip(), password)
        keeper = _keeper(settings)
        try:
            keeper.save(backend.describe(), session.token)
        except OSError:
            # A session nobody holds is not left in the store, if the store lets us.
            with contextlib.suppress(DomainError):
                backend.logout()
            raise
        from mlm_tui.display import printable

        print(printable(_("Logged in as {name} ({number}); session kept in {place}").format(
            name=session.full_name, number=session.registration_number,
            place=keeper.location)))
        return 0
    finally:
        backend.close()


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = _typed(sys.stdin.readline, field="password", secret=True)
        return line[:-1] if line.endswith("\n") else line
    import getpass

    return _typed(lambda: getpass.getpass(_("Password: ")), field="password", secret=True)


def _logout(args: argparse.Namespace) -> int:
    from mlm_tui.core.errors import NotAuthenticated

    settings = _settings(args)
    backend = _open_backend(settings)
    try:
        keeper = _keeper(settings)
        account = backend.describe()
        token = keeper.load(account)
        if token is None:
            print(_("Not logged in."))
            return 0
        try:
            backend.resume(token)
            backend.logout()  # the store forgets the session too
        except NotAuthenticated:
            pass  # already expired: only the kept token is left to forget
        keeper.clear(account)
        print(_("Logged out."))
        return 0
    finally:
        backend.close()


# --- catalog -------------------------------------------------------------------------------


def _catalog_search(args: argparse.Namespace) -> int:
    backend = _signed_in(args, required=False)
    try:
        company = backend.company()
        products = _pages(lambda after, size: backend.search_products_page(
            args.query, after=after, limit=size), args.limit)
        if args.json:
            _print_json_list(_product_json(p) for p in products)
        elif args.csv:
            _print_csv(
                [_("Code"), _("Name"), _("Category"), _("Catalog"), _("Retail price"),
                 _("Your price"), _("Currency"), company.points_label, _("Stock")],
                ([p.code, p.name, p.category, p.period, _plain(p.retail_price),
                  _plain(p.price), p.price.currency, _plain(p.points),
                  p.stock] for p in products),
            )
        else:
            _products_table(products, company)
    finally:
        backend.close()
    return 0


def _catalog_show(args: argparse.Namespace) -> int:
    backend = _signed_in(args, required=False)
    try:
        company = backend.company()
        product = backend.product(args.code.strip())
    finally:
        backend.close()
    if args.json:
        _print_json(_product_json(product))
        return 0
    from rich.table import Table

    from mlm_tui.core.money import format_money, format_points
    from mlm_tui.display import data_text

    locale = shown_locale(company.locale)
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    for label, value in (
        (_("Code"), product.code),
        (_("Name"), product.name),
        (_("Category"), product.category),
        (_("Catalog"), product.period),
        (_("Retail price"), format_money(product.retail_price, locale)),
        (_("Your price"), format_money(product.price, locale)),
        (company.points_label, format_points(product.points, locale)),
        (_("Stock"), str(product.stock) if product.available else _("sold out")),
        (_("Promotions"), ", ".join(product.promotion_marks)),
        (_("Description"), product.description),
    ):
        if value:
            table.add_row(data_text(label), data_text(value, multiline=True))
    _console().print(table)
    return 0


def _product_json(product: Any) -> dict[str, object]:
    return {
        "code": product.code,
        "name": product.name,
        "category": product.category,
        "period": product.period,
        "retail_price": _plain(product.retail_price),
        # What the signed-in buyer pays, as the table, the cart and the screens show it.
        "your_price": _plain(product.price),
        "currency": product.price.currency,
        "points": _plain(product.points),
        "stock": product.stock,
        "promotions": list(product.promotion_marks),
    }


def _products_table(products: Iterable[Any], company: Any) -> None:
    from mlm_tui.core.money import format_money, format_points
    from mlm_tui.display import data_text

    locale = shown_locale(company.locale)

    def columns(table: Any) -> None:
        table.add_column(_("Code"), no_wrap=True)
        table.add_column(_("Name"), min_width=16, ratio=2)
        table.add_column(_("Category"), min_width=8, ratio=1)
        table.add_column(_("Your price"), justify="right", no_wrap=True)
        table.add_column(_("Retail"), justify="right", no_wrap=True)
        table.add_column(data_text(company.points_label), justify="right", no_wrap=True)
        table.add_column(_("Stock"), justify="right", no_wrap=True)

    def row(p: Any) -> list[Any]:
        return [data_text(p.code), data_text(p.name), data_text(p.category),
                format_money(p.price, locale),
                format_money(p.retail_price, locale),
                format_points(p.points, locale),
                str(p.stock) if p.available else _("sold out")]

    _print_tables(_console(), products, columns, row, _("No product matches."))


# --- orders and volume ---------------------------------------------------------------------


def _orders_list(args: argparse.Namespace) -> int:
    from mlm_tui.core.models import OrderFilter, OrderSource, OrderStatus

    backend = _signed_in(args)
    try:
        company = backend.company()
        filters = OrderFilter(
            member_id=_member_id(backend, args.member) if args.member else None,
            month=args.month,
            source=OrderSource(args.source) if args.source else None,
            status=OrderStatus(args.status) if args.status else None,
        )
        orders = _pages(lambda after, size: backend.orders_page(filters, after=after,
                                                                limit=size), args.limit)
        if args.json:
            _print_json_list(_order_json(o) for o in orders)
        elif args.csv:
            _print_csv(
                [_("Order"), _("Placed"), _("Member number"), _("Member"), _("Source"),
                 _("Status"), company.points_label, _("Total"), _("Currency"), _("Invoice")],
                ([o.number, o.placed_at.isoformat(), o.buyer_registration_number,
                  o.buyer_name, o.source.value, o.status.value, _plain(o.points),
                  _plain(o.total), o.total.currency, o.invoice_number or ""] for o in orders),
            )
        else:
            _orders_table(orders, company)
    finally:
        backend.close()
    return 0


def _order_json(order: Any) -> dict[str, object]:
    return {
        "number": order.number,
        "placed_at": order.placed_at.isoformat(),
        "buyer_id": order.buyer_id,
        "buyer_registration_number": order.buyer_registration_number,
        "buyer_name": order.buyer_name,
        "source": order.source.value,
        "status": order.status.value,
        "points": _plain(order.points),
        "total": _plain(order.total),
        "currency": order.total.currency,
        "invoice_number": order.invoice_number,
    }


def _orders_table(orders: Iterable[Any], company: Any) -> None:
    from mlm_tui.core.dates import format_day
    from mlm_tui.core.money import format_money, format_points
    from mlm_tui.display import data_text
    from mlm_tui.widgets.order_text import status_label

    locale = shown_locale(company.locale)
    console = _console()
    # On a narrow terminal the invoice number gives way to the buyer's name (--csv has all).
    with_invoice = console.width >= WIDE

    def columns(table: Any) -> None:
        table.add_column(_("Date"), no_wrap=True)
        table.add_column(_("Order"), no_wrap=True)
        table.add_column(_("Buyer"), min_width=14)
        table.add_column(_("Source"), no_wrap=True)
        table.add_column(_("Status"), no_wrap=True)
        table.add_column(data_text(company.points_label), justify="right", no_wrap=True)
        table.add_column(_("Total"), justify="right", no_wrap=True)
        if with_invoice:
            table.add_column(_("Invoice"), no_wrap=True)

    def row(o: Any) -> list[Any]:
        row = [format_day(o.placed_at, locale), data_text(o.number),
               data_text(f"{o.buyer_name} ({o.buyer_registration_number})"), o.source.value,
               status_label(o.status), format_points(o.points, locale),
               format_money(o.total, locale)]
        return row + ([data_text(o.invoice_number or "")] if with_invoice else [])

    _print_tables(console, orders, columns, row, _("No orders match."))


def _volume(args: argparse.Namespace) -> int:
    backend = _signed_in(args)
    try:
        company = backend.company()
        member = _member_named(backend, args.member)
        months = backend.monthly_volume(member.id, months=args.months)
    finally:
        backend.close()
    if args.json:
        _print_json({
            "member": {"id": member.id, "registration_number": member.registration_number,
                       "full_name": member.full_name},
            "months": [{"month": v.month, "points": _plain(v.points), "orders": v.orders,
                        "loyalty_orders": v.loyalty_orders} for v in months],
        })
        return 0
    if args.csv:
        _print_csv([_("Month"), company.points_label, _("Orders"), _("Loyalty (AS)")],
                   iter([v.month, _plain(v.points), v.orders, v.loyalty_orders]
                        for v in months))
        return 0
    from mlm_tui.core.money import format_points
    from mlm_tui.display import data_text
    from mlm_tui.formats import month_name

    locale = shown_locale(company.locale)
    table = _table(title=data_text(f"{member.full_name} ({member.registration_number})"))
    table.add_column(_("Month"), no_wrap=True)
    table.add_column(data_text(company.points_label), justify="right")
    table.add_column(_("Orders"), justify="right")
    table.add_column(_("Loyalty (AS)"), justify="right")
    for v in months:
        table.add_row(month_name(v.month, company.locale), format_points(v.points, locale),
                      str(v.orders), str(v.loyalty_orders))
    _console().print(table)
    return 0


# --- inbox ---------------------------------------------------------------------------------


def _inbox(args: argparse.Namespace) -> int:
    from mlm_tui.core.dates import format_day
    from mlm_tui.display import printable
    from mlm_tui.notice_text import notice_text, notification_kind_label

    backend = _signed_in(args)
    try:
        company = backend.company()
        notifications = backend.notifications(unread_only=args.unread)
    finally:
        backend.close()
    locale = shown_locale(company.locale)
    # Each notice worded now, in the reader's language (the store keeps a code).
    worded = [(n, *notice_text(n, locale)) for n in notifications]
    if args.json:
        _print_json([{"id": n.id, "at": n.at.isoformat(), "kind": n.kind.value,
                      "read": n.read, "code": n.code, "title": title, "body": body}
                     for n, title, body in worded])
        return 0
    if not worded:
        print(_("No unread messages.") if args.unread else _("No messages yet."))
    for n, title, body in worded:
        mark = " " if n.read else "●"
        print(printable(f"{mark} {format_day(n.at, locale)}  "
                        f"{notification_kind_label(n.kind)}  {title}"))
        print(printable("  " + body, multiline=True).replace("\n", "\n  "))
    return 0
