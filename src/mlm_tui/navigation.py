"""Where a user can go: one entry per top-level screen.

The app builds its key bindings, the help screen and the command palette from this
list, so adding a screen is adding an entry here. ``screen`` is "module:Class" under
``mlm_tui.screens`` and is imported only when first opened (start-up stays fast).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Destination:
    id: str  # binding id, so users can remap it
    key: str  # default key
    title: str  # untranslated; wrapped in _() where shown
    description: str
    screen: str  # "catalog:CatalogScreen"


DESTINATIONS: list[Destination] = [
    Destination("catalog", "f2", "Catalog", "Browse and search the catalog", "catalog:CatalogScreen"),
    Destination("quick_order", "f3", "Quick order", "Order by product codes", "quick_order:QuickOrderScreen"),
    Destination("cart", "f4", "Cart", "The cart with points and totals", "cart:CartScreen"),
]
