"""A compiled catalogue (``.mo``) read as it is asked, not all at once.

``gettext.GNUTranslations`` decodes every message of the file when it opens it: for our
catalogues some milliseconds on the way to the first frame, of which the login screen
needs a dozen texts. Here opening the file only indexes where each source text is (its
bytes, not decoded); a translation is decoded the first time it is asked for, then kept.
The file is the GNU ``.mo`` format Babel writes (UTF-8); the lookups answer as
``GNUTranslations``'s do, the source text when there is no translation.
"""

from __future__ import annotations

import gettext
import struct
from collections.abc import Callable
from pathlib import Path

_LITTLE_ENDIAN_MAGIC = 0x950412DE


class LazyCatalogue(gettext.NullTranslations):
    def __init__(self, path: Path) -> None:
        super().__init__()
        data = path.read_bytes()
        order = "<" if struct.unpack_from("<I", data)[0] == _LITTLE_ENDIAN_MAGIC else ">"
        count, originals, translations = struct.unpack_from(f"{order}3I", data, 8)
        self._data = data
        self._originals = struct.unpack_from(f"{order}{2 * count}I", data, originals)
        self._translations = struct.unpack_from(f"{order}{2 * count}I", data, translations)
        # Where each source text is, by its bytes (a plural's: singular NUL plural).
        spans = self._originals
        self._where = {data[spans[2 * i + 1]:spans[2 * i + 1] + spans[2 * i]]: i
                       for i in range(count)}
        self._said: dict[bytes, str] = {}
        self._plural_of: Callable[[int], int] | None = None

    def _translation(self, key: bytes) -> str | None:
        said = self._said.get(key)
        if said is None:
            index = self._where.get(key)
            if index is None:
                return None
            length, offset = self._translations[2 * index:2 * index + 2]
            said = self._said[key] = self._data[offset:offset + length].decode("utf-8")
        return said

    def gettext(self, message: str) -> str:
        said = self._translation(message.encode("utf-8"))
        return message if said is None else said

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        said = self._translation(f"{msgid1}\0{msgid2}".encode())
        if said is None:
            return msgid1 if n == 1 else msgid2
        forms = said.split("\0")
        form = self._plural()(n)
        return forms[form] if form < len(forms) else forms[-1]

    def _plural(self) -> Callable[[int], int]:
        """The catalogue's rule for choosing a plural form, read from its header."""
        if self._plural_of is None:
            self._plural_of = _english_plural
            for line in (self._translation(b"") or "").splitlines():
                name, _, value = line.partition(":")
                if name.strip().lower() == "plural-forms":
                    rule = value.split("plural=", 1)[1].strip().rstrip(";")
                    self._plural_of = gettext.c2py(rule)
        return self._plural_of


def _english_plural(n: int) -> int:
    return int(n != 1)
