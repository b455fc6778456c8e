"""Every user-visible string goes through ``_()`` (gettext).

English is the source language. Catalogues for Russian and German live in
``mlm_tui/locale/<lang>/LC_MESSAGES/mlm_tui.mo`` (``python -m mlm_tui.i18n_build`` makes
them). Which language: ``--lang``, else ``MLM_TUI_LANG``, else ``language`` in
config.toml (those three are ``Settings.language``), else the locale (``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else the company's default language.

Texts declared before the language is known (key bindings, destinations, enum names) are
marked with ``N_`` and translated with ``_()`` where they are shown.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

# One marker for texts translated where they are shown, the core's, for the screens too.
from mlm_tui.core.errors import N_ as N_

DOMAIN = "mlm_tui"
LOCALE_DIR = Path(__file__).parent / "locale"
SOURCE_LANGUAGE = "en"
# Each language by its own name, as the one looking for it knows it.
LANGUAGES: dict[str, str] = {"ru": "Русский", "de": "Deutsch", "en": "English"}
# Where the locale names the language, most telling first (as gettext reads them).
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = SOURCE_LANGUAGE
# The company's locale once the store or server told it: the conventions days are written
# in while the interface speaks the company's language or English (``formats``).
_company_locale: str | None = None


def language_of(value: str | None) -> str | None:
    """The interface language a setting or a locale names: ``ru_RU.UTF-8`` -> ``ru``,
    ``de-AT`` -> ``de``; None for ``C``/``POSIX``, nothing, or a language without
    catalogue."""
    if not value:
        return None
    code = value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else None


def language_of_locale(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the locale variables name, or None when they name none we have.

    ``LANGUAGE`` is a list (``de:en``): its first language with a catalogue counts.
    """
    env = os.environ if environ is None else environ
    for variable in LOCALE_VARIABLES:
        value = env.get(variable, "")
        if not value:
            continue
        for part in value.split(":") if variable == "LANGUAGE" else [value]:
            language = language_of(part)
            if language is not None:
                return language
    return None


def choose_language(chosen: str | None, environ: Mapping[str, str] | None = None,
                    ) -> str | None:
    """``chosen`` (``Settings.language``: --lang, MLM_TUI_LANG or config.toml), else the
    locale's language; None leaves it to the company's default once the store is open."""
    return language_of(chosen) or language_of_locale(environ)


def install(language: str | None = None) -> str:
    """Translate into ``language`` from now on; returns the language in effect
    (English when there is no catalogue for the one asked)."""
    global _translation, _language
    wanted = language_of(language) or SOURCE_LANGUAGE
    _translation = translation_for(wanted)  # read once, however often it is installed
    if type(_translation) is _gettext.NullTranslations:
        wanted = SOURCE_LANGUAGE  # English, or the catalogue is missing: say what is shown
    _language = wanted
    return wanted


@lru_cache(maxsize=8)
def translation_for(language: str | None) -> _gettext.NullTranslations:
    """The catalogue of ``language`` (English when there is none), whatever the interface
    speaks: what goes to someone else (an e-mail, an SMS, a PDF invoice) is written in
    the recipient's language."""
    wanted = language_of(language)
    if wanted is None or wanted == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    found = _gettext.find(DOMAIN, LOCALE_DIR, languages=[wanted])
    if found is None:
        return _gettext.NullTranslations()
    from mlm_tui.mo_catalogue import LazyCatalogue

    return LazyCatalogue(Path(found))  # read as it is asked: a dozen texts for a frame


def recipient_language(company_locale: str, member_language: str | None = None) -> str:
    """The language to write to a member in: their own when known, else the company's."""
    return language_of(member_language) or language_of(company_locale) or SOURCE_LANGUAGE


def remember_company_locale(locale: str | None) -> None:
    """The company's locale, as the store or server gives it (``CompanyProfile.locale``)."""
    global _company_locale
    _company_locale = locale


def reading_locale() -> str:
    """The locale the reader reads days and amounts in now (``formats.shown_locale``); the
    interface's language's own before the company is known."""
    if _company_locale is None:
        return _language
    from mlm_tui.formats import shown_locale

    return shown_locale(_company_locale)


def current_language() -> str:
    """The language texts are translated into now ("en", "ru", "de")."""
    return _language


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def render_message(template: str | tuple[str, str], params: Mapping[str, object]) -> str:
    """A domain error's template in the reader's language, filled with its params (a
    template with a plural takes its form from ``params["n"]``)."""
    if isinstance(template, tuple):
        count = params.get("n", 1)
        text = _translation.ngettext(*template, count if isinstance(count, int) else 1)
        source = template[0] if count == 1 else template[1]
    else:
        text, source = _translation.gettext(template), template
    if not params:
        return text
    params = _as_read(params)
    try:
        return text.format_map(params)
    except (KeyError, IndexError, ValueError):  # a catalogue that lost a placeholder
        return source.format_map(params)


def _as_read(params: Mapping[str, object]) -> Mapping[str, object]:
    """The params with each day, amount and points written as the reader writes them, and
    an order's status as the reader's word for it."""
    from datetime import date

    from mlm_tui.core.models import OrderStatus
    from mlm_tui.core.money import Money, Points

    if not any(isinstance(value, (date, Money, Points, OrderStatus))
               for value in params.values()):
        return params
    from mlm_tui.core.dates import format_day
    from mlm_tui.core.money import format_money, format_points_with_label

    locale = reading_locale()

    def as_read(value: object) -> object:
        if isinstance(value, date):
            return format_day(value, locale)
        if isinstance(value, Money):
            return format_money(value, locale)
        if isinstance(value, Points):
            return format_points_with_label(value, locale)
        if isinstance(value, OrderStatus):
            from mlm_tui.status_words import order_status_word

            return order_status_word(value)
        return value

    return {key: as_read(value) for key, value in params.items()}


def _render_domain_errors() -> None:
    from mlm_tui.core import errors

    errors.render_messages_with(render_message)


_render_domain_errors()
