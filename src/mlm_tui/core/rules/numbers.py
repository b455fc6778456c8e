"""The numbers people read and quote on the phone: one format each, wherever they show.

``RU-2611-000123`` (an order: market, year and month placed, a running number),
``INV-2611-000123`` (its invoice), ``CL-2611-000004`` (a claim). The store, the demo
builder, the screens, the CLI, the PDF and the e-mail all take them from here.
"""

from __future__ import annotations

from datetime import datetime


def order_number(market: str, placed_at: datetime, sequence: int) -> str:
    return f"{market[:2].upper()}-{placed_at:%y%m}-{sequence:06d}"


def invoice_number(placed_at: datetime, sequence: int) -> str:
    return f"INV-{placed_at:%y%m}-{sequence:06d}"


def claim_number(submitted_at: datetime, sequence: int) -> str:
    return f"CL-{submitted_at:%y%m}-{sequence:06d}"
