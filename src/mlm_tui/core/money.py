"""Money: an exact amount in one currency. Never a float.

Formatting follows the company's locale through Babel (``ru``: ``1 234,50 ₽``,
``de``: ``1.234,50 €``). Babel is imported only when something is formatted,
so it stays off the path to the first frame.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from mlm_tui.core.rules.typed_numbers import ascii_digits

# Minor units per currency; every amount is rounded to these.
_EXPONENT = {"RUB": 2, "EUR": 2, "USD": 2, "KZT": 2, "UAH": 2, "PLN": 2, "CHF": 2, "JPY": 0}


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

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> Money:
        return cls(Decimal(minor).scaleb(-currency_exponent(currency)), currency)

    @property
    def minor(self) -> int:
        """The amount in minor units (kopecks, cents), rounded half up."""
        return int(self.rounded().amount.scaleb(currency_exponent(self.currency)))

    def rounded(self) -> Money:
        quantum = Decimal(1).scaleb(-currency_exponent(self.currency))
        return Money(self.amount.quantize(quantum, rounding=ROUND_HALF_UP), self.currency)

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
def _babel_locale(locale: str):
    from babel import Locale

    return Locale.parse(locale.replace("-", "_"))


def format_money(money: Money, locale: str = "en") -> str:
    """``Money(1234.5, RUB)`` -> ``1 234,50 ₽`` in ``ru``; ``1.234,50 €`` in ``de``."""
    return _formatted_amount(money.rounded().amount, money.currency, locale)


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


_PLAIN_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def parse_amount(text: str) -> Decimal:
    """Read an amount typed by a person: ``1 234,50``, ``1234.5``, ``1.234,50``."""
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if "," in cleaned and "." in cleaned:
        # The separator that comes last is the decimal one.
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    cleaned = ascii_digits(cleaned)
    # Digits and one decimal point only: "1e3" or "-5" is a typo, not 1000 or a refund.
    if not _PLAIN_AMOUNT.fullmatch(cleaned):
        raise ValueError(f"not an amount: {text!r}")
    try:
        value = Decimal(cleaned)
    except ArithmeticError as exc:  # decimal.InvalidOperation
        raise ValueError(f"not an amount: {text!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not an amount: {text!r}")
    return value
