"""``mlm-tui cart``, ``checkout``, ``outbox`` and ``sync``: ordering from scripts and pasted
lists with a team server, online or offline (see :mod:`mlm_tui.core.offline.work`).

The cart is kept on this machine; checkout queues the order in the outbox and sends it
at once when the server answers, so the command prints the order's number, or its queued
number when the server is away. ``sync`` sends what waits and says what went through and
what needs a decision; ``outbox confirm`` and ``outbox drop`` take the decision.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import Any

from mlm_tui.i18n import N_, _

NEEDS_SERVER = N_("ordering from the command line works with a team server: give --server URL")


def add_offline_commands(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    from mlm_tui.cli import add_command_group, add_json_option

    cart_commands = add_command_group(commands, "cart", help=_("the cart kept on this machine"),
                                      parents=parents)
    add = cart_commands.add_parser(
        "add", parents=parents,
        help=_("add products: CODE [QTY] ...; without any, \"code qty\" lines from stdin"))
    add.add_argument("items", nargs="*", metavar="CODE [QTY]")
    add_json_option(add)
    add.set_defaults(handler=_cart_add)
    show = cart_commands.add_parser("show", parents=parents, help=_("the cart, priced"))
    add_json_option(show)
    show.set_defaults(handler=_cart_show)
    clear = cart_commands.add_parser("clear", parents=parents, help=_("empty the cart"))
    clear.set_defaults(handler=_cart_clear)

    checkout = commands.add_parser(
        "checkout", parents=parents,
        help=_("order the cart: prints the order number, or the queued number offline"))
    checkout.add_argument("--pay", required=True, metavar="METHOD",
                          help=_("balance, service_centre or cash_to_courier"))
    checkout.add_argument("--pickup", metavar="ID",
                          help=_("a pickup point or service centre (default: a courier)"))
    add_json_option(checkout)
    checkout.set_defaults(handler=_checkout)

    outbox = commands.add_parser("outbox", parents=parents,
                                 help=_("orders queued offline and their state"))
    outbox.add_argument("decision", nargs="?", choices=("confirm", "edit", "drop"),
                        help=_("confirm an order that waits at the new price, take it back "
                               "into the cart to change it, or drop it"))
    outbox.add_argument("number", nargs="?", help=_("the queued number (Q-000001)"))
    add_json_option(outbox)
    outbox.set_defaults(handler=_outbox)

    sync = commands.add_parser("sync", parents=parents,
                               help=_("send the queued orders; say what went through"))
    add_json_option(sync)
    sync.set_defaults(handler=_sync)


def _work(args: argparse.Namespace) -> Any:
    """The offline work of the kept session's server: online when the server answers."""
    from mlm_tui import cli
    from mlm_tui.core.errors import NotAuthenticated, Offline, ValidationError
    from mlm_tui.core.offline.work import OfflineWork

    settings = cli._settings(args)
    if not settings.server_url:
        raise ValidationError(NEEDS_SERVER, field="server")
    backend = cli._open_backend(settings)
    token = cli._keeper(settings).load(backend.describe())
    if token is None:
        raise NotAuthenticated(cli.NOT_LOGGED_IN)
    with contextlib.suppress(Offline):  # the work goes on from the replica and the outbox
        backend.resume(token)
    return OfflineWork(settings.data_dir, backend, settings.server_url)


def _status(work: Any) -> str:
    if work.online:
        return _("online: {server}").format(server=work.backend.describe())
    as_of = work.replica.prices_as_of()
    if as_of is None:
        return _("offline")
    return _("offline — prices as of {time}").format(time=as_of.strftime("%H:%M"))


def _money(money: Any, work: Any) -> str:
    from mlm_tui.core.money import format_money
    from mlm_tui.formats import shown_locale

    return format_money(money, shown_locale(work.replica.company().locale))


def _read_items(items: list[str]) -> list[tuple[str, int]]:
    """``CODE [QTY] ...`` from the arguments, or "code qty" lines from standard input."""
    from mlm_tui.core.errors import ValidationError

    words = items or [word for line in sys.stdin for word in line.split()[:2]]
    found: list[tuple[str, int]] = []
    for word in words:
        if word.isdigit() and found and found[-1][1] == 0:
            found[-1] = (found[-1][0], int(word))
        else:
            found.append((word, 0))
    if not found:
        raise ValidationError(N_("Give a product code, and a quantity if more than one."),
                              field="code")
    return [(code, quantity or 1) for code, quantity in found]


def _cart_add(args: argparse.Namespace) -> int:
    wanted = _read_items(args.items)
    work = _work(args)
    try:
        return _print_cart(work, work.add(wanted), args.json)
    finally:
        work.close()


def _cart_show(args: argparse.Namespace) -> int:
    work = _work(args)
    try:
        return _print_cart(work, work.priced(), args.json)
    finally:
        work.close()


def _cart_clear(args: argparse.Namespace) -> int:
    work = _work(args)
    try:
        work.clear()
    finally:
        work.close()
    print(_("The cart is empty."))
    return 0


