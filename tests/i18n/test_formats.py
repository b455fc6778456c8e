"""Amounts, numbers, dates and month names follow the interface language: the company's
conventions in its own language and in English, the language's own in another one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mlm_tui.core.dates import format_day
from mlm_tui.core.money import Money, format_money, parse_amount
from mlm_tui.formats import month_name, shown_locale
from mlm_tui.i18n import install


@pytest.mark.parametrize(("language", "company", "amount", "month"), [
    ("ru", "ru", "1 234,50 ₽", "ноябрь 2026"),
    ("en", "ru", "1 234,50 ₽", "November 2026"),
    ("de", "ru", "1.234,50 RUB", "November 2026"),  # CLDR: German writes RUB
    ("ru", "de", "1 234,50 €", "ноябрь 2026"),
    ("de", "de", "1.234,50 €", "November 2026"),
    ("en", "de", "1.234,50 €", "November 2026"),
])
def test_amounts_and_months_as_the_interface_writes_them(language, company, amount, month):
    install(language)
    currency = "RUB" if company == "ru" else "EUR"
    shown = format_money(Money(Decimal("1234.50"), currency), shown_locale(company))
    assert shown.replace("\xa0", " ").replace("\u202f", " ") == amount
    assert month_name("2026-11", company) == month


def test_german_months_are_german():
    install("de")
    assert month_name("2026-03", "ru") == "März 2026"


def test_a_german_interface_reads_a_german_amount():
    install("de")
    locale = shown_locale("ru")
    assert parse_amount("1.234,50", locale) == Decimal("1234.50")
    assert format_day(__import__("datetime").date(2026, 11, 20), locale) == "20.11.2026"
    with pytest.raises(ValueError):
        parse_amount("1 234.50", locale)  # not how German writes it: refused, not guessed
