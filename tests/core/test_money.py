from __future__ import annotations

from decimal import Decimal

import pytest

from mlm_tui.core.money import Money, amount_example, format_money, format_points, parse_amount


def test_russian_and_german_money_look_as_their_readers_expect() -> None:
    rub = format_money(Money(Decimal("1234.5"), "RUB"), "ru")
    eur = format_money(Money(Decimal("1234.5"), "EUR"), "de")
    # Babel uses no-break spaces; a reader sees "1 234,50 ₽" and "1.234,50 €".
    assert rub.replace("\u00a0", " ").replace("\u202f", " ") == "1 234,50 ₽"
    assert eur.replace("\u00a0", " ") == "1.234,50 €"


def test_points_use_the_locale_separator() -> None:
    assert format_points(Decimal("12.50"), "ru") == "12,5"
    assert format_points(Decimal("1500"), "de") == "1.500"


def test_money_refuses_floats_and_mixed_currencies() -> None:
    with pytest.raises(TypeError):
        Money(1.5, "EUR")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Money(Decimal(1), "EUR") + Money(Decimal(1), "RUB")


def test_rounding_is_half_up_to_minor_units() -> None:
    assert Money(Decimal("0.125"), "EUR").rounded().amount == Decimal("0.13")
    assert Money(Decimal("10.005"), "RUB").minor == 1001


@pytest.mark.parametrize(
    ("typed", "locale", "value"),
    [("1 234,50", "ru", "1234.50"), ("1\u00a0234,50", "ru", "1234.50"), ("1234,5", "ru", "1234.5"),
     ("1.234,50", "de", "1234.50"), ("1234,5", "de", "1234.5"), ("1,234.50", "en", "1234.50"),
     ("5", "de", "5"), ("1.500", "de", "1500"),
     ("１５００", "ru", "1500"), ("٣٠٠,٥", "ru", "300.5")],  # fifteen hundred euros, not 1,50 €
)
def test_amounts_are_read_as_the_locale_writes_them(typed: str, locale: str, value: str) -> None:
    assert parse_amount(typed, locale) == Decimal(value)


@pytest.mark.parametrize(
    ("typed", "locale"),
    # "30.00" and "1234.5" could be thirty or three thousand to a German reader: refused.
    [("", "ru"), ("abc", "ru"), ("1,2,3,4x", "ru"), ("inf", "ru"), ("NaN", "de"),
     ("30.00", "de"), ("1234.5", "de"), ("1 234,50", "de"), ("1.234,50", "ru"),
     ("1e3", "ru"), ("-500", "ru"), ("+5", "de")],
)
def test_nonsense_and_ambiguous_amounts_are_refused(typed: str, locale: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(typed, locale)


def test_the_hint_shows_an_amount_as_the_locale_writes_it() -> None:
    assert (amount_example("ru"), amount_example("de")) == ("1 500,50", "1.500,50")