def _print_cart(work: Any, priced: Any, as_json: bool) -> int:
    from mlm_tui.cli import _print_json
    from mlm_tui.display import printable

    cart = priced.cart
    if as_json:
        _print_json({"online": priced.online, "lines": [
            {"code": line.product.code, "name": line.product.name, "quantity": line.quantity,
             "to_pay": str(line.to_pay.amount), "points": str(line.points),
             "gift": line.is_gift} for line in cart.lines],
            "to_pay": str(cart.to_pay.amount), "currency": cart.to_pay.currency,
            "points": str(cart.points)})
        return 0
    print(printable(_status(work)))
    if cart.is_empty:
        print(_("The cart is empty."))
        return 0
    for line in cart.lines:
        price = _("free") if line.is_gift else _money(line.to_pay, work)
        print(printable(f"{line.product.code:>8}  {line.quantity:>3} × {line.product.name}"
                        f"  {price}"))
    print(_("To pay: {amount}").format(amount=_money(cart.to_pay, work)))
    return 0


def _checkout(args: argparse.Namespace) -> int:
    from mlm_tui.core.errors import ValidationError
    from mlm_tui.core.models import Checkout, DeliveryMethod, PaymentMethod

    try:
        payment = PaymentMethod(args.pay.strip().lower())
    except ValueError:
        raise ValidationError(N_("There is no payment method {method}."), field="payment_method",
                              params={"method": args.pay}) from None
    work = _work(args)
    try:
        delivery = DeliveryMethod.COURIER
        if args.pickup:
            points = {p.code: p.kind for p in work.replica.company().pickup_points}
            if args.pickup not in points:
                raise ValidationError(N_("Choose a pickup point."), field="pickup_point")
            delivery = points[args.pickup]
        queued = work.checkout(Checkout(delivery, payment, "queued", pickup_point=args.pickup))
        return _print_queued([queued], work, args.json)
    finally:
        work.close()


def _outbox(args: argparse.Namespace) -> int:
    from mlm_tui.core.errors import NotFound, ValidationError

    work = _work(args)
    try:
        if args.decision:
            if not args.number:
                raise ValidationError(N_("Name the queued order: Q-000001."), field="number")
            order = work.outbox.by_number(args.number)
            if order.member_id != work.member_id:  # another member's: not hers to see
                raise NotFound(N_("There is no queued order {number}."), field="number",
                               params={"number": args.number})
            if args.decision == "confirm":
                work.outbox.confirm(order)
                work.sync()
            elif args.decision == "edit":
                return _print_cart(work, work.edit(order), args.json)
            else:
                work.outbox.drop(order)
            order = work.outbox.get(order.id)
            return _print_queued([order], work, args.json)
        return _print_queued(work.outbox.orders(work.member_id), work, args.json)
    finally:
        work.close()


def _sync(args: argparse.Namespace) -> int:
    work = _work(args)
    try:
        report = work.sync()
        if args.json:
            from mlm_tui.cli import _print_json

            _print_json({"online": work.online,
                         "sent": [_queued_json(o) for o in report.sent],
                         "waiting": [_queued_json(o) for o in report.waiting],
                         "still_queued": [_queued_json(o) for o in report.still_queued]})
            return 0
        print(_status(work))
        if not (report.sent or report.waiting or report.still_queued):
            print(_("Nothing to send."))
        _print_queued(report.sent + report.waiting + report.still_queued, work, False,
                      status=False)
        return 0
    finally:
        work.close()


def _queued_json(order: Any) -> dict[str, object]:
    from mlm_tui.core.offline.outbox import STATE_LABELS

    return {"queued_number": order.number, "state": order.state.value,
            "state_text": _(STATE_LABELS[order.state]), "order_number": order.order_number,
            "to_pay": str(order.prepared.seen.to_pay.amount),
            "now_to_pay": (str(order.server_cart.to_pay.amount) if order.server_cart
                           else None),
            "currency": order.prepared.seen.to_pay.currency,
            "differences": list(order.differences),
            "error": order.last_error.message if order.last_error else None}


def _print_queued(orders: list[Any], work: Any, as_json: bool, *, status: bool = True) -> int:
    from mlm_tui.cli import _print_json
    from mlm_tui.core.offline.outbox import STATE_LABELS, OutboxState
    from mlm_tui.display import printable

    if as_json:
        _print_json([_queued_json(order) for order in orders])
        return 0
    if status:
        print(printable(_status(work)))
    for order in orders:
        number = order.order_number or order.number
        seen = _money(order.prepared.seen.to_pay, work)
        text = f"{number}  {seen}  {_(STATE_LABELS[order.state])}"
        if order.state is OutboxState.WAITING:
            if order.server_cart is not None and order.differences:
                text += "  " + _("now {amount}").format(
                    amount=_money(order.server_cart.to_pay, work))
            if order.last_error is not None:
                text += f"  ({order.last_error.message})"
        print(printable(text))
    return 0
