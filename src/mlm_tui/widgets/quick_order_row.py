"""One row of the quick order: a code, a quantity, and what that code is.

The row only shows; the quick order screen looks codes up (in workers) and tells each
row what it found with :meth:`QuickOrderRow.show`. A paste of several codes into the
code field is handed to the screen as :class:`CodeInput.ListPasted` instead of being
squeezed into one field.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from mlm_tui.core.models import CompanyProfile, Product
from mlm_tui.core.quick_order import MAX_QUANTITY
from mlm_tui.core.rules.typed_numbers import read_code, read_whole_number
from mlm_tui.display import data_text
from mlm_tui.i18n import _
from mlm_tui.widgets.money import money_text, points_text
from mlm_tui.widgets.typeahead import TypeAheadInput


class RowState(StrEnum):
    EMPTY = "empty"
    LOOKING = "looking"
    NOT_A_CODE = "not_a_code"
    UNKNOWN = "unknown"
    SOLD_OUT = "sold_out"
    READY = "ready"


class RowInput(TypeAheadInput):
    """A field of the grid: Enter moves on to the next field of the grid at once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, next_on_enter=True, next_selector=".qo-code, .qo-quantity",
                         **kwargs)


class CodeInput(RowInput):
    @dataclass
    class ListPasted(Message):
        code_input: CodeInput
        text: str

    def _on_paste(self, event: events.Paste) -> None:
        # Runs before Input's own handler (Textual calls each class's in turn): a single
        # code is left to it, a list is taken away from it.
        if read_code(event.text) is not None:
            return
        # Several codes, or codes with quantities: the screen spreads them over rows.
        event.stop()
        event.prevent_default()
        self.post_message(self.ListPasted(self, event.text))


def parse_row_quantity(text: str) -> int | None:
    return read_whole_number(text, most=MAX_QUANTITY)


class QuickOrderRow(Horizontal):
    DEFAULT_CSS = """
    QuickOrderRow { height: 1; }
    QuickOrderRow > .qo-code { width: 10; margin-right: 1; }
    QuickOrderRow > .qo-quantity { width: 5; margin-right: 1; }
    QuickOrderRow > .qo-name { width: 1fr; }
    QuickOrderRow > .qo-sum { width: 13; text-align: right; }
    QuickOrderRow > .qo-points { width: 9; text-align: right; }
    QuickOrderRow > .qo-name.-problem { color: $text-error; }
    """

    def __init__(self, number: int, code: str = "", quantity: int = 1) -> None:
        super().__init__(id=f"row-{number}", classes="quick-order-row")
        self.number = number
        self.state = RowState.EMPTY
        self.product: Product | None = None
        # Made here, not in compose: the screen reads a row's code while the row is still
        # being mounted (a pasted list) or already being removed (put into the cart).
        # Not selected on focus: a code typed ahead of the focus would be replaced.
        # Nothing typed is dropped or cut short: what a field cannot take, the row says.
        self._code_input = CodeInput(code, id=f"code-{number}", classes="qo-code",
                                     compact=True, select_on_focus=False)
        self._quantity_input = RowInput(str(quantity), id=f"quantity-{number}",
                                        classes="qo-quantity", compact=True)
        self._product_label = Static("", classes="qo-name", markup=False)
        self._sum_label = Static("", classes="qo-sum", markup=False)
        self._points_label = Static("", classes="qo-points", markup=False)

    def compose(self) -> ComposeResult:
        yield self._code_input
        yield self._quantity_input
        yield self._product_label
        yield self._sum_label
        yield self._points_label

    @property
    def code_input(self) -> Input:
        return self._code_input

    @property
    def quantity_input(self) -> Input:
        return self._quantity_input

    @property
    def code(self) -> str:
        """The code in ASCII digits; what was typed when it is not a code."""
        typed = self.code_input.value.strip()
        return read_code(typed) or typed

    @property
    def code_is_readable(self) -> bool:
        return read_code(self.code_input.value) is not None

    @property
    def quantity(self) -> int | None:
        return parse_row_quantity(self.quantity_input.value)

    def show(self, state: RowState, product: Product | None,
             company: CompanyProfile | None) -> None:
        """What the code turned out to be; the sums follow the quantity."""
        self.state, self.product = state, product
        name, total, points = "", "", ""
        if state is RowState.LOOKING:
            name = "…"
        elif state is RowState.NOT_A_CODE:
            name = "✗ " + _("a product code is digits only")
        elif state is RowState.UNKNOWN:
            name = "✗ " + _("no product with this code")
        elif state is RowState.SOLD_OUT and product is not None:
            name = "✗ " + _("sold out: {name}").format(name=product.name)
        elif state is RowState.READY and product is not None:
            name = product.name
            quantity = self.quantity
            if quantity is None:
                name = "✗ " + _("quantity: a whole number, 1–{most}").format(
                    most=MAX_QUANTITY)
            else:
                total = money_text(product.price * quantity, company)
                points = points_text(product.points * quantity, company)
        # On the name alone, which it colours: a class on the row restyles all its fields.
        self._product_label.set_class(name.startswith("✗"), "-problem")
        self._product_label.update(data_text(name, no_wrap=True, overflow="ellipsis"))
        self._sum_label.update(total)
        self._points_label.update(data_text(points))

    def refresh_sums(self, company: CompanyProfile | None) -> None:
        self.show(self.state, self.product, company)
