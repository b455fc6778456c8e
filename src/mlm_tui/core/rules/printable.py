"""Text from the data as it may be shown: control characters made visible, never obeyed.

A product name, a city or a claim text is typed by someone else, imported, or comes from
a server. Written raw to a terminal, ``ESC ] 52`` in it would set the viewer's clipboard,
``ESC ] 0`` the window title, ``ESC [ 2 J`` would clear the screen; in a PDF or an e-mail
header a stray control character breaks the document. Every place that shows data (the
screens, the CLI, CSV, PDF, e-mail) passes it through :func:`printable` first.

Each C0 control (and DEL) becomes its Unicode "control picture" (``ESC`` -> ``␛``, ``NUL``
-> ``␀``), so a person sees that something odd is there and where; C1 controls (which
some terminals read as ``ESC [`` and friends) and lone surrogates (which no encoder
writes) become ``�``. Everything else is kept as it is, including no-break spaces and
joiners that scripts need.
"""

from __future__ import annotations

import re

__all__ = ["REPLACEMENT", "UNPRINTABLE", "UNPRINTABLE_BUT_NEWLINE", "printable"]

REPLACEMENT = "\ufffd"
# C0, DEL, C1 and the surrogate range (a lone surrogate is what undecodable bytes become).
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
UNPRINTABLE_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

_DEL_PICTURE = "\u2421"  # ␡
_C0_PICTURES = 0x2400  # ␀ is U+2400, ␛ is U+241B: the block follows the C0 codes in order


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(_C0_PICTURES + code)
    if code == 0x7F:
        return _DEL_PICTURE
    return REPLACEMENT


def printable(text: str, *, multiline: bool = False, pictures: bool = True) -> str:
    """``text`` with every control character replaced by a visible placeholder.

    With ``multiline`` a line feed stays a line break (a claim text, a message body);
    otherwise it too is shown as a placeholder, so one value stays on one line. Without
    ``pictures`` every placeholder is ``�``: for a font that has no control pictures (the
    PDF's).
    """
    # Nearly every value is plain: one scan in C, no copy (the catalog redraws per keystroke).
    if text.isprintable():
        return text
    pattern = UNPRINTABLE_BUT_NEWLINE if multiline else UNPRINTABLE
    return pattern.sub(_picture if pictures else REPLACEMENT, text)
