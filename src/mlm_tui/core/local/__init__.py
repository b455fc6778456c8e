"""LocalBackend: the whole system embedded on one SQLite file."""

from __future__ import annotations

from mlm_tui.core.local.alerts import AlertsMixin
from mlm_tui.core.local.auth import AuthMixin
from mlm_tui.core.local.cart import CartMixin
from mlm_tui.core.local.catalog import CatalogMixin
from mlm_tui.core.local.claims import ClaimsMixin
from mlm_tui.core.local.orders import OrdersMixin
from mlm_tui.core.local.team import TeamMixin
from mlm_tui.core.local.training import TrainingMixin
from mlm_tui.core.local.wallet import WalletMixin


class LocalBackend(
    AuthMixin, CatalogMixin, CartMixin, OrdersMixin, TeamMixin, WalletMixin, ClaimsMixin,
    TrainingMixin, AlertsMixin,
):
    """Implements :class:`mlm_tui.core.backend.Backend` in-process on SQLite."""


__all__ = ["LocalBackend"]
