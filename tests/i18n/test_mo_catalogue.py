"""The catalogue read as it is asked answers every text and plural form as gettext's own
reader of the whole file does."""

from __future__ import annotations

import gettext

import pytest

from mlm_tui.i18n import translation_for
from mlm_tui.i18n_build import LANGUAGES, po_path
from mlm_tui.mo_catalogue import LazyCatalogue


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_reads_as_gettext_reads_it(language):
    mo = po_path(language).with_suffix(".mo")
    with open(mo, "rb") as fh:
        whole = gettext.GNUTranslations(fh)
    lazy = translation_for(language)
    assert isinstance(lazy, LazyCatalogue)
    singles = [key for key in whole._catalog if isinstance(key, str) and key]  # type: ignore[attr-defined]
    assert len(singles) > 1000
    assert [lazy.gettext(key) for key in singles] == [whole.gettext(key) for key in singles]
    from mlm_tui.i18n_build import read_po

    plurals = [m.id for m in read_po(language) if m.pluralizable and m.string and all(m.string)]
    assert plurals
    for singular, plural in plurals:
        for n in (0, 1, 2, 3, 5, 11, 21, 22, 25, 101, 111):
            assert lazy.ngettext(singular, plural, n) == whole.ngettext(singular, plural, n)


def test_a_text_without_translation_reads_as_written():
    lazy = translation_for("ru")
    assert lazy.gettext("no such text, surely") == "no such text, surely"
    assert lazy.ngettext("{n} thing", "{n} things", 1) == "{n} thing"
    assert lazy.ngettext("{n} thing", "{n} things", 5) == "{n} things"
