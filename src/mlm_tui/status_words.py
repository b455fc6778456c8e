"""An order's status as a word of the reader's language: on screens, in the CLI, and in a
message that names a status (the core puts the status itself in its params)."""

from __future__ import annotations

from mlm_tui.core.models import OrderStatus
from mlm_tui.i18n import _


def order_status_word(status: OrderStatus) -> str:
    labels = {
        OrderStatus.PLACED: _("placed"),
        OrderStatus.PAID: _("paid"),
        OrderStatus.SHIPPED: _("shipped"),
        OrderStatus.DELIVERED: _("delivered"),
        OrderStatus.CANCELLED: _("cancelled"),
        OrderStatus.STOP_REQUESTED: _("stop requested"),
        OrderStatus.CREDITED: _("credited"),
    }
    return labels[status]
