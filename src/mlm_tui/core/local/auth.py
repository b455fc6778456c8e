"""LocalBackend: sessions (login by registration number or e-mail, throttling, resume, logout, me, account_summary), password reset, registration and activation."""

from __future__ import annotations

from mlm_tui.core.local.base import LocalBase


class AuthMixin(LocalBase):
    pass
