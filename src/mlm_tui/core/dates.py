"""Dates and months in the company's locale (Babel): ``20.11.2026``, ``ноябрь 2026``."""

from __future__ import annotations

from datetime import UTC, date, datetime

# Numeric day.month.year where people write it so; elsewhere Babel's medium form
# ("Nov 20, 2026"), which no reader can take for another day.
_NUMERIC = {"ru": "dd.MM.yyyy", "de": "dd.MM.yyyy"}


def utc_now() -> datetime:
    """Now, in naive UTC to the second: how the store keeps times and the backend reports
    them (``Throttled.retry_at``, code expiry)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def format_day(day: date | datetime | None, locale: str = "en") -> str:
    if day is None:
        return ""
    from babel.dates import format_date

    plain = day.date() if isinstance(day, datetime) else day
    return format_date(plain, format=_NUMERIC.get(locale[:2], "medium"), locale=locale)


def format_month(month: str, locale: str = "en") -> str:
    """``2026-11`` -> ``November 2026`` / ``ноябрь 2026``."""
    from babel.dates import format_date

    year, number = (int(part) for part in month.split("-"))
    return format_date(date(year, number, 1), format="LLLL yyyy", locale=locale)
