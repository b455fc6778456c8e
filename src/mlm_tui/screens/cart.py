"""The cart: lines with quantities, what each costs and earns, promotions, delivery.

Per line and in total: retail, discount, to pay and points (labelled as the company
calls them). ``+``/``-`` change the quantity of the line under the cursor, a digit or
Enter types a new one, Delete removes the line; ``d`` takes the product offered in
exchange for the delivery fee (the fee is paid, the product comes free); ``w`` pays the
line with wallet points instead of money (and back again); ``c`` goes to the checkout.
A line paid with points shows what it costs from the wallet ("80 BB") where the money
would be, and the totals say what the whole cart spends ("Paid with 80 BB").

Quantity keys may be pressed faster than the store answers: each change is sent as the
new absolute quantity, and an older change to the same line that has not been written
yet is dropped, so the last key pressed always wins.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, Static

from mlm_tui.core.changes import ChangeKind
from mlm_tui.core.errors import DomainError, NotAuthenticated
from mlm_tui.core.models import Cart, CartLine, CompanyProfile, PromotionKind
from mlm_tui.display import data_text
from mlm_tui.i18n import N_, _
from mlm_tui.messages import Refused
from mlm_tui.screens.add_to_cart import Added, SetQuantityScreen
from mlm_tui.screens.base import AppScreen
from mlm_tui.widgets.errors import error_text
from mlm_tui.widgets.flex_table import ColumnSpec, FlexTable
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.money import money_text, points_number, points_text, right
from mlm_tui.widgets.points_column import points_column
from mlm_tui.widgets.status_line import StatusLine

DELIVERY_KEY = "delivery product"
POINTS_KEY = "points:"  # + the product code: toggles of one line replace each other


def cart_columns(company: CompanyProfile | None) -> list[ColumnSpec]:
    return [
        ColumnSpec("code", _("Code"), 6),
        ColumnSpec("name", _("Product"), None),
        ColumnSpec("quantity", _("Qty"), 4, "right"),
        ColumnSpec("retail", _("Retail"), 12, "right"),
        ColumnSpec("discount", _("Discount"), 12, "right"),
        ColumnSpec("to_pay", _("To pay"), 12, "right"),
        points_column(company),
    ]


def line_key(line: CartLine) -> str:
    return f"gift:{line.product.code}" if line.is_gift else line.product.code


def line_cells(line: CartLine, company: CompanyProfile | None) -> list[Any]:
    name = data_text(line.product.name, no_wrap=True, overflow="ellipsis")
    if line.is_gift:
        name = Text(_("gift") + ": ", style="italic") + name
    # What the line costs: money, or (in the same column, so the name keeps its room at
    # 80 columns) the wallet points that pay it.
    to_pay = (right(points_text(line.points_spent, company), "bold italic")
              if line.paid_with_points else right(money_text(line.to_pay, company), "bold"))
    return [
        data_text(line.product.code),
        name,
        right(str(line.quantity)),
        right(money_text(line.retail, company)),
        right(money_text(-line.discount, company) if line.discount else "—"),
        to_pay,
        right(points_number(line.points, company)),
    ]


def totals_table(cart: Cart, company: CompanyProfile | None) -> Table:
    grid = Table.grid(padding=(0, 1))
    for column in range(3):
        grid.add_column(no_wrap=True, min_width=9 if column else 7)
        grid.add_column(justify="right", no_wrap=True, min_width=12)
        if column < 2:
            grid.add_column(width=1)  # a little more room between the pairs
    delivery = money_text(cart.delivery_fee, company) if cart.delivery_fee else _("free")
    grid.add_row(
        _("Retail"), money_text(cart.retail, company), "",
        _("Discount"), money_text(-cart.discount, company) if cart.discount else "—", "",
        _("Delivery"), delivery,
    )
    spent = ((Text(_("Paid with"), style="bold"),
              data_text(points_text(cart.points_spent, company), style="bold"))
             if cart.points_spent else ("", ""))
    grid.add_row(
        Text(_("To pay"), style="bold"), Text(money_text(cart.to_pay, company), style="bold"),
        "", Text(_("Points"), style="bold"),
        data_text(points_text(cart.points, company), style="bold"), "", *spent,
    )
    return grid


def promotion_lines(cart: Cart, company: CompanyProfile | None) -> list[str]:
    """Applied promotions, what is missing for the next, and the delivery choice."""
    lines: list[str] = []
    for progress in cart.promotions:
        promotion = progress.promotion
        if promotion.kind is PromotionKind.DELIVERY_PRODUCT:
            if progress.applied:
                lines.append("✓ " + _("{title}: free for the {fee} delivery fee (d: leave it "
                                      "out)").format(title=promotion.title,
                                                     fee=money_text(cart.delivery_fee, company)))
            elif cart.delivery_fee:
                lines.append("→ " + _("d: {title}, free for the {fee} delivery fee").format(
                    title=promotion.title, fee=money_text(cart.delivery_fee, company)))
        elif progress.applied:
            lines.append("✓ " + promotion.title)
        elif progress.missing is not None:
            lines.append("→ " + _("{missing} more for: {title}").format(
                missing=money_text(progress.missing, company), title=promotion.title))
    return lines


class CartScreen(AppScreen[None]):
    DEFAULT_CSS = """
    CartScreen #cart-lines { height: 1fr; }
    CartScreen #cart-lines.-empty { display: none; }
    CartScreen #cart-empty { padding: 1 2; height: auto; }
    CartScreen #cart-empty.-hidden { display: none; }
    CartScreen #cart-summary { height: auto; max-height: 9; padding: 0 1; }
    CartScreen #cart-totals { height: auto; border-top: solid $primary; }
    CartScreen #cart-promotions { height: auto; }
    """

    BINDINGS = [
        Binding("plus,equals_sign", "more", N_("One more"), id="cart.more",
                group=Binding.Group(N_("Quantity"), compact=True)),
        Binding("minus", "less", N_("One less"), id="cart.less",
                group=Binding.Group(N_("Quantity"), compact=True)),
        Binding("delete,x", "remove", N_("Remove"), id="cart.remove"),
        Binding("u", "undo_remove", N_("Undo remove"), id="cart.undo"),
        Binding("d", "delivery_product", N_("Delivery product"), id="cart.delivery"),
        # Not in the footer, which is full at 80 columns; the help screen lists it.
        Binding("w", "pay_with_points", N_("Pay with points"), id="cart.pay_with_points",
                show=False),
        Binding("c", "checkout", N_("Checkout"), id="cart.checkout"),
    ]

    # Prices, stock and promotions are the catalog's: they change what a line costs.
    SHOWS = frozenset({ChangeKind.CART, ChangeKind.CATALOG})

    @dataclass
    class Loaded(Message):
        cart: Cart
        change: int

    def __init__(self) -> None:
        super().__init__()
        self.cart: Cart | None = None
        self._changes = 0  # numbers every change; results of older ones are not shown
        self._shown_change = -1
        self._latest_for_line: dict[str, int] = {}
        self._write_lock = threading.Lock()
        self._removed: CartLine | None = None  # the line Delete took out, to put back

    @property
    def company(self) -> CompanyProfile | None:
        return self.mlm_app.company

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        yield FlexTable(cart_columns(self.company), id="cart-lines")
        yield Static(_("The cart is empty. Find products in the catalog (F2) or type their "
                       "codes in the quick order (F3)."), id="cart-empty", classes="-hidden")
        with VerticalScroll(id="cart-summary"):
            yield Static("", id="cart-totals")
            yield Static("", id="cart-promotions", markup=False)
        yield StatusLine(id="cart-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Cart")
        self.set_focus(self.query_one("#cart-lines", FlexTable))

    def on_screen_resume(self) -> None:
        self.load()

    # --- reading and showing ---------------------------------------------------------------
    def load(self) -> None:
        self._changes += 1
        self._run(self._changes, None, lambda backend: backend.cart())

    def reload_changed(self) -> None:
        # A change of ours still being written shows the store as it is once written.
        if self._shown_change == self._changes:
            self.load()

    def _run(self, change: int, line: str | None, operation: Any) -> None:
        """``line``: the line a write changes (None: a read of the whole cart)."""
        if line is not None:
            self._latest_for_line[line] = change
            # The cart this write gives back is shown: the change it makes, when the poll
            # reports it, need not be read again.
            self.shown_own_write(ChangeKind.CART)
        self.run_worker(lambda: self._apply(change, line, operation), thread=True,
                        exit_on_error=False, group="cart")

    def _apply(self, change: int, line: str | None, operation: Any) -> None:
        with self._write_lock:
            if line is not None and self._latest_for_line.get(line, change) > change:
                return  # a newer change to this line replaces this one
            try:
                cart = operation(self.backend)
            except DomainError as error:
                self.post_message(Refused(error))
                return
        self.post_message(self.Loaded(cart, change))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.change < self._shown_change:
            return
        self._shown_change = message.change
        self.show_cart(message.cart)

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.own_write_refused(ChangeKind.CART)
        self._status(error_text(message.error), error=True)
        if not isinstance(message.error, NotAuthenticated):  # no reading without a session
            self.load()  # show what the store holds now

    def show_cart(self, cart: Cart) -> None:
        self.cart = cart
        company = self.company
        table = self.query_one("#cart-lines", FlexTable)
        if [c.label for c in table.specs] != [c.label for c in cart_columns(company)]:
            table.specs = cart_columns(company)
        current = table.current_key
        table.fill([(line_key(line), line_cells(line, company)) for line in cart.lines])
        table.move_to_key(current)  # the line under the cursor stays there
        table.set_class(cart.is_empty, "-empty")
        self.query_one("#cart-empty").set_class(not cart.is_empty, "-hidden")
        self.query_one("#cart-summary").display = not cart.is_empty
        self.query_one("#cart-totals", Static).update(totals_table(cart, company))
        self.query_one("#cart-promotions", Static).update(
            data_text("\n".join(promotion_lines(cart, company)), multiline=True))
        self.refresh_bindings()

    def _status(self, text: str, *, error: bool = False) -> None:
        self.query_one("#cart-status", StatusLine).show(text, error=error)

    # --- changing lines --------------------------------------------------------------------
    def _current_line(self) -> CartLine | None:
        if self.cart is None:
            return None
        key = self.query_one("#cart-lines", FlexTable).current_key
        return next((line for line in self.cart.lines if line_key(line) == key), None)

    def _editable_line(self) -> CartLine | None:
        line = self._current_line()
        if line is not None and line.is_gift:
            self._status(_("A gift comes with the cart; it cannot be changed."), error=True)
            return None
        return line

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        empty = self.cart is None or self.cart.is_empty
        if action in {"more", "less", "remove", "checkout", "pay_with_points"}:
            return not empty
        if action == "undo_remove":
            return self._removed is not None
        if action == "delivery_product":
            return not empty and self._delivery_offer() is not None
        return True

    def _set_quantity(self, line: CartLine, quantity: int) -> None:
        """Show the new quantity at once and write it in the background."""
        code = line.product.code
        self._status("")
        self._changes += 1
        table = self.query_one("#cart-lines", FlexTable)
        row = table.row_keys.index(line_key(line))
        table.update_cell_at(Coordinate(row, 2), right(str(quantity)))
        assert self.cart is not None
        self.cart = _with_quantity(self.cart, code, quantity)
        self._run(self._changes, code,
                  lambda backend: backend.set_cart_quantity(code, quantity))

    def action_more(self) -> None:
        line = self._editable_line()
        if line is not None:
            self._set_quantity(line, line.quantity + 1)

    def action_less(self) -> None:
        line = self._editable_line()
        if line is None:
            return
        if line.quantity <= 1:
            self._status(_("Delete removes the line."))
            return
        self._set_quantity(line, line.quantity - 1)

    def action_remove(self) -> None:
        line = self._editable_line()
        if line is None:
            return
        code = line.product.code
        self._changes += 1
        self._removed = line
        self.refresh_bindings()
        self._status(_("Removed {name}. U puts it back.").format(name=line.product.name))
        self._run(self._changes, code, lambda backend: backend.remove_from_cart(code))

    def action_undo_remove(self) -> None:
        line, self._removed = self._removed, None
        if line is None:
            return
        code, quantity = line.product.code, line.quantity
        self._changes += 1
        self.refresh_bindings()
        self._status(_("{name} is back in the cart.").format(name=line.product.name))
        self._run(self._changes, code, lambda backend: backend.add_to_cart(code, quantity))

    @on(DataTable.RowSelected, "#cart-lines")
    def _edit_quantity(self) -> None:
        self._ask_quantity(None)

    def on_key(self, event: events.Key) -> None:
        # A digit typed on a line opens the quantity dialog with that digit in it.
        if event.character and event.character.isdecimal() and isinstance(
                self.focused, FlexTable):
            event.stop()
            self._ask_quantity(int(event.character))

    def _ask_quantity(self, typed: int | None) -> None:
        line = self._editable_line()
        if line is None:
            return
        dialog = (SetQuantityScreen(line.product, typed, select=False) if typed is not None
                  else SetQuantityScreen(line.product, line.quantity))
        self.app.push_screen(dialog, self._quantity_set)

    def _quantity_set(self, result: Added | None) -> None:
        if result is not None:
            self._changes += 1
            self._shown_change = self._changes
            self.show_cart(result.cart)

    def _delivery_offer(self) -> str | None:
        if self.cart is None:
            return None
        return next((p.promotion.product_code for p in self.cart.promotions
                     if p.promotion.kind is PromotionKind.DELIVERY_PRODUCT), None)

    def action_delivery_product(self) -> None:
        if self.cart is None:
            return
        code = None if self.cart.delivery_product_code else self._delivery_offer()
        self._changes += 1
        self._run(self._changes, DELIVERY_KEY,
                  lambda backend: backend.choose_delivery_product(code))

    def action_pay_with_points(self) -> None:
        """Switch the line between money and wallet points; shown at once, written behind."""
        line = self._editable_line()
        if line is None or self.cart is None:
            return
        code, with_points = line.product.code, not line.paid_with_points
        self._status("")
        self._changes += 1
        self.cart = _with_points(self.cart, code, with_points)
        self._run(self._changes, POINTS_KEY + code,
                  lambda backend: backend.set_paid_with_points(code, with_points))

    def action_checkout(self) -> None:
        if self.cart is None or self.cart.is_empty:
            return
        from mlm_tui.screens.checkout import CheckoutScreen

        self.app.push_screen(CheckoutScreen())


def _with_points(cart: Cart, code: str, with_points: bool) -> Cart:
    """The cart until the store answers: a second press toggles back from the new state."""
    from dataclasses import replace

    lines = tuple(replace(line, paid_with_points=with_points)
                  if line.product.code == code and not line.is_gift else line
                  for line in cart.lines)
    return replace(cart, lines=lines)


def _with_quantity(cart: Cart, code: str, quantity: int) -> Cart:
    """The cart as shown until the store answers: only the line's quantity differs."""
    from dataclasses import replace

    lines = tuple(replace(line, quantity=quantity)
                  if line.product.code == code and not line.is_gift else line
                  for line in cart.lines)
    return replace(cart, lines=lines)
