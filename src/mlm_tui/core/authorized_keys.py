"""Which member's key OpenSSH is presenting: the answer to ``AuthorizedKeysCommand``.

sshd runs ``mlm-tui ssh-keys`` for every key a client offers, and again for the one it
signs with, before the member sees anything: so this reads the store with the standard
library alone, read-only, in one query by the key's fingerprint (unique and indexed),
without the start-up of the store's full machinery. It never writes, and it gives back
only the key it was asked about.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from mlm_tui.core.rules.ssh_keys import decode_blob, fingerprint

BUSY_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class AuthorizedKey:
    """A presented key that belongs to an active member."""

    key_id: int
    key_type: str
    blob: str


def find_authorized_key(store_path: Path, key_type: str, blob_text: str
                        ) -> AuthorizedKey | None:
    """The registered key OpenSSH presents (``%t %k``), if an active member holds it.
    ``sqlite3.Error`` when the store cannot be read (or predates members' keys)."""
    blob = decode_blob(blob_text)
    if blob is None:
        return None
    uri = f"file:{quote(str(store_path.resolve()))}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        row = connection.execute(
            "SELECT k.id, k.key_type, k.key_blob FROM member_keys AS k "
            "JOIN members AS m ON m.id = k.member_id "
            "WHERE k.fingerprint = ? AND m.status = 'active'", (fingerprint(blob),)).fetchone()
    finally:
        connection.close()
    if row is None or row[1] != key_type:
        return None
    return AuthorizedKey(int(row[0]), str(row[1]), str(row[2]))
