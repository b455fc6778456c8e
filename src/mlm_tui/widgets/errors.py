"""A domain error as a sentence for the screen, in the interface language."""

from __future__ import annotations

from mlm_tui.core.errors import DomainError
from mlm_tui.i18n import _


def error_text(error: DomainError) -> str:
    """The backend's message, translated when the catalogue knows it, capitalised."""
    text = _(error.message)
    return text[:1].upper() + text[1:]
