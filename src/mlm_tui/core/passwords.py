"""Password and code hashing: argon2id with OWASP's parameters; tokens by SHA-256.

A session token is random and long, so a fast hash is enough to make the stored
value useless to a thief; passwords and short numeric codes need a slow one.
"""

from __future__ import annotations

import hashlib
import secrets
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argon2 import PasswordHasher


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher
    from argon2.low_level import Type

    # OWASP: argon2id, m=19 MiB, t=2, p=1.
    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)


def hash_secret(secret: str) -> str:
    return _hasher().hash(secret)


def verify_secret(stored_hash: str, secret: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return _hasher().verify(stored_hash, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)


# Verified against when a login names no account, so both answers take as long.
_DUMMY_HASH: list[str] = []


def verify_nothing(secret: str) -> None:
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(hash_secret("not a real password"))
    verify_secret(_DUMMY_HASH[0], secret)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_numeric_code(digits: int = 8) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(digits))
