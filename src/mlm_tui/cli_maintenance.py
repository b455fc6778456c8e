"""``mlm-tui maintenance``: the operator's retention run and personal data requests.

    mlm-tui maintenance retention [--apply] [--as-of YYYY-MM-DD]
    mlm-tui maintenance export-personal-data REGNO [--output FILE]
    mlm-tui maintenance erase-personal-data REGNO --yes

Retention is a dry run unless ``--apply`` is given. These act on the local store file
itself (not as a signed-in member), so they belong to whoever runs the store.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path


def add_maintenance_commands(
    subparsers: argparse._SubParsersAction, parents: list[argparse.ArgumentParser] | None = None
) -> None:
    """Register ``maintenance`` and its subcommands on the main parser's subparsers;
    ``parents`` carry the options every command accepts (``--data-dir``)."""
    shared = {"parents": parents or []}
    maintenance = subparsers.add_parser(
        "maintenance", help="retention run and personal data requests (operator tasks)",
        **shared,
    )
    commands = maintenance.add_subparsers(dest="maintenance_command", required=True,
                                          metavar="COMMAND")

    retention = commands.add_parser(
        "retention", help="list the accounts due for removal; --apply anonymises them",
        **shared,
    )
    retention.add_argument("--apply", action="store_true",
                           help="anonymise the due accounts (default: only list them)")
    retention.add_argument("--as-of", type=date.fromisoformat, metavar="YYYY-MM-DD",
                           help="check as of another day (default: today)")
    retention.set_defaults(handler=_retention)

    export = commands.add_parser("export-personal-data",
                                 help="everything stored about one member, as JSON", **shared)
    export.add_argument("registration_number")
    export.add_argument("--output", type=Path, help="write to this file (default: stdout)")
    export.set_defaults(handler=_export)

    erase = commands.add_parser("erase-personal-data",
                                help="anonymise one member now, on their request", **shared)
    erase.add_argument("registration_number")
    erase.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")
    erase.set_defaults(handler=_erase)


def _store(args: argparse.Namespace):  # a Store, imported only when needed
    from mlm_tui.core.errors import NotFound
    from mlm_tui.core.local.store import Store
    from mlm_tui.core.settings import load_settings

    data_dir = getattr(args, "data_dir", None)
    settings = load_settings(data_dir=Path(data_dir) if data_dir else None)
    if not settings.store_path.exists():
        raise NotFound(f"no store at {settings.store_path}", field="store")
    return Store(settings.store_path)


def _now(as_of: date | None) -> datetime:
    if as_of is not None:
        return datetime.combine(as_of, time(12, 0))
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _retention(args: argparse.Namespace) -> int:
    from mlm_tui.core.retention import run_retention

    store = _store(args)
    try:
        report = run_retention(store, now=_now(args.as_of), apply=args.apply)
    finally:
        store.close()
    day = report.as_of.date().isoformat()
    if not report.cases:
        print(f"No account is due for removal as of {day}.")
        return 0
    for case in report.cases:
        last = case.last_order_at.date().isoformat() if case.last_order_at else "never"
        print(f"{case.registration_number:>10}  {case.full_name:<32.32}  "
              f"last order {last:<10}  due {case.due_on.isoformat()}  ({case.rule.value})")
    count = len(report.cases)
    if report.applied:
        print(f"{count} account(s) anonymised as of {day}; their orders are kept.")
    else:
        print(f"{count} account(s) due as of {day}. Nothing changed: run with --apply "
              "to anonymise them.")
    return 0


def _export(args: argparse.Namespace) -> int:
    import json

    from mlm_tui.core.errors import NotFound
    from mlm_tui.core.retention import export_personal_data

    store = _store(args)
    try:
        data = export_personal_data(store, args.registration_number)
    except NotFound as error:
        print(f"{error.message}: {args.registration_number}", file=sys.stderr)
        return 1
    finally:
        store.close()
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
        print(f"written to {args.output}")
    else:
        print(text)
    return 0


def _erase(args: argparse.Namespace) -> int:
    from mlm_tui.core.errors import NotFound
    from mlm_tui.core.retention import erase_personal_data

    if not args.yes:
        print("This anonymises the member for good (orders are kept). Add --yes to go on.",
              file=sys.stderr)
        return 2
    store = _store(args)
    try:
        erase_personal_data(store, args.registration_number, now=_now(None))
    except NotFound as error:
        print(f"{error.message}: {args.registration_number}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"Personal data of {args.registration_number} erased; orders are kept.")
    return 0
