"""Reading a pasted quick order: product codes and quantities as people type them.

Accepted per entry (one per line, or several separated by commas or semicolons)::

    32548 2      32548x2      32548 x 2      33012 х1 (Cyrillic х)      32548*3      32548

A code alone means one. The same code twice adds up. Whatever cannot be read is handed
back with its line number and the reason, so nothing typed disappears silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mlm_tui.core.rules.typed_numbers import ascii_digits
from mlm_tui.i18n import N_

MAX_QUANTITY = 99

NOT_A_CODE = N_("not a product code and quantity")
BAD_QUANTITY = N_("the quantity must be a whole number from 1 to 99")
TOO_MANY = N_("more than 99 of this product in all")

_SEPARATORS = re.compile(r"[,;]")
# A code of digits, then optionally a quantity after a space, "x", Cyrillic "х", "×" or "*".
_ENTRY = re.compile(
    r"^(?P<code>\d{3,16})(?:\s*(?:[xX\u0445\u0425\u00d7*]|\s)\s*(?P<quantity>[-+]?\d+))?$"
)
_CODE_THEN_ANYTHING = re.compile(r"^\d{3,16}(?:\s*[xX\u0445\u0425\u00d7*]\s*|\s+)\S")


@dataclass(frozen=True, slots=True)
class QuickItem:
    code: str
    quantity: int


@dataclass(frozen=True, slots=True)
class UnreadEntry:
    line_no: int  # 1-based, as the user sees the pasted text
    text: str
    reason: str  # an English message for ``_()``


@dataclass(frozen=True, slots=True)
class QuickOrder:
    items: tuple[QuickItem, ...]  # one per code, in the order first typed
    unread: tuple[UnreadEntry, ...]

    @property
    def complete(self) -> bool:
        return not self.unread


def parse_quick_order(text: str) -> QuickOrder:
    quantities: dict[str, int] = {}
    unread: list[UnreadEntry] = []
    for line_no, line in enumerate(text.splitlines(), 1):
        for raw in _SEPARATORS.split(line):
            entry = " ".join(raw.split())  # tabs and runs of spaces from spreadsheets
            if not entry:
                continue
            match = _ENTRY.match(entry)
            if match is None:
                reason = BAD_QUANTITY if _CODE_THEN_ANYTHING.match(entry) else NOT_A_CODE
                unread.append(UnreadEntry(line_no, entry, reason))
                continue
            code = ascii_digits(match["code"])
            quantity = int(match["quantity"]) if match["quantity"] is not None else 1
            if not 1 <= quantity <= MAX_QUANTITY:
                unread.append(UnreadEntry(line_no, entry, BAD_QUANTITY))
            elif quantities.get(code, 0) + quantity > MAX_QUANTITY:
                unread.append(UnreadEntry(line_no, entry, TOO_MANY))
            else:
                quantities[code] = quantities.get(code, 0) + quantity
    items = tuple(QuickItem(code, quantity) for code, quantity in quantities.items())
    return QuickOrder(items, tuple(unread))
