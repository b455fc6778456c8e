from __future__ import annotations

from decimal import Decimal

import pytest

from mlm_tui.core.money import Money, format_money, format_points, parse_amount


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
    ("typed", "value"),
    [("1 234,50", "1234.50"), ("1234.5", "1234.5"), ("1.234,50", "1234.50"), ("5", "5"),
     ("１５００", "1500"), ("٣٠٠,٥", "300.5")],
)
def test_amounts_typed_by_people_are_read(typed: str, value: str) -> None:
    assert parse_amount(typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["", "abc", "1,2,3,4x", "inf", "1e3", "-500", "+5", "NaN"])
def test_nonsense_amounts_are_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(typed)
