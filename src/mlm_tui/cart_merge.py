"""The notice that says which lines added to the cart offline joined the server's cart
when it was back (:meth:`mlm_tui.core.offline.fallback.OfflineFallback.merge_offline_cart`)."""

from __future__ import annotations

from mlm_tui.core.offline.fallback import CartMerge
from mlm_tui.i18n import _


def merge_notice(merged: CartMerge) -> str:
    """One line: what was added, and what the server no longer sells; empty for nothing."""
    parts = []
    if merged.added:
        parts.append(_("Added to the cart on the server from offline work: {lines}.").format(
            lines=", ".join(f"{code} × {quantity}" for code, quantity in merged.added)))
    if merged.refused:
        parts.append(_("Not added, no longer available: {codes}.").format(
            codes=", ".join(merged.refused)))
    return " ".join(parts)
