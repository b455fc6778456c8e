"""Money: an exact amount in one currency. Never a float.

Formatting follows the company's locale through Babel (``ru``: ``1 234,50 ₽``,
``de``: ``1.234,50 €``). Babel is imported only when something is formatted,
so it stays off the path to the first frame.

What is formatted here goes into documents (invoice PDFs, e-mails, notices) and always
reads as the locale writes it; a terminal that shows ASCII alone gets its amounts from
the interface's own formatting (``mlm_tui.formats``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

from mlm_tui.core.rules.typed_numbers import ascii_digits

# Minor units per currency; every amount is rounded to these.
_EXPONENT = {"RUB": 2, "EUR": 2, "USD": 2, "KZT": 2, "UAH": 2, "PLN": 2, "CHF": 2, "JPY": 0}


_SPACES = re.compile(r"\s+")
# Signs and exponents have no place in an amount a person types into a form.
_NOT_IN_AN_AMOUNT = re.compile(r"[+\-eE]")


def currency_exponent(currency: str) -> int:
    return _EXPONENT.get(currency, 2)


@dataclass(frozen=True, slots=True, order=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            # Accept int and str for convenience; reject float, which cannot be exact.
            if isinstance(self.amount, float):
                raise TypeError("Money never takes a float; pass a Decimal or a string")
            object.__setattr__(self, "amount", Decimal(self.amount))

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @property
    def minor(self) -> int:
        """The amount in minor units (kopecks, cents), rounded half up."""
        return int(self.rounded().amount.scaleb(currency_exponent(self.currency)))

    def rounded(self) -> Money:
        places = currency_exponent(self.currency)
        quantum = Decimal(1).scaleb(-places)
        try:
            amount = self.amount.quantize(quantum, rounding=ROUND_HALF_UP)
        except InvalidOperation:
            # More digits than the default context's 28 (a typo like 1e30): nothing to
            # round when it has no fraction; otherwise round as wide as the amount is.
            exponent = self.amount.as_tuple().exponent  # a letter for NaN and infinity
            if not isinstance(exponent, int):
                raise
            if exponent >= -places:
                return self
            wide = Context(prec=self.amount.adjusted() + places + 2)
            amount = self.amount.quantize(quantum, rounding=ROUND_HALF_UP, context=wide)
        return Money(amount, self.currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, float):
            raise TypeError("Money never multiplies by a float")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __bool__(self) -> bool:
        return bool(self.amount)

    def is_negative(self) -> bool:
        return self.amount < 0

    def __str__(self) -> str:
        return format_money(self)


@lru_cache(maxsize=8)
def _babel_locale(locale: str) -> Locale:
    from babel import Locale

    return Locale.parse(locale.replace("-", "_"))


def format_money(money: Money, locale: str = "en") -> str:
    """``Money(1234.5, RUB)`` -> ``1 234,50 ₽`` in ``ru``; ``1.234,50 €`` in ``de``."""
    return _formatted_amount(money.rounded().amount, money.currency, locale)


@dataclass(frozen=True, slots=True)
class Points:
    """Points with the company's name for them (``BB``, ``PV``), as a message names them:
    the reader writes the number as they write numbers (``12,5 BB``, ``12.5 PV``)."""

    value: Decimal
    label: str


def format_points_with_label(points: Points, locale: str = "en") -> str:
    return f"{format_points(points.value, locale)} {points.label}"


def format_points(points: Decimal, locale: str = "en") -> str:
    """Points with the locale's separators, without trailing zeros (``12,5`` in ``ru``)."""
    return _formatted_points(points.normalize() if points else Decimal(0), locale)


# Babel takes a tenth of a millisecond per amount; a table of fifty products shows a
# hundred, mostly the same few prices. The same amount always reads the same.
@lru_cache(maxsize=4096)
def _formatted_amount(amount: Decimal, currency: str, locale: str) -> str:
    from babel.numbers import format_currency

    return format_currency(amount, currency, locale=_babel_locale(locale))


@lru_cache(maxsize=4096)
def _formatted_points(points: Decimal, locale: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(points, locale=_babel_locale(locale))


def currency_symbol(currency: str, locale: str) -> str:
    """The sign ``locale`` writes ``currency`` with: ``₽`` for RUB in ``ru``."""
    from babel.numbers import get_currency_symbol

    return get_currency_symbol(currency, locale=_babel_locale(locale))


def parse_amount(text: str, locale: str) -> Decimal:
    """Read an amount a person typed, as numbers are written in ``locale`` (Babel):
    ``1 234,50`` in ``ru``, ``1.234,50`` in ``de``, ``1,234.50`` in ``en``.

    Separators that do not fit the locale are refused rather than guessed at: ``30.00``
    is no amount in ``de`` (thirty, or three thousand?). ``ValueError`` for anything that
    is not a finite number.
    """
    from babel.numbers import NumberFormatError, get_group_symbol, parse_decimal

    babel_locale = _babel_locale(locale)
    typed = ascii_digits(text.strip())  # ２ and ٣ are the digits they are
    # Digits and separators only: "1e3" or "-5" is a typo, not 1000 or a refund.
    if _NOT_IN_AN_AMOUNT.search(typed):
        raise ValueError(f"not an amount: {text!r}")
    group = get_group_symbol(babel_locale)
    if group.isspace():  # a no-break space in print; people type a plain one
        typed = _SPACES.sub(group, typed)
    try:
        value = parse_decimal(typed, babel_locale, strict=True)
    except NumberFormatError as exc:
        raise ValueError(f"not an amount: {text!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not an amount: {text!r}")
    return value


def amount_example(locale: str) -> str:
    """An amount as ``locale`` writes it, for a hint: ``1 500,50`` in ``ru``."""
    from babel.numbers import format_decimal

    written = format_decimal(Decimal("1500.50"), format="#,##0.00", locale=_babel_locale(locale))
    return _SPACES.sub(" ", written)  # the hint reads the same typed with a plain space
