"""LocalBackend: balance, balance_ledger, top_up, points_wallet, points_ledger."""

from __future__ import annotations

from mlm_tui.core.local.base import LocalBase


class WalletMixin(LocalBase):
    pass
