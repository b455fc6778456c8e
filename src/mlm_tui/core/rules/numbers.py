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


def top_up_reference(requested_at: datetime, sequence: int) -> str:
    """``TU-2612-000001``: what a member quotes on a transfer or at the terminal."""
    return f"TU-{requested_at:%y%m}-{sequence:06d}"


def references_in(text: str) -> list[str]:
    """The references a bank transfer's remittance text may quote, written as we write
    them: banks and people drop the hyphens, add spaces or write small letters
    ("tu 2612 000001", "TU2612000001")."""
    import re

    squeezed = re.sub(r"[\s\-/.]", "", text.upper())
    return [f"{m[0]}-{m[1]}-{m[2]}"
            for m in re.findall(r"([A-Z]{2})(\d{4})(\d{6})", squeezed)]
