"""How much of one product a cart line may hold: the same rule for the cart kept on the
server and the one kept on this machine for offline work."""

from __future__ import annotations

from mlm_tui.core.errors import N_, ValidationError

MAX_LINE_QUANTITY = 99


def check_quantity(quantity: int, *, zero_removes: bool = False) -> None:
    """A whole number from 1 (0 when it removes the line) to the per-line limit."""
    lowest = 0 if zero_removes else 1
    if (
        isinstance(quantity, bool)
        or not isinstance(quantity, int)
        or not lowest <= quantity <= MAX_LINE_QUANTITY
    ):
        raise ValidationError(
            N_("The quantity must be a whole number from {lowest} to {highest}."),
            field="quantity", params={"lowest": lowest, "highest": MAX_LINE_QUANTITY})
