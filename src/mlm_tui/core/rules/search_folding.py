"""How text is compared when someone searches: one fold, used both to build the search
index and to read what was typed, so the two always meet.

``fold`` brings text to NFC (a decomposed "чай" is the same word as a composed one),
casefolds it (``FUSS`` and ``Fuß`` are both ``fuss``), writes ё as е (people type е),
dotless ı and a few letters without a decomposition (ł, ø, đ) as their base letter
("yilmaz" finds "Yılmaz"), and drops accents from Latin and Greek letters ("ol" finds
"Öl"). Cyrillic letters keep their marks: й and ї are letters of their own, not и and і
with an accent; a stress mark over a Cyrillic vowel goes.

German writes ä, ö, ü as ae, oe, ue where umlauts are missing ("Oel", "Mueller"), so a
word has a second spelling (``german_spelling``). The index keeps both spellings of such a
word and a query word with an umlaut looks for both (``search_terms``): "oel", "öl" and
"ol" all find "Öl", and "müller" finds "Mueller".
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")

# Letters a search treats as another letter; applied after casefold.
_SAME_LETTER = {"ё": "е", "ı": "i", "ł": "l", "ø": "o", "đ": "d"}
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_UMLAUTS = frozenset("äöü")

# Accents that may sit on any Latin, Greek or Cyrillic letter. Marks of other scripts
# (Devanagari vowel signs, Arabic hamza) are part of the letter and stay.
_ACCENTS = ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0xFE20, 0xFE2F))
_CYRILLIC = ((0x0400, 0x052F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F))


def _within(ch: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    point = ord(ch)
    return any(low <= point <= high for low, high in ranges)


class _Letters(dict[int, str]):
    """A ``str.translate`` table filled in as characters are first met: the fold of one
    character never changes, and most text repeats a small alphabet."""

    def __missing__(self, point: int) -> str:
        ch = chr(point)
        folded = _SAME_LETTER.get(ch)
        if folded is None:
            folded = _without_accents(ch)
        self[point] = folded
        return folded


def _without_accents(ch: str) -> str:
    if _within(ch, _ACCENTS):
        return ""  # left over after NFC: nothing to compose with, or a stress mark
    if _within(ch, _CYRILLIC):
        return ch
    decomposed = unicodedata.normalize("NFD", ch)
    kept = "".join(part for part in decomposed if not _within(part, _ACCENTS))
    return ch if kept == decomposed else kept


_LETTERS = _Letters()


def fold(text: str) -> str:
    """``Ätherisches Öl`` -> ``atherisches ol``; ``ЁЛКА`` -> ``елка``."""
    return _letters(_casefolded(text))


def german_spelling(text: str) -> str:
    """The fold with umlauts written out: ``Ätherisches Öl`` -> ``aetherisches oel``."""
    return _letters(_casefolded(text).translate(_GERMAN))


def search_words(text: str) -> list[str]:
    """The folded words of ``text``: letters and digits, split at anything else."""
    return _WORD.findall(fold(text))


def search_terms(text: str) -> list[tuple[str, ...]]:
    """Each word of a query with the spellings to look for:
    ``"Öl lav"`` -> ``[("ol", "oel"), ("lav",)]``.

    Writing an umlaut out never adds or removes a word boundary, so the words of the two
    spellings pair up one to one.
    """
    casefolded = _casefolded(text)
    plain = _WORD.findall(_letters(casefolded))
    if not _UMLAUTS.intersection(casefolded):
        return [(word,) for word in plain]
    german = _WORD.findall(_letters(casefolded.translate(_GERMAN)))
    return [(p,) if p == g else (p, g) for p, g in zip(plain, german, strict=True)]


def index_words(text: str) -> list[str]:
    """What the index holds for ``text``: its folded words, then the German spelling of
    each word that has one (``Jürgen Groß`` -> ``jurgen gross juergen``)."""
    terms = search_terms(text)
    return [term[0] for term in terms] + [term[1] for term in terms if len(term) > 1]


def _casefolded(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _letters(casefolded: str) -> str:
    return casefolded if casefolded.isascii() else casefolded.translate(_LETTERS)
