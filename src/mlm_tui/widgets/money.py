"""Money and points as a person reads them: in the company's locale, points labelled.

Every screen formats amounts through these, so "1 234,50 ₽" and "12,5 BB" look the
same everywhere. Babel is imported on the first call (see ``core.money``); the app
warms it up in the worker that opens the backend, off the first frame.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from rich.text import Text

from mlm_tui.core.money import Money
from mlm_tui.display import data_text
from mlm_tui.formats import format_money, format_points, shown_locale

if TYPE_CHECKING:  # the models module is large; the login screen needs none of it
    from mlm_tui.core.models import CompanyProfile


def money_text(money: Money, company: CompanyProfile | None) -> str:
    return format_money(money, shown_locale(company.locale) if company else "en")


def points_text(points: Decimal, company: CompanyProfile | None) -> str:
    """``12,5 BB``: the number with the company's points label."""
    if company is None:
        return format_points(points)
    return f"{format_points(points, shown_locale(company.locale))} {company.points_label}"


def points_number(points: Decimal, company: CompanyProfile | None) -> str:
    """The number alone, for a column already headed with the label."""
    return format_points(points, shown_locale(company.locale) if company else "en")


def right(text: str, style: str = "") -> Text:
    """A table cell aligned to the right, as amounts are (with the company's points label,
    which is data)."""
    return data_text(text, style=style, justify="right", no_wrap=True)
