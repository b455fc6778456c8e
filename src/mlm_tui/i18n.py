"""Every user-visible string goes through ``_()`` (gettext).

English is the source language. Catalogues for Russian and German live in
``mlm_tui/locale/<lang>/LC_MESSAGES/mlm_tui.mo``; the language comes from
``MLM_TUI_LANG``, else ``LANGUAGE``/``LC_ALL``/``LC_MESSAGES``/``LANG``.
"""

from __future__ import annotations

import gettext as _gettext
import os
from pathlib import Path

DOMAIN = "mlm_tui"
LOCALE_DIR = Path(__file__).parent / "locale"

_translation: _gettext.NullTranslations = _gettext.NullTranslations()


def install(language: str | None = None) -> str:
    """Choose the interface language; returns the one in effect ("en" when none matched)."""
    global _translation
    wanted = language or os.environ.get("MLM_TUI_LANG")
    languages = [wanted] if wanted else None
    _translation = _gettext.translation(DOMAIN, LOCALE_DIR, languages=languages, fallback=True)
    info = _translation.info()
    return info.get("language", "en") if info else "en"


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a text for the catalogue without translating it now: the one who shows it
    translates it then, in the language of the person reading."""
    return message
