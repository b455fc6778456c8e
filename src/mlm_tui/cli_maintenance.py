"""``mlm-tui maintenance``: the operator's retention run, personal data requests, and the
service's decisions on claims.

    mlm-tui maintenance retention [--apply] [--as-of YYYY-MM-DD]
    mlm-tui maintenance export-personal-data REGNO [--output FILE]
    mlm-tui maintenance erase-personal-data REGNO --yes
    mlm-tui maintenance claim list [--open]
    mlm-tui maintenance claim decide NUMBER --accept [--credit AMOUNT] [--reason NOTE]
    mlm-tui maintenance claim decide NUMBER --reject --reason TEXT

Retention is a dry run unless ``--apply`` is given. These act on the local store file
itself (not as a signed-in member), so they belong to whoever runs the store: a member
never decides her own claim.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, time
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

    _add_claim_commands(commands, shared)


def _add_claim_commands(commands: argparse._SubParsersAction, shared: dict) -> None:
    claim = commands.add_parser("claim", help="list claims and decide them (the service)",
                                **shared)
    actions = claim.add_subparsers(dest="claim_command", required=True, metavar="ACTION")

    listing = actions.add_parser("list", help="every claim, newest first", **shared)
    listing.add_argument("--open", action="store_true",
                         help="only the claims awaiting a decision")
    listing.set_defaults(handler=_claim_list)

    decide = actions.add_parser(
        "decide", help="accept (crediting the balance) or reject a claim; the member's inbox "
        "gets the decision", **shared)
    decide.add_argument("number", help="the claim number, e.g. CL-2611-000001")
    outcome = decide.add_mutually_exclusive_group(required=True)
    outcome.add_argument("--accept", action="store_true",
                         help="accept and credit the member's balance")
    outcome.add_argument("--reject", action="store_true", help="reject (needs --reason)")
    decide.add_argument("--credit", metavar="AMOUNT",
                        help="with --accept: the credit (default: what the claimed products "
                        "were paid; never more)")
    decide.add_argument("--reason", metavar="TEXT", default="",
                        help="why it is rejected; with --accept, a note to the member")
    decide.set_defaults(handler=_claim_decide)


def _store(args: argparse.Namespace):  # a Store, imported only when needed
    from mlm_tui.cli import say_if_read_only
    from mlm_tui.core.errors import NotFound
    from mlm_tui.core.local.store import Store
    from mlm_tui.core.settings import load_settings

    data_dir = getattr(args, "data_dir", None)
    settings = load_settings(data_dir=Path(data_dir) if data_dir else None)
    if not settings.store_path.exists():
        raise NotFound(f"no store at {settings.store_path}", field="store")
    store = Store(settings.store_path, settings.file_modes)
    say_if_read_only(store)
    return store


def _now(as_of: date | None) -> datetime:
    from mlm_tui.core.dates import utc_now

    if as_of is not None:
        return datetime.combine(as_of, time(12, 0))
    return utc_now()


def _retention(args: argparse.Namespace) -> int:
    from mlm_tui.core.local.retention import run_retention

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
    from mlm_tui.core.local.retention import export_personal_data

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
        from mlm_tui.core.files import private_file

        with private_file(args.output, "w", encoding="utf-8") as fh:  # personal data: 0600
            fh.write(text + "\n")
        print(f"written to {args.output}")
    else:
        print(text)
    return 0


def _erase(args: argparse.Namespace) -> int:
    from mlm_tui.core.errors import NotFound
    from mlm_tui.core.local.retention import erase_personal_data

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


def _claim_list(args: argparse.Namespace) -> int:
    from mlm_tui.core.local.claim_decisions import list_claims

    store = _store(args)
    try:
        cases = list_claims(store, open_only=args.open)
    finally:
        store.close()
    if not cases:
        print("No claim awaits a decision." if args.open else "No claims yet.")
        return 0
    now = _now(None)
    for case in cases:
        claim = case.claim
        late = "  OVERDUE" if case.is_overdue(now) else ""
        credit = f"  credit {claim.credit.amount}" if claim.credit else ""
        print(f"{claim.number:<16} {claim.submitted_at.date().isoformat()}  "
              f"{case.registration_number:>10}  {case.full_name:<24.24}  "
              f"{claim.invoice_number:<16} worth {case.worth.amount:>10}  "
              f"{claim.status.value:<9} due {claim.decision_due.isoformat()}{credit}{late}")
    return 0


def _claim_decide(args: argparse.Namespace) -> int:
    from mlm_tui.core.local.base import read_company
    from mlm_tui.core.local.claim_decisions import accept_claim, reject_claim
    from mlm_tui.core.money import Money, parse_amount

    if args.reject and args.credit is not None:
        print("--credit goes with --accept; a rejection credits nothing.", file=sys.stderr)
        return 2
    if args.reject and not args.reason.strip():
        print("Say why with --reason: the member reads it in her inbox.", file=sys.stderr)
        return 2
    store = _store(args)
    try:
        now = _now(None)
        if args.reject:
            case = reject_claim(store, args.number, now=now, reason=args.reason)
        else:
            credit = None
            if args.credit is not None:
                # In the company's currency, written as its locale writes amounts.
                with store.read() as conn:
                    company = read_company(conn)
                try:
                    credit = Money(parse_amount(args.credit, company.locale), company.currency)
                except ValueError:
                    print(f"--credit: not an amount: {args.credit}", file=sys.stderr)
                    return 2
            case = accept_claim(store, args.number, now=now, credit=credit, note=args.reason)
    finally:
        store.close()
    print(f"{case.claim.number}: {case.claim.decision}")
    print(f"The decision is in the inbox of {case.registration_number} ({case.full_name}).")
    return 0
