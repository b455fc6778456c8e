"""LocalBackend: periods, categories, product search (FTS5), product, products_by_code, promotions."""

from __future__ import annotations

from mlm_tui.core.local.base import LocalBase


class CatalogMixin(LocalBase):
    pass
