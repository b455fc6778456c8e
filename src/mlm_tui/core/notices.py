"""What the inbox tells a member, as the core keeps it: a code and its parameters.

The core never words a notice in anyone's language: it stores the code and the values
that fill its templates, and whoever shows the notice words it in the reader's language
(``word_notice`` with a renderer that translates; ``mlm_tui.notice_text`` does so). The
English wording is stored beside them, as the text of a notice without a code is (older
notices, the company's own messages), for whatever reads the store without this module.

Parameters are text, so they cross the wire as they are: an amount as
``"<amount> <currency>"`` (``money_param``), a day as an ISO date, points as a decimal;
their names say which they are (``MONEY_PARAMS``, ``DAY_PARAMS``, ``POINTS_PARAMS``), and
each is formatted in the reader's locale when the notice is worded. ``note`` is the
service's own words, added after the body as written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from mlm_tui.core.dates import format_day
from mlm_tui.core.errors import N_
from mlm_tui.core.money import Money, format_money, format_points


class NoticeCode(StrEnum):
    ORDER_PLACED = "order_placed"  # number, total, points, points_label
    ORDER_CANCELLED = "order_cancelled"  # number, refund
    ORDER_CANCELLED_UNPAID = "order_cancelled_unpaid"  # number
    DELIVERY_STOP_REQUESTED = "delivery_stop_requested"  # number
    ORDER_SHIPPED = "order_shipped"  # number
    CLAIM_RECEIVED = "claim_received"  # number, invoice, day
    CLAIM_CREDITED = "claim_credited"  # number, invoice, credit, note
    CLAIM_ACCEPTED = "claim_accepted"  # number, invoice, note (accepted, nothing credited)
    CLAIM_REJECTED = "claim_rejected"  # number, invoice, reason
    TOP_UP_CONFIRMED = "top_up_confirmed"  # reference, amount
    TOP_UP_REJECTED = "top_up_rejected"  # reference, amount, reason
    ORDER_PAYMENT_CONFIRMED = "order_payment_confirmed"  # number, amount
    ORDER_PAYMENT_REJECTED = "order_payment_rejected"  # number, amount, reason


# Each code's title and body, in English, marked for the catalogue.
WORDING: dict[NoticeCode, tuple[str, str]] = {
    NoticeCode.ORDER_PLACED: (N_("Order {number} placed"),
                              N_("{total}, {points} {points_label}")),
    NoticeCode.ORDER_CANCELLED: (N_("Order {number} cancelled"),
                                 N_("{refund} returned to the balance.")),
    NoticeCode.ORDER_CANCELLED_UNPAID: (N_("Order {number} cancelled"),
                                        N_("Nothing was charged.")),
    NoticeCode.DELIVERY_STOP_REQUESTED: (
        N_("Delivery stop requested for order {number}"),
        N_("The parcel goes back to the service centre; the amount is credited to the "
           "balance when it arrives.")),
    NoticeCode.ORDER_SHIPPED: (
        N_("Order {number} shipped"),
        N_("Order {number} is on its way. The tracking number is in the order.")),
    NoticeCode.CLAIM_RECEIVED: (N_("Claim {number} received"),
                                N_("Invoice {invoice}: the decision comes by {day}.")),
    NoticeCode.CLAIM_CREDITED: (
        N_("Claim {number} accepted"),
        N_("Invoice {invoice}: Accepted: {credit} credited to your balance.")),
    NoticeCode.CLAIM_ACCEPTED: (N_("Claim {number} accepted"),
                                N_("Invoice {invoice}: Accepted, without a credit.")),
    NoticeCode.CLAIM_REJECTED: (N_("Claim {number} rejected"),
                                N_("Invoice {invoice}: Rejected: {reason}")),
    NoticeCode.TOP_UP_CONFIRMED: (N_("Top-up {reference} confirmed"),
                                  N_("{amount} credited to your balance.")),
    NoticeCode.TOP_UP_REJECTED: (N_("Top-up {reference} not confirmed"),
                                 N_("{amount} was not received: {reason}")),
    NoticeCode.ORDER_PAYMENT_CONFIRMED: (
        N_("Payment for order {number} confirmed"),
        N_("{amount} received; the order's points are yours.")),
    NoticeCode.ORDER_PAYMENT_REJECTED: (N_("Payment for order {number} not confirmed"),
                                        N_("{amount} was not received: {reason}")),
}

MONEY_PARAMS = frozenset({"total", "refund", "credit", "amount"})
DAY_PARAMS = frozenset({"day"})
POINTS_PARAMS = frozenset({"points"})

Render = Callable[[str, Mapping[str, object]], str]


@dataclass(frozen=True)
class Numbers:
    """How amounts and points are written into a notice: as documents write them, unless
    the one showing it writes them its own way (a terminal that shows ASCII alone)."""

    money: Callable[[Money, str], str] = format_money
    points: Callable[[Decimal, str], str] = format_points


def money_param(money: Money) -> str:
    """An amount as a notice keeps it: ``"1234.50 RUB"``."""
    return f"{money.amount} {money.currency}"


def money_from_param(text: str) -> Money:
    amount, currency = text.split(" ")
    return Money(Decimal(amount), currency)


def known_code(code: str | None) -> NoticeCode | None:
    """The code as this version knows it; None for none, or one a newer version wrote."""
    try:
        return NoticeCode(code) if code else None
    except ValueError:
        return None


def notice_values(params: Mapping[str, str], locale: str,
                  numbers: Numbers = Numbers()) -> dict[str, str]:
    """The parameters as a reader in ``locale`` reads them: amounts, days and points in
    the locale's way (written by ``numbers``)."""
    values: dict[str, str] = {}
    for key, value in params.items():
        if key in MONEY_PARAMS:
            values[key] = numbers.money(money_from_param(value), locale)
        elif key in DAY_PARAMS:
            values[key] = format_day(date.fromisoformat(value), locale)
        elif key in POINTS_PARAMS:
            values[key] = numbers.points(Decimal(value), locale)
        else:
            values[key] = value
    return values


def _in_english(template: str, values: Mapping[str, object]) -> str:
    return template.format_map(values)


def word_notice(code: NoticeCode, params: Mapping[str, str], locale: str,
                render: Render = _in_english, numbers: Numbers = Numbers()) -> tuple[str, str]:
    """The notice's title and body: its templates filled by ``render`` (in English without
    one), its values formatted in ``locale`` by ``numbers``."""
    title, body = WORDING[code]
    values = notice_values(params, locale, numbers)
    worded = render(body, values)
    note = params.get("note")
    return render(title, values), f"{worded} {note}" if note else worded


# A claim's decision, worded from its status and credit; the service's note follows it.
DECISION_CREDITED = N_("Accepted: {credit} credited to your balance.")
DECISION_ACCEPTED = N_("Accepted, without a credit.")
DECISION_REJECTED = N_("Rejected: {reason}")


def word_decision(accepted: bool, credit: Money | None, note: str, locale: str,
                  render: Render = _in_english, numbers: Numbers = Numbers()) -> str:
    """A decided claim's decision as its member reads it: accepted with ``credit`` (or
    nothing credited) and the service's ``note``, or rejected for the reason ``note``."""
    if not accepted:
        return render(DECISION_REJECTED, {"reason": note})
    if credit:
        text = render(DECISION_CREDITED, {"credit": numbers.money(credit, locale)})
    else:
        text = render(DECISION_ACCEPTED, {})
    return f"{text} {note}" if note else text
