"""``mlm-tui maintenance shipments`` and ``delivery-stops``: the warehouse's and the
service's side of parcels, on the store itself.

    mlm-tui maintenance shipments import FILE          (CSV or JSON: order_number, carrier,
                                                        tracking_number, shipped_at)
    mlm-tui maintenance shipments events import FILE   (CSV or JSON: tracking_number, at,
                                                        status, station, description,
                                                        expected_from, expected_to)
    mlm-tui maintenance delivery-stops list [--open]
    mlm-tui maintenance delivery-stops decide ORDER --credit [--note TEXT]
    mlm-tui maintenance delivery-stops decide ORDER --refuse --note TEXT

An import applies what it can and lists every refused line with why; it exits 1 when a
line was refused, so a scheduled run is noticed. Importing a file again changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from mlm_tui.i18n import _


def add_shipment_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                          shared: list[argparse.ArgumentParser]) -> None:
    shipments = commands.add_parser(
        "shipments", help=_("ship orders from the warehouse's file; follow parcels from the "
        "carriers' events"), parents=shared)
    actions = shipments.add_subparsers(dest="shipments_command", required=True,
                                       metavar="ACTION")
    imports = actions.add_parser(
        "import", help=_("move the orders of FILE to shipped (CSV or JSON with order_number, "
        "carrier, tracking_number, shipped_at)"), parents=shared)
    imports.add_argument("file", type=Path, help=_("the warehouse's file"))
    imports.set_defaults(handler=_ship)
    events = actions.add_parser("events", help=_("the carriers' events"), parents=shared)
    event_actions = events.add_subparsers(dest="events_command", required=True,
                                          metavar="ACTION")
    event_import = event_actions.add_parser(
        "import", help=_("put FILE's events on the parcels' timelines: delivered delivers the "
        "order, returned queues a delivery stop (CSV or JSON with tracking_number, at, "
        "status, station, description, expected_from, expected_to)"), parents=shared)
    event_import.add_argument("file", type=Path, help=_("the carriers' file"))
    event_import.set_defaults(handler=_events)

    stops = commands.add_parser(
        "delivery-stops", help=_("the queue of delivery stops: credit the returned parcel or "
        "refuse the stop"), parents=shared)
    stop_actions = stops.add_subparsers(dest="stops_command", required=True, metavar="ACTION")
    listing = stop_actions.add_parser("list", help=_("the delivery stops, oldest first"),
                                      parents=shared)
    listing.add_argument("--open", action="store_true", help=_("only those awaiting a decision"))
    listing.set_defaults(handler=_stops_list)
    decide = stop_actions.add_parser("decide", help=_("decide the delivery stop of ORDER"),
                                     parents=shared)
    decide.add_argument("order_number", help=_("the order number, e.g. RU-2611-000009"))
    outcome = decide.add_mutually_exclusive_group(required=True)
    outcome.add_argument("--credit", action="store_true",
                         help=_("the parcel came back: credit the order to the balance"))
    outcome.add_argument("--refuse", action="store_true",
                         help=_("it could not be stopped: it goes on to the buyer (needs --note)"))
    decide.add_argument("--note", metavar="TEXT", default="",
                        help=_("why it is refused; with --credit, a note to the member"))
    decide.add_argument("--by", default="", help=_("who decides (default: this user)"))
    decide.set_defaults(handler=_stops_decide)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as exc:
        print(f"{path}: {exc.strerror}", file=sys.stderr)
        return None


def _ship(args: argparse.Namespace) -> int:
    from mlm_tui.core.local.shipments import ship_orders
    from mlm_tui.core.shipment_files import read_shipments

    return _import(args, read_shipments, ship_orders,
                   done=_("{done} shipped, {seen} seen before, {refused} refused "
                          "(of {count} in {file})."))


def _events(args: argparse.Namespace) -> int:
    from mlm_tui.core.local.shipments import record_carrier_events
    from mlm_tui.core.shipment_files import read_carrier_events

    return _import(args, read_carrier_events, record_carrier_events,
                   done=_("{done} recorded, {seen} seen before, {refused} refused "
                          "(of {count} in {file})."))


def _import(args: argparse.Namespace, read: Callable[[bytes], Any],
            apply: Callable[..., object], *, done: str) -> int:
    """A warehouse's or carrier's file, read and applied to the store in one go."""
    from mlm_tui.cli_maintenance import _now, _store

    data = _read(args.file)
    if data is None:
        return 1
    records = read(data)
    with closing(_store(args)) as store:
        report = apply(store, records, now=_now(None))
    return _print_report(report, args.file.name, done=done)


def _print_report(report: object, name: str, *, done: str) -> int:
    """Each refused line with why, then the counts (``done`` is the summary's sentence)."""
    from mlm_tui.core.local.shipments import ImportReport, Result
    from mlm_tui.display import printable
    from mlm_tui.i18n import render_message

    assert isinstance(report, ImportReport)
    for outcome in report.refused:  # why, in the reader's language (a status as a word)
        why = render_message(outcome.why, outcome.why_params)
        print(printable(_("REFUSED  line {line}  {key}: {why}").format(
            line=outcome.line, key=outcome.key, why=why)))
    print(done.format(done=report.count(Result.DONE), seen=report.count(Result.SEEN),
                      refused=report.count(Result.REFUSED), count=len(report.outcomes),
                      file=name))
    return 1 if report.refused else 0


def _stops_list(args: argparse.Namespace) -> int:
    from mlm_tui.cli_maintenance import _store
    from mlm_tui.core.local.delivery_stops import list_stops
    from mlm_tui.core.models import DeliveryStopState
    from mlm_tui.display import printable

    with closing(_store(args)) as store:
        cases = list_stops(store, open_only=args.open)
    if not cases:
        print(_("No delivery stop awaits a decision.") if args.open
              else _("No delivery stops yet."))
        return 0
    states = {DeliveryStopState.REQUESTED: _("requested"),
              DeliveryStopState.CREDITED: _("credited"),
              DeliveryStopState.REFUSED: _("refused")}
    for case in cases:
        stop = case.stop
        why = _("returned by the carrier") if stop.returned else _("asked by the member")
        credit = ("  " + _("credit {amount}").format(amount=stop.credit.amount)
                  if stop.credit is not None else "")
        note = f"  \"{stop.note}\"" if stop.note else ""
        print(printable(f"{stop.order_number:<16} {stop.requested_at.date().isoformat()}  "
                        f"{case.registration_number:>10}  {case.full_name:<24.24}  "
                        + _("worth {amount}").format(amount=f"{case.total.amount:>10}")
                        + f"  {states[stop.state]:<9} {why}{credit}{note}"))
    return 0


def _stops_decide(args: argparse.Namespace) -> int:
    from mlm_tui.cli_maintenance import _now, _store, _who
    from mlm_tui.core.local.delivery_stops import decide_stop
    from mlm_tui.display import printable

    if args.refuse and not args.note.strip():
        print(_("Say why with --note: the member reads it in her inbox."), file=sys.stderr)
        return 2
    with closing(_store(args)) as store:
        case = decide_stop(store, args.order_number, credit=args.credit, now=_now(None),
                           decided_by=_who(args), note=args.note)
    stop = case.stop
    if stop.credit is not None:
        what = _("{number}: {amount} {currency} credited to the balance.").format(
            number=stop.order_number, amount=stop.credit.amount,
            currency=stop.credit.currency)
    else:
        what = _("{number}: refused; the parcel goes on to the buyer.").format(
            number=stop.order_number)
    print(printable(what + " " + _("The decision is in the inbox of {number} ({name}).")
                    .format(number=case.registration_number, name=case.full_name)))
    return 0
