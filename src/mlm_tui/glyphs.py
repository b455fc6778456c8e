"""What characters the terminal can show: everything, or ASCII alone.

A terminal whose locale is not UTF-8 (``LANG=C``, ``LC_ALL=POSIX``,
``LANG=de_DE.ISO-8859-1``) shows the bytes of box drawing, block glyphs, ``₽`` or a
no-break space as rubbish. Whether it is UTF-8 is read as tmux reads it: the first of
``LC_ALL``, ``LC_CTYPE`` and ``LANG`` that is set says so by naming UTF-8; none set is the
C locale, ASCII.

Then the app writes ASCII alone, at the root: amounts on screen are written with the
currency's code and plain spaces where they are formatted (``mlm_tui.formats``:
"1 234,50 RUB", as wide as the table makes room for), and one line filter turns every
other character into an ASCII one of the same width as it is drawn: lines and corners
into ``-|+``, arrows and marks into their nearest letter, Latin letters lose their
accents and Cyrillic ones are transliterated letter for letter ("Анна" is "Anna"); what
has no likeness is ``?``.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from textual.color import Color as TextualColor
from textual.filter import LineFilter

_UTF8 = re.compile(r"utf-?8", re.IGNORECASE)
# What Python 3.11 sets LC_CTYPE to when it starts in the C locale (PEP 538): not the
# terminal's word, so the variable below it is read instead.
_COERCED = frozenset({"C.UTF-8", "C.utf8", "UTF-8"})


def terminal_is_utf8(environ: Mapping[str, str] | None = None, *,
                     python_coerced: bool | None = None) -> bool:
    """Whether the terminal's locale is UTF-8, from its environment variables."""
    import os

    environ = os.environ if environ is None else environ
    if python_coerced is None:
        python_coerced = bool(sys.flags.utf8_mode) and "PYTHONUTF8" not in environ
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = environ.get(name, "")
        if not value or (name == "LC_CTYPE" and python_coerced and value in _COERCED):
            continue
        return bool(_UTF8.search(value))
    return False


class AsciiOnly(LineFilter):
    """Every character drawn turned into ASCII of the same width."""

    def apply(self, segments: list[Segment], background: TextualColor) -> list[Segment]:
        return [segment if segment.text.isascii()
                else Segment(ascii_text(segment.text), segment.style, segment.control)
                for segment in segments]


@lru_cache(4096)
def ascii_text(text: str) -> str:
    """``text`` in ASCII, each character as wide as it was."""
    return "".join(character if character.isascii() else ascii_character(character)
                   for character in text)


_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяєіїґў",
    "abvgdeezzijklmnoprstufhccss'y'euaeiigu", strict=True))

_MARKS = {
    "₽": "R", "€": "E", "£": "L", "$": "$", "№": "N", "…": "~", "·": "|", "•": "*",
    "«": '"', "»": '"', "„": '"', "“": '"', "”": '"', "‘": "'", "’": "'", "‚": "'",
    "–": "-", "—": "-", "−": "-", "‐": "-", "×": "x", "÷": "/", "°": "o", "±": "+",
    "≤": "<", "≥": ">", "≠": "#", "→": ">", "←": "<", "↑": "^", "↓": "v", "⏎": "<",
    "⌫": "<", "▲": "^", "▼": "v", "▶": ">", "◀": "<", "►": ">", "◄": "<", "▸": ">",
    "▾": "v", "●": "*", "○": "o", "◆": "*", "◇": "o", "★": "*", "☆": "*", "✓": "+",
    "✔": "+", "✗": "x", "✘": "x", "⚠": "!", "ß": "s", "æ": "a", "Æ": "A", "ø": "o",
    "Ø": "O", "đ": "d", "ł": "l", "Ł": "L",
}


@lru_cache(1024)
def ascii_character(character: str) -> str:
    width = cell_len(character)
    if width == 0:
        return ""  # a combining accent: the letter before it stands alone
    if character in _MARKS:
        return _MARKS[character]
    if unicodedata.category(character) == "Zs":
        return " " * width  # no-break, narrow and thin spaces
    lower = character.lower()
    if lower in _CYRILLIC:
        letter = _CYRILLIC[lower]
        return letter.upper() if character != lower else letter
    name = unicodedata.name(character, "")
    if name.startswith("BOX DRAWINGS"):
        return _line(name)
    if name.endswith("BLOCK") or "SHADE" in name or "QUADRANT" in name:
        return _block(name)
    base = unicodedata.normalize("NFKD", character)[:1]
    if base.isascii() and base.isprintable():
        return base  # é -> e, Ü -> U
    return "?" * width


def _line(name: str) -> str:
    if "HORIZONTAL" in name and "VERTICAL" not in name:
        return "-"
    if "VERTICAL" in name and "HORIZONTAL" not in name and " AND " not in name:
        return "|"
    return "+"


def _block(name: str) -> str:
    if "LEFT" in name or "RIGHT" in name:
        return "|"  # the sides of a tall border, a scroll bar's edge
    if "ONE EIGHTH" in name or "ONE QUARTER" in name:
        return "-"  # the top and bottom of a tall border
    return "#"
