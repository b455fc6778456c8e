"""LocalBackend: cart, add/set/remove/clear, delivery product, repeat_order, place_order."""

from __future__ import annotations

from mlm_tui.core.local.base import LocalBase


class CartMixin(LocalBase):
    pass
