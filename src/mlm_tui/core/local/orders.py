"""LocalBackend: orders_page, count_orders, order_months, order, cancellation_quote, cancel_order, request_delivery_stop, invoice, shipment, shipments_in_transit."""

from __future__ import annotations

from mlm_tui.core.local.base import LocalBase


class OrdersMixin(LocalBase):
    pass
