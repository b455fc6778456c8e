"""``mlm-tui maintenance``: the operator's retention run, personal data requests, and the
service's decisions on claims.

    mlm-tui maintenance retention [--apply] [--as-of YYYY-MM-DD]
    mlm-tui maintenance export-personal-data REGNO [--output FILE]
    mlm-tui maintenance erase-personal-data REGNO --yes
    mlm-tui maintenance claim list [--open]
    mlm-tui maintenance claim decide NUMBER --accept [--credit AMOUNT] [--reason NOTE]
    mlm-tui maintenance claim decide NUMBER --reject --reason TEXT
    mlm-tui maintenance service-accounts add NAME [--password-stdin]
    mlm-tui maintenance service-accounts list | disable NAME
    mlm-tui maintenance payments list [--pending]
    mlm-tui maintenance payments confirm REF [--by NAME]
    mlm-tui maintenance payments reject REF --reason TEXT [--by NAME]
    mlm-tui maintenance payments import FILE      (camt.053 XML, or CSV)
    mlm-tui maintenance shipments import FILE | shipments events import FILE
    mlm-tui maintenance delivery-stops list | decide   (see ``mlm_tui.cli_shipments``)

Retention is a dry run unless ``--apply`` is given. These act on the local store file
itself (not as a signed-in member), so they belong to whoever runs the store: a member
never decides her own claim.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import closing
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from mlm_tui.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from mlm_tui.core.local.store import Store


def add_maintenance_commands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    parents: list[argparse.ArgumentParser] | None = None,
) -> None:
    """Register ``maintenance`` and its subcommands on the main parser's subparsers;
    ``parents`` carry the options every command accepts (``--data-dir``)."""
    shared = parents or []
    maintenance = subparsers.add_parser(
        "maintenance", help=_("retention run and personal data requests (operator tasks)"),
        parents=shared,
    )
    commands = maintenance.add_subparsers(dest="maintenance_command", required=True,
                                          metavar="COMMAND")

    retention = commands.add_parser(
        "retention", help=_("list the accounts due for removal; --apply anonymises them"),
        parents=shared,
    )
    retention.add_argument("--apply", action="store_true",
                           help=_("anonymise the due accounts (default: only list them)"))
    retention.add_argument("--as-of", type=date.fromisoformat, metavar="YYYY-MM-DD",
                           help=_("check as of another day (default: today)"))
    retention.set_defaults(handler=_retention)

    export = commands.add_parser("export-personal-data",
                                 help=_("everything stored about one member, as JSON"),
                                 parents=shared)
    export.add_argument("registration_number", help=_("the member's registration number"))
    export.add_argument("--output", type=Path, help=_("write to this file (default: stdout)"))
    export.set_defaults(handler=_export)

    erase = commands.add_parser("erase-personal-data",
                                help=_("anonymise one member now, on their request"),
                                parents=shared)
    erase.add_argument("registration_number", help=_("the member's registration number"))
    erase.add_argument("--yes", action="store_true", help=_("confirm: this cannot be undone"))
    erase.set_defaults(handler=_erase)

    _add_claim_commands(commands, shared)
    _add_service_account_commands(commands, shared)
    _add_payment_commands(commands, shared)
    from mlm_tui.cli_shipments import add_shipment_commands

    add_shipment_commands(commands, shared)


def _add_claim_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                        shared: list[argparse.ArgumentParser]) -> None:
    claim = commands.add_parser("claim", help=_("list claims and decide them (the service)"),
                                parents=shared)
    actions = claim.add_subparsers(dest="claim_command", required=True, metavar="ACTION")

    listing = actions.add_parser("list", help=_("every claim, newest first"), parents=shared)
    listing.add_argument("--open", action="store_true",
                         help=_("only the claims awaiting a decision"))
    listing.set_defaults(handler=_claim_list)

    decide = actions.add_parser(
        "decide", help=_("accept (crediting the balance) or reject a claim; the member's "
                           "inbox gets the decision"), parents=shared)
    decide.add_argument("number", help=_("the claim number, e.g. CL-2611-000001"))
    outcome = decide.add_mutually_exclusive_group(required=True)
    outcome.add_argument("--accept", action="store_true",
                         help=_("accept and credit the member's balance"))
    outcome.add_argument("--reject", action="store_true", help=_("reject (needs --reason)"))
    decide.add_argument("--credit", metavar="AMOUNT",
                        help=_("with --accept: the credit (default: what the claimed products "
                               "were paid; never more)"))
    decide.add_argument("--reason", metavar="TEXT", default="",
                        help=_("why it is rejected; with --accept, a note to the member"))
    decide.set_defaults(handler=_claim_decide)


def _store(args: argparse.Namespace) -> Store:
    from mlm_tui.cli import say_if_read_only
    from mlm_tui.core.errors import NotFound
    from mlm_tui.core.local.store import Store
    from mlm_tui.core.settings import load_settings

    data_dir = getattr(args, "data_dir", None)
    settings = load_settings(data_dir=Path(data_dir) if data_dir else None)
    if not settings.store_path.exists():
        raise NotFound(N_("no store at {path}"), field="store",
                       params={"path": str(settings.store_path)})
    store = Store(settings.store_path, settings.file_modes)
    say_if_read_only(store)
    from mlm_tui.core.local.base import read_company
    from mlm_tui.i18n import remember_company_locale

    with store.read() as conn:  # the days its messages name are written as it writes them
        remember_company_locale(read_company(conn).locale)
    return store


def _now(as_of: date | None) -> datetime:
    from mlm_tui.core.dates import utc_now

    if as_of is not None:
        return datetime.combine(as_of, time(12, 0))
    return utc_now()


def _retention(args: argparse.Namespace) -> int:
    from mlm_tui.core.local.retention import run_retention
    from mlm_tui.core.retention_rules import RetentionRule

    with closing(_store(args)) as store:
        report = run_retention(store, now=_now(args.as_of), apply=args.apply)
    day = report.as_of.date().isoformat()
    if not report.cases:
        print(_("No account is due for removal as of {day}.").format(day=day))
        return 0
    from mlm_tui.display import printable

    rules = {RetentionRule.NO_ORDER: _("never ordered"),
             RetentionRule.AFTER_LAST_ORDER: _("after the last order")}
    for case in report.cases:
        last = case.last_order_at.date().isoformat() if case.last_order_at else _("never")
        print(f"{case.registration_number:>10}  {printable(case.full_name):<32.32}  "
              + _("last order {day}").format(day=f"{last:<10}") + "  "
              + _("due {day}").format(day=case.due_on.isoformat())
              + f"  ({rules.get(case.rule, case.rule.value)})")
    count = len(report.cases)
    if report.applied:
        print(ngettext("{count} account anonymised as of {day}; its orders are kept.",
                       "{count} accounts anonymised as of {day}; their orders are kept.",
                       count).format(count=count, day=day))
    else:
        print(ngettext("{count} account due as of {day}. Nothing changed: run with --apply "
                       "to anonymise it.",
                       "{count} accounts due as of {day}. Nothing changed: run with --apply "
                       "to anonymise them.", count).format(count=count, day=day))
    return 0


def _export(args: argparse.Namespace) -> int:
    from mlm_tui.core.errors import NotFound
    from mlm_tui.core.local.retention import export_personal_data
    from mlm_tui.display import json_text

    store = _store(args)
    try:
        data = export_personal_data(store, args.registration_number)
    except NotFound as error:
        print(f"{error.message}: {args.registration_number}", file=sys.stderr)
        return 1
    finally:
        store.close()
    text = json_text(data)
    if args.output:
        from mlm_tui.core.files import private_file

        with private_file(args.output, "w", encoding="utf-8") as fh:  # personal data: 0600
            fh.write(text + "\n")
        print(_("written to {path}").format(path=args.output))
    else:
        print(text)
    return 0


def _erase(args: argparse.Namespace) -> int:
    from mlm_tui.core.errors import NotFound
    from mlm_tui.core.local.retention import erase_personal_data

    if not args.yes:
        print(_("This anonymises the member for good (orders are kept). Add --yes to go on."),
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
    print(_("Personal data of {number} erased; orders are kept.").format(
        number=args.registration_number))
    return 0


def _claim_list(args: argparse.Namespace) -> int:
    from mlm_tui.core.local.claim_decisions import list_claims
    from mlm_tui.core.models import ClaimStatus

    with closing(_store(args)) as store:
        cases = list_claims(store, open_only=args.open)
    if not cases:
        print(_("No claim awaits a decision.") if args.open else _("No claims yet."))
        return 0
    from mlm_tui.display import printable

    now = _now(None)
    statuses = {ClaimStatus.SUBMITTED: _("submitted"), ClaimStatus.ACCEPTED: _("accepted"),
                ClaimStatus.REJECTED: _("rejected")}
    for case in cases:
        claim = case.claim
        late = "  " + _("OVERDUE") if case.is_overdue(now) else ""
        credit = ("  " + _("credit {amount}").format(amount=claim.credit.amount)
                  if claim.credit else "")
        print(f"{claim.number:<16} {claim.submitted_at.date().isoformat()}  "
              f"{case.registration_number:>10}  {printable(case.full_name):<24.24}  "
              f"{claim.invoice_number:<16} "
              + _("worth {amount}").format(amount=f"{case.worth.amount:>10}") + "  "
              + f"{statuses[claim.status]:<9} "
              + _("due {day}").format(day=claim.decision_due.isoformat()) + credit + late)
    return 0


def _claim_decide(args: argparse.Namespace) -> int:
    from mlm_tui.core.local.base import read_company
    from mlm_tui.core.local.claim_decisions import accept_claim, reject_claim
    from mlm_tui.core.money import Money, parse_amount

    if args.reject and args.credit is not None:
        print(_("--credit goes with --accept; a rejection credits nothing."), file=sys.stderr)
        return 2
    if args.reject and not args.reason.strip():
        print(_("Say why with --reason: the member reads it in her inbox."), file=sys.stderr)
        return 2
    with closing(_store(args)) as store:
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
                    print(_("--credit: not an amount: {text}").format(text=args.credit),
                          file=sys.stderr)
                    return 2
            case = accept_claim(store, args.number, now=now, credit=credit, note=args.reason)
    from mlm_tui.display import printable
    from mlm_tui.i18n import reading_locale
    from mlm_tui.notice_text import decision_text

    # Worded in the operator's language from what was decided (the store keeps the codes).
    decision = decision_text(case.claim, reading_locale())
    print(printable(f"{case.claim.number}: {decision}"))
    print(printable(_("The decision is in the inbox of {number} ({name}).").format(
        number=case.registration_number, name=case.full_name)))
    return 0


# --- service accounts ----------------------------------------------------------------------


def _add_service_account_commands(
        commands: argparse._SubParsersAction[argparse.ArgumentParser],
        shared: list[argparse.ArgumentParser]) -> None:
    accounts = commands.add_parser(
        "service-accounts", help=_("the company's service staff: their own accounts, apart "
                                   "from the members"), parents=shared)
    actions = accounts.add_subparsers(dest="accounts_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help=_("a new service account (asks for its password)"),
                             parents=shared)
    add.add_argument("name", help=_("2 to 64 small letters, digits, dots, dashes, underscores"))
    add.add_argument("--password-stdin", action="store_true",
                     help=_("read the password from standard input"))
    add.set_defaults(handler=_account_add)
    listing = actions.add_parser("list", help=_("every service account"), parents=shared)
    listing.set_defaults(handler=_account_list)
    disable = actions.add_parser("disable", help=_("the account signs in no more; its "
                                                        "sessions end now"), parents=shared)
    disable.add_argument("name", help=_("the service account's name"))
    disable.set_defaults(handler=_account_disable)


def _account_add(args: argparse.Namespace) -> int:
    import getpass

    from mlm_tui.core.local.service_accounts import add_account

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(_("Password for {name}: ").format(name=args.name))
        if getpass.getpass(_("Again: ")) != password:
            print(_("The two passwords differ; nothing was added."), file=sys.stderr)
            return 2
    with closing(_store(args)) as store:
        account = add_account(store, args.name, password, now=_now(None))
    print(_("Service account {name} added. It signs in at "
            "POST /api/v1/service/sessions.").format(name=account.name))
    return 0


def _account_list(args: argparse.Namespace) -> int:
    from mlm_tui.core.local.service_accounts import list_accounts

    with closing(_store(args)) as store:
        accounts = list_accounts(store)
    if not accounts:
        print(_("No service accounts yet: add one with "
                "`maintenance service-accounts add NAME`."))
    for account in accounts:
        state = (_("disabled {day}").format(day=account.disabled_at.date().isoformat())
                 if account.disabled_at else _("active"))
        since = _("since {day}").format(day=account.created_at.date().isoformat())
        print(f"{account.name:<24} {since}  {state}")
    return 0


def _account_disable(args: argparse.Namespace) -> int:
    from mlm_tui.core.local.service_accounts import disable_account

    with closing(_store(args)) as store:
        disable_account(store, args.name, now=_now(None))
    print(_("Service account {name} disabled; its sessions have ended.").format(
        name=args.name))
    return 0


# --- payments ------------------------------------------------------------------------------


def _add_payment_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                          shared: list[argparse.ArgumentParser]) -> None:
    payments = commands.add_parser(
        "payments", help=_("confirm or refuse top-ups and order payments; import a "
                           "bank statement (the service)"), parents=shared)
    actions = payments.add_subparsers(dest="payments_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help=_("the payment requests, oldest first"),
                                 parents=shared)
    listing.add_argument("--pending", action="store_true", help=_("only those still awaited"))
    listing.set_defaults(handler=_payments_list)
    confirm = actions.add_parser("confirm", help=_("the money of REF arrived: credit the "
                                                   "balance, or pay the order"),
                                 parents=shared)
    confirm.add_argument("reference", help=_("TU-2612-000001, or an order number"))
    confirm.add_argument("--by", default="", help=_("who confirms (default: this user)"))
    confirm.set_defaults(handler=_payments_confirm)
    reject = actions.add_parser("reject", help=_("the money of REF will not come; the member "
                                                      "reads why in her inbox"), parents=shared)
    reject.add_argument("reference", help=_("TU-2612-000001, or an order number"))
    reject.add_argument("--reason", required=True, metavar="TEXT",
                        help=_("why: the member reads it in her inbox"))
    reject.add_argument("--by", default="", help=_("who refuses (default: this user)"))
    reject.set_defaults(handler=_payments_reject)
    imports = actions.add_parser(
        "import", help=_("credit the transfers of a bank statement (ISO 20022 camt.053, or "
                "CSV with booked_on,amount,currency,reference) by the reference they quote"),
        parents=shared)
    imports.add_argument("file", type=Path, help=_("the statement file"))
    imports.set_defaults(handler=_payments_import)


def _who(args: argparse.Namespace) -> str:
    import getpass

    # Kept in the ledger as it is written: the same words whoever reads it later.
    return args.by.strip() or f"operator {getpass.getuser()}"


def _payments_list(args: argparse.Namespace) -> int:
    from mlm_tui.core.local.payments import list_payments
    from mlm_tui.core.models import PaymentSource, PaymentState

    with closing(_store(args)) as store:
        cases = list_payments(store, state=PaymentState.PENDING if args.pending else None)
    if not cases:
        print(_("No payment is awaited.") if args.pending else _("No payment requests yet."))
        return 0
    from mlm_tui.display import printable

    states = {PaymentState.PENDING: _("pending"), PaymentState.CONFIRMED: _("confirmed"),
              PaymentState.REJECTED: _("rejected"), PaymentState.CANCELLED: _("cancelled")}
    # Who decided: the payment provider, a bank statement, the service by hand.
    sources = {PaymentSource.PROVIDER: _("provider"), PaymentSource.STATEMENT: _("statement"),
               PaymentSource.SERVICE: _("service"), PaymentSource.DEMO: _("demo")}
    for case in cases:
        r = case.request
        decided = f"  {sources[r.source]}" if r.source else ""
        print(f"{r.reference:<16} {r.requested_at.date().isoformat()}  "
              f"{case.registration_number:>10}  {printable(case.full_name):<24.24}  "
              f"{r.method:<15} {r.amount.amount:>12} {r.amount.currency}  "
              f"{states[r.state]}{decided}")
    return 0


def _payments_confirm(args: argparse.Namespace) -> int:
    from mlm_tui.core.local.payments import confirm_payment
    from mlm_tui.core.models import PaymentSource

    with closing(_store(args)) as store:
        case = confirm_payment(store, args.reference, now=_now(None),
                               source=PaymentSource.SERVICE, decided_by=_who(args))
    r = case.request
    said = (_("{reference}: {amount} {currency} credited to the balance of {number}.")
            if r.order_number is None else
            _("{reference}: {amount} {currency} paid the order of {number}."))
    print(said.format(reference=r.reference, amount=r.amount.amount,
                      currency=r.amount.currency, number=case.registration_number))
    return 0


def _payments_reject(args: argparse.Namespace) -> int:
    from mlm_tui.core.local.payments import reject_payment
    from mlm_tui.core.models import PaymentSource

    with closing(_store(args)) as store:
        case = reject_payment(store, args.reference, now=_now(None), reason=args.reason,
                              source=PaymentSource.SERVICE, decided_by=_who(args))
    print(_("{reference}: refused; {number} reads why in the inbox.").format(
        reference=case.request.reference, number=case.registration_number))
    return 0


def _payments_import(args: argparse.Namespace) -> int:
    from mlm_tui.core.local.payments import import_statement
    from mlm_tui.core.statements import read_statement
    from mlm_tui.display import printable
    from mlm_tui.i18n import render_message

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"{args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    entries = read_statement(data, name=args.file.name)
    with closing(_store(args)) as store:
        report = import_statement(store, entries, now=_now(None),
                                  decided_by=f"statement {args.file.name}")
    credited, unmatched = _("credited"), _("NOT MATCHED")
    for line in report.credited:
        entry = line.entry
        print(printable(f"{credited:<13} {line.reference:<16} {entry.amount:>12} "
                        f"{entry.currency}  {entry.booked_on}  {entry.payer}"))
    for line in report.not_matched:
        entry = line.entry
        print(printable(f"{unmatched:<13} {entry.entry_id:<16} {entry.amount:>12} "
                        f"{entry.currency}  {entry.booked_on}  {entry.payer}  "
                        f"\"{entry.remittance}\": {render_message(line.why_not, line.why_params)}"))
    print(_("{credited} credited, {unmatched} not matched (of {count} credits in {file}).")
          .format(credited=len(report.credited), unmatched=len(report.not_matched),
                  count=len(entries), file=args.file.name))
    return 0
