"""argon2id at OWASP's parameters costs ~50 ms a hash, and the tests hash thousands.
The hash carries its parameters, so stores made here still verify anywhere;
``test_passwords.py`` checks the production parameters in a fresh interpreter."""

from __future__ import annotations


def use_cheap_password_hashing() -> None:
    from argon2 import PasswordHasher
    from argon2.low_level import Type

    from mlm_tui.core import passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1, type=Type.ID)
    passwords._hasher = lambda: cheap  # type: ignore[assignment]
