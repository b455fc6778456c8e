"""Numbers and codes as people type them: read whole, or refused whole, never rewritten.

A field never drops or reorders what was typed ("1.5" is not 15, "-1" is not 1). Digits
of any script are the digits they are: full-width "２" (a Japanese or Chinese keyboard)
and Arabic-Indic "٣" read as 2 and 3. Codes keep their leading zeros.
"""

from __future__ import annotations

import unicodedata


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit of any script as its ASCII digit."""
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char
                   for char in text)


def read_code(text: str) -> str | None:
    """A product code (digits only, leading zeros kept) in ASCII digits, or None."""
    code = ascii_digits(text.strip())
    return code if code.isascii() and code.isdigit() else None


def read_whole_number(text: str, *, least: int = 1, most: int | None = None) -> int | None:
    """A whole number from ``least`` to ``most``, or None: nothing else is read as one."""
    digits = read_code(text)
    if digits is None:
        return None
    number = int(digits)
    if number < least or (most is not None and number > most):
        return None
    return number
