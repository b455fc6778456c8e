"""LocalBackend: submit_claim, claims, notifications, mark_notification_read."""

from __future__ import annotations

from mlm_tui.core.local.base import LocalBase


class ClaimsMixin(LocalBase):
    pass
