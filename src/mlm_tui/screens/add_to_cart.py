"""Ask how many of a product: to put into the cart, or to change a cart line to.

A small dialog over the catalog, a product's page or the cart. It does the change
itself (in a worker), so the backend's refusal (sold out, above the per-line limit) is
shown at the quantity; Escape leaves without changing anything. Dismisses with the
result, or ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from mlm_tui.core.models import Cart, CompanyProfile, Product
from mlm_tui.core.rules.typed_numbers import read_whole_number
from mlm_tui.display import data_text
from mlm_tui.i18n import N_, _
from mlm_tui.messages import Refused
from mlm_tui.screens.base import AppModalScreen
from mlm_tui.widgets.cart_summary import cart_summary_text
from mlm_tui.widgets.errors import error_text
from mlm_tui.widgets.form import FormField
from mlm_tui.widgets.money import money_text, points_text


@dataclass(frozen=True, slots=True)
class Added:
    product: Product
    quantity: int
    cart: Cart

    def describe(self, company: CompanyProfile | None) -> str:
        return _("Added {quantity} × {name}.").format(
            quantity=self.quantity, name=self.product.name) + " " + cart_summary_text(
            self.cart, company)


def parse_quantity(text: str) -> int | None:
    """A whole number of at least 1 (in digits of any script), or None; the store says
    how many it takes."""
    return read_whole_number(text)


class AddToCartScreen(AppModalScreen[Added | None]):
    """Adds the quantity to the cart (on top of what the cart already holds)."""

    DEFAULT_CSS = """
    AddToCartScreen { align: center middle; }
    AddToCartScreen > Vertical {
        width: 60; max-width: 100%; height: auto;
        border: round $primary; background: $surface; padding: 0 1;
    }
    AddToCartScreen #add-product { height: auto; margin-bottom: 1; }
    AddToCartScreen #add-hint { color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="add.cancel"),
    ]

    @dataclass
    class Done(Message):
        cart: Cart
        quantity: int

    def __init__(self, product: Product, quantity: int = 1, *, select: bool = True) -> None:
        super().__init__()
        self.product = product
        self.quantity = quantity
        self._select = select  # False: a digit typed to open the dialog stays, cursor after it

    @property
    def dialog_title(self) -> str:
        return _("Add to cart")

    @property
    def hint(self) -> str:
        return _("Enter adds, Escape cancels.")

    def apply(self, quantity: int) -> Cart:
        """The change itself; runs in a worker thread."""
        return self.backend.add_to_cart(self.product.code, quantity)

    def compose(self) -> ComposeResult:
        company = self.mlm_app.company
        p = self.product
        with Vertical() as box:
            box.border_title = self.dialog_title
            figures = _("Your price {price} · retail {retail} · {points}").format(
                price=money_text(p.price, company),
                retail=money_text(p.retail_price, company),
                points=points_text(p.points, company))
            yield Static(data_text(f"{p.code}  {p.name}\n{figures}", multiline=True),
                         id="add-product")
            yield FormField(_("Quantity"), "quantity", value=str(self.quantity),
                            select_on_focus=self._select)
            yield Static(self.hint, id="add-hint")

    def on_mount(self) -> None:
        field = self.query_one("#quantity", Input)
        self.set_focus(field)
        if not self._select:
            field.cursor_position = len(field.value)

    @on(Input.Submitted, "#quantity")
    def _submit(self, event: Input.Submitted) -> None:
        field = self.query_one("#quantity-field", FormField)
        field.clear_error()
        quantity = parse_quantity(event.value)
        if quantity is None:
            field.show_error(_("Enter a whole number of at least 1."))
            return
        self.add(quantity)

    def add(self, quantity: int) -> None:
        def ask() -> Message:
            cart = self.apply(quantity)
            return self.Done(cart, quantity)

        self.in_background(ask, group="quantity", refused=True)

    @on(Done)
    def _done(self, message: Done) -> None:
        self.dismiss(Added(self.product, message.quantity, message.cart))

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.query_one("#quantity-field", FormField).show_error(error_text(message.error))

    def action_cancel(self) -> None:
        self.dismiss(None)


class SetQuantityScreen(AddToCartScreen):
    """Sets a cart line's quantity (0 is refused here: removing is its own key)."""

    @property
    def dialog_title(self) -> str:
        return _("Change the quantity")

    @property
    def hint(self) -> str:
        return _("Enter sets the quantity, Escape cancels.")

    def apply(self, quantity: int) -> Cart:
        return self.backend.set_cart_quantity(
            self.product.code, quantity)
