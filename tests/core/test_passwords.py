"""The production password hashing parameters (the other tests use cheap ones)."""

from __future__ import annotations

import subprocess
import sys


def test_passwords_are_hashed_with_owasp_argon2id_parameters() -> None:
    # A fresh interpreter: the test session's conftest swaps in a cheap hasher.
    script = (
        "from mlm_tui.core.passwords import hash_secret, verify_secret\n"
        "h = hash_secret('Lavender-field-77')\n"
        "assert verify_secret(h, 'Lavender-field-77') and not verify_secret(h, 'x')\n"
        "print(h)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out.startswith("$argon2id$v=19$m=19456,t=2,p=1$"), out
