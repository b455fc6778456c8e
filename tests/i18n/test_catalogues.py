"""The Russian and German catalogues hold every text of the source, translated, with the
source's placeholders, and the committed .mo files are what the .po files compile to."""

from __future__ import annotations

import gettext
import re
import string

import pytest
from babel.messages.catalog import Catalog, Message

from mlm_tui import i18n_build

LANGUAGES = i18n_build.LANGUAGES
# %s, %d, %(name)s: the placeholders %-formatting fills (a "% o" in "-5% on" is none).
PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0+]*\d*(?:\.\d+)?[sdifrx]")


def placeholders(text: str) -> list[str]:
    """``{name}``, ``{day:02d}`` and ``%s``-style placeholders of ``text``, sorted."""
    found = [f"{{{name}{':' + spec if spec else ''}}}"
             for _literal, name, spec, _conversion in string.Formatter().parse(text)
             if name is not None]
    return sorted(found + PERCENT.findall(text))


@pytest.fixture(scope="module")
def source() -> Catalog:
    return i18n_build.extract()


@pytest.fixture(scope="module", params=LANGUAGES)
def catalogue(request: pytest.FixtureRequest) -> Catalog:
    return i18n_build.read_po(request.param)


def _messages(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def test_the_source_has_texts_to_translate(source: Catalog) -> None:
    ids = {message.id if isinstance(message.id, str) else message.id[0]
           for message in _messages(source)}
    # Bindings, destinations and plurals are all found (N_, _ and ngettext).
    assert {"Forgot password", "Parcels", "{count} order", "Log in"} <= ids
    assert len(ids) > 700


def test_every_text_of_the_source_is_translated(source: Catalog, catalogue: Catalog) -> None:
    untranslated = []
    for message in _messages(source):
        entry = catalogue.get(message.id)
        forms = () if entry is None else (
            entry.string if isinstance(entry.string, tuple) else (entry.string,))
        if (entry is None or entry.fuzzy or not forms or not all(forms)
                or (message.pluralizable and len(forms) != catalogue.num_plurals)):
            untranslated.append(message.id)
    assert untranslated == [], f"{catalogue.locale}: missing, empty or fuzzy"


def _only_for_one(catalogue: Catalog, form: int) -> bool:
    """Whether the plural form ``form`` of the language is used for n = 1 alone (German's
    singular); Russian's first form also serves 21, 31, … so it must show the number."""
    choose = gettext.c2py(catalogue.plural_expr)
    used = {n for n in range(200) if choose(n) == form}
    return used == {1}


def test_translations_keep_the_placeholders(source: Catalog, catalogue: Catalog) -> None:
    wrong = []
    for message in _messages(source):
        entry = catalogue.get(message.id)
        if entry is None or not entry.string:
            continue
        if isinstance(message.id, str):
            if placeholders(entry.string) != placeholders(message.id):
                wrong.append((message.id, entry.string))
            continue
        singular, plural = message.id[0], message.id[1]
        for form, text in enumerate(entry.string):
            wanted = singular if _only_for_one(catalogue, form) else plural
            if placeholders(text) != placeholders(wanted):
                wrong.append((wanted, text))
    assert wrong == [], f"{catalogue.locale}: placeholders differ from the source"


def test_the_placeholder_check_catches_a_changed_name() -> None:
    assert placeholders("Order {number} of {day:02d}") == ["{day:02d}", "{number}"]
    assert placeholders("Заказ {nummer}") != placeholders("Order {number}")
    assert placeholders("%(n)s left, %d of %s") == ["%(n)s", "%d", "%s"]
    assert placeholders("−{percent}% on {code}") == ["{code}", "{percent}"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_is_the_compiled_po(language: str) -> None:
    assert i18n_build.mo_path(language).read_bytes() == i18n_build.compiled(language), (
        "run: python -m mlm_tui.i18n_build compile")


def test_russian_plurals_follow_one_few_many() -> None:
    from mlm_tui import i18n

    try:
        i18n.install("ru")
        shown = [i18n.ngettext("{count} order", "{count} orders", n).format(count=n)
                 for n in (1, 2, 5, 11, 21, 22, 25, 111)]
    finally:
        i18n.install("en")
    assert shown == ["1 заказ", "2 заказа", "5 заказов", "11 заказов", "21 заказ",
                     "22 заказа", "25 заказов", "111 заказов"]
