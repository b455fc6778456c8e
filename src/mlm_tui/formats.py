"""The locale amounts, numbers and dates are shown and typed in, and month names.

The company's own locale while the interface speaks the company's language, or English
(the source language, which brings no conventions of its own: a Russian company's
amounts stay ``1 234,50 ₽`` and its dates ``20.11.2026``); in any other language, that
language's, so a German interface writes and reads ``1.234,50 ₽``. Month names are
always in the interface's language (``November 2026`` in English).
"""

from __future__ import annotations

from mlm_tui.i18n import SOURCE_LANGUAGE, current_language, language_of


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
