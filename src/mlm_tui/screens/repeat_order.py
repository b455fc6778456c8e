"""Repeat an earlier order: its lines go into the cart (what is no longer sold is skipped).

Type the order number or pick one of the latest own orders. A number that is not
found is shown at the field. Dismisses with (order number, the cart) or ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from mlm_tui.core.errors import DomainError
from mlm_tui.core.models import Cart, OrderFilter, OrderSummary
from mlm_tui.core.rules.typed_numbers import ascii_digits
from mlm_tui.display import data_text
from mlm_tui.formats import shown_locale
from mlm_tui.i18n import N_, _
from mlm_tui.messages import Refused
from mlm_tui.screens.base import AppModalScreen
from mlm_tui.widgets.errors import error_text
from mlm_tui.widgets.form import FormField
from mlm_tui.widgets.money import money_text, points_text

RECENT = 8


class RepeatOrderScreen(AppModalScreen[tuple[str, Cart] | None]):
    DEFAULT_CSS = """
    RepeatOrderScreen { align: center middle; }
    RepeatOrderScreen > Vertical {
        width: 70; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    RepeatOrderScreen OptionList { height: auto; max-height: 10; }
    RepeatOrderScreen .hint { color: $text-muted; height: auto; }
    """

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="repeat.cancel"),
    ]

    @dataclass
    class Recent(Message):
        orders: list[OrderSummary]

    @dataclass
    class Repeated(Message):
        number: str
        cart: Cart

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = _("Repeat an order")
            yield FormField(_("Order number"), "order_number")
            yield Static(_("Your latest orders (Down, then Enter picks one):"), classes="hint")
            yield OptionList(id="recent-orders")
            yield Static(_("Enter repeats the order, Escape cancels."), classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#order_number", Input))
        self.load_recent()

    @work(thread=True, exclusive=True, exit_on_error=False, group="repeat-recent")
    def load_recent(self) -> None:
        session = self.mlm_app.session
        try:
            member_id = session.member_id if session else None
            page = self.backend.orders_page(
                OrderFilter(member_id=member_id), limit=RECENT)
        except DomainError:
            return  # the list is a convenience; typing the number still works
        self.post_message(self.Recent(list(page.items)))

    @on(Recent)
    def _recent(self, message: Recent) -> None:
        from mlm_tui.core.dates import format_day

        company = self.mlm_app.company
        locale = shown_locale(company.locale) if company else "en"
        options = self.query_one("#recent-orders", OptionList)
        options.clear_options()
        for order in message.orders:
            options.add_option(Option(data_text(
                f"{order.number}  {format_day(order.placed_at, locale)}  "
                f"{money_text(order.total, company)}  {points_text(order.points, company)}",
                end=""), id=order.number))
        if not message.orders:
            options.add_option(Option(_("No orders yet."), disabled=True))

    def key_down(self) -> None:
        if self.focused is self.query_one("#order_number", Input):
            self.set_focus(self.query_one("#recent-orders", OptionList))

    @on(OptionList.OptionSelected, "#recent-orders")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.query_one("#order_number", Input).value = event.option.id
            self._repeat(event.option.id)

    @on(Input.Submitted, "#order_number")
    def _submitted(self, event: Input.Submitted) -> None:
        self._repeat(ascii_digits(event.value.strip()))

    def _repeat(self, number: str) -> None:
        field = self.query_one("#order_number-field", FormField)
        field.clear_error()
        if not number:
            field.show_error(_("Enter an order number."))
            return
        self.repeat(number)

    def repeat(self, number: str) -> None:
        def ask() -> Message:
            cart = self.backend.repeat_order(number)
            return self.Repeated(number, cart)

        self.in_background(ask, group="repeat", refused=True)

    @on(Repeated)
    def _repeated(self, message: Repeated) -> None:
        self.dismiss((message.number, message.cart))

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        field = self.query_one("#order_number-field", FormField)
        field.show_error(error_text(message.error))
        self.set_focus(field.input)

    def action_cancel(self) -> None:
        self.dismiss(None)
