"""The locale amounts, numbers and dates are shown and typed in, and month names.

The company's own locale while the interface speaks the company's language, or English
(the source language, which brings no conventions of its own: a Russian company's
amounts stay ``1 234,50 ₽`` and its dates ``20.11.2026``); in any other language, that
language's, so a German interface writes and reads ``1.234,50 ₽``. Month names are
always in the interface's language (``November 2026`` in English).

Amounts and points on screen are formatted here, not by the core directly: a terminal
whose locale is not UTF-8 (the app's ``ascii_only``, see ``mlm_tui.glyphs``) gets them
in ASCII alone, with the currency's code and plain spaces (``1 234,50 RUB``), formatted
so rather than replaced later, so a table makes room for them. Only the interface
does: an invoice PDF or e-mail made in the same process still reads ``1 234,50 ₽``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from mlm_tui.i18n import SOURCE_LANGUAGE, current_language, language_of

if TYPE_CHECKING:
    from mlm_tui.core.money import Money

_SPACES = re.compile(r"\s+")


def shown_locale(company_locale: str) -> str:
    """The locale to format and to read amounts, numbers and dates with."""
    language = current_language()
    if language in (SOURCE_LANGUAGE, language_of(company_locale)):
        return company_locale
    return language


def month_name(month: str, company_locale: str) -> str:
    """``2026-11`` as the interface names it: ``ноябрь 2026``, ``November 2026``."""
    from mlm_tui.core.dates import format_month

    language = current_language()
    same = language == language_of(company_locale)
    return format_month(month, company_locale if same else language)


def format_money(money: Money, locale: str = "en") -> str:
    """An amount as the screen shows it: ``1 234,50 ₽``, or ``1 234,50 RUB`` in ASCII."""
    from mlm_tui.core import money as core

    written = core.format_money(money, locale)
    if written.isascii() or not _terminal_shows_ascii_alone():
        return written
    return ascii_amount(written, money.currency, locale)


def format_points(points: Decimal, locale: str = "en") -> str:
    """Points as the screen shows them: ``12 345,5``, with plain spaces in ASCII."""
    from mlm_tui.core import money as core

    written = core.format_points(points, locale)
    if written.isascii() or not _terminal_shows_ascii_alone():
        return written
    return _plain(written)


@lru_cache(maxsize=1024)
def ascii_amount(written: str, currency: str, locale: str) -> str:
    """``written`` (``1 234,50 ₽``, as ``locale`` writes ``currency``) in ASCII alone:
    the sign becomes the currency's code (``1 234,50 RUB``)."""
    from mlm_tui.core.money import currency_symbol

    symbol = currency_symbol(currency, locale)
    if not symbol.isascii():
        written = written.replace(symbol, currency)
    return _plain(written)


def _plain(written: str) -> str:
    # No-break and narrow no-break spaces between the digits, a minus sign before them.
    return _SPACES.sub(" ", written).replace("\u2212", "-")


def _terminal_shows_ascii_alone() -> bool:
    """Whether the app this code draws for writes to a terminal that shows ASCII alone.

    Asked of the running app, not of a switch in the process, so that nothing else made
    here (a document, another app in a test) is touched by one terminal's limits.
    """
    from textual._context import NoActiveAppError, active_app

    app = active_app.get(None)
    if app is None:  # a worker thread: the app of the widget that started it
        from textual.worker import NoActiveWorker, get_current_worker

        try:
            app = get_current_worker().node.app
        except (NoActiveWorker, NoActiveAppError):
            return False
    return bool(getattr(app, "ascii_only", False))
