"""``mlm-tui db``: the store's schema and where it lives (operator tasks).

    mlm-tui db upgrade [--database URL]          the store (or database) to this schema
    mlm-tui db copy --from STORE --to STORE      a whole store into another, verified

A STORE is a ``postgresql://…`` URL, a ``sqlite:///path`` URL or a store file's path. A copy
empties the target first and runs in one transaction of it, so it can simply be run again.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from mlm_tui.i18n import _

if TYPE_CHECKING:
    from mlm_tui.core.local.store import Store


def add_db_commands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    parents: list[argparse.ArgumentParser] | None = None,
) -> None:
    shared = parents or []
    db = subparsers.add_parser("db", help=_("the store's schema and database (operator tasks)"),
                               parents=shared)
    commands = db.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    upgrade = commands.add_parser(
        "upgrade", help=_("upgrade the store or database to this mlm-tui's schema"),
        parents=shared)
    upgrade.add_argument("--database", metavar="URL",
                         help=_("a PostgreSQL database (postgresql://…) instead of the store "
                                "file; also MLM_TUI_DATABASE"))
    upgrade.set_defaults(handler=_upgrade)
    copy = commands.add_parser(
        "copy", help=_("copy a whole store into another (emptied first) and verify it"),
        parents=shared)
    copy.add_argument("--from", dest="source", required=True, metavar="STORE")
    copy.add_argument("--to", dest="target", required=True, metavar="STORE")
    copy.set_defaults(handler=_copy)


def open_named(name: str, *, may_upgrade: bool = False) -> Store:
    """The store ``name`` names: a database URL, ``sqlite:///path`` or a file's path."""
    from mlm_tui.core.local.postgres import PostgresStore, is_database_url
    from mlm_tui.core.local.store import Store

    if is_database_url(name):
        return PostgresStore(name, may_upgrade=may_upgrade)
    return Store(store_file(name))


def store_file(name: str) -> Path:
    """The file a ``sqlite:///path`` URL or a path names (``sqlite:///`` then a relative
    path, ``sqlite:////`` an absolute one, as SQLAlchemy reads them)."""
    return Path(name.removeprefix("sqlite:///")).expanduser().absolute()


def _upgrade(args: argparse.Namespace) -> int:
    from mlm_tui.cli import _settings
    from mlm_tui.core.local import schema

    settings = _settings(args)
    store = open_named(settings.database or str(settings.store_path), may_upgrade=True)
    try:
        print(_("{store} is at schema {version}.").format(store=store.where,
                                                          version=schema.SCHEMA_VERSION))
    finally:
        store.close()
    return 0


def _copy(args: argparse.Namespace) -> int:
    from mlm_tui.cli import _fail, _settings
    from mlm_tui.core.local.copy import copy_store
    from mlm_tui.core.local.postgres import is_database_url
    from mlm_tui.core.local.verify import differences, figures

    _settings(args)  # the language of the messages
    if not is_database_url(args.source) and not store_file(args.source).is_file():
        # Opening it would make an empty store there, and copying that would empty the target.
        return _fail(_("There is no store at {path}: nothing was copied.").format(
            path=store_file(args.source)))
    source = open_named(args.source)
    try:
        target = open_named(args.target)
        try:
            copy_store(source, target, progress=_progress())
            print(file=sys.stderr)
            wrong = differences(figures(source), figures(target))
            if wrong:
                return _fail(_("The copy differs from its source: {what}").format(
                    what="; ".join(wrong)))
            rows = sum(count for count, _sums in figures(target).values())
            print(_("Copied {rows} rows into {store}; every table's rows and amounts agree."
                    ).format(rows=rows, store=target.where))
        finally:
            target.close()
    finally:
        source.close()
    return 0


def _progress() -> Callable[[str, int], None]:
    """A line on standard error that counts the rows of the table being copied."""
    def said(table: str, rows: int) -> None:
        print(f"\r{table}: {rows}".ljust(60), end="", file=sys.stderr, flush=True)

    return said
