"""Checkout: confirm your details (masked), choose delivery and payment, see the summary,
place the order and read its number.

Only the ways to pay that go with the chosen delivery are offered (cash to the courier
only for a courier, payment at the service centre only for a pickup there). An order not
paid from the balance earns its points when it is paid, and the screen says so.

One visit to this screen is one checkout attempt with one idempotency key: pressing
"place" again after a failure (say, the connection dropped) sends the same key, so the
order can never be placed twice. Paying from the balance shows the balance and, when
it is not enough, the shortfall before anything is sent. The summary shows the wallet
points the lines paid with points spend; when the wallet no longer covers them the
refusal shows above the button and nothing is placed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from rich.table import Table
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, ContentSwitcher, RadioButton, RadioSet, Static

from mlm_tui.core.errors import InsufficientBalance, Offline
from mlm_tui.core.models import (
    Cart,
    Checkout,
    CompanyProfile,
    DeliveryMethod,
    Member,
    Order,
    PaymentMethod,
)
from mlm_tui.core.money import Money
from mlm_tui.core.offline.covered import check_covered
from mlm_tui.core.privacy import mask_address, mask_email, mask_phone
from mlm_tui.core.rules.payment import payment_methods_for
from mlm_tui.display import data_text
from mlm_tui.i18n import N_, _
from mlm_tui.messages import AccountChanged, Refused
from mlm_tui.navigation import DESTINATIONS
from mlm_tui.screens.base import AppScreen, back_binding
from mlm_tui.screens.cart import totals_table
from mlm_tui.widgets.choice import ChoiceButton
from mlm_tui.widgets.errors import error_text
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.form import clear_error_line, error_line, show_error_line
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.money import money_text, points_text

COURIER = "courier"


def payment_label(method: PaymentMethod) -> str:
    return {
        PaymentMethod.BALANCE: _("From my balance"),
        PaymentMethod.SERVICE_CENTRE: _("At the service centre"),
        PaymentMethod.CASH_TO_COURIER: _("Cash to the courier"),
        PaymentMethod.INSTALMENTS: _("In instalments"),
    }[method]


def delivery_label(method: DeliveryMethod) -> str:
    return {
        DeliveryMethod.PICKUP_POINT: _("Pickup point"),
        DeliveryMethod.SERVICE_CENTRE: _("Service centre"),
        DeliveryMethod.COURIER: _("Courier"),
    }[method]


def details_table(member: Member) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    rows = [
        (_("Name"), member.full_name),
        (_("Registration number"), member.registration_number),
        (_("E-mail"), mask_email(member.email)),
        (_("Phone"), mask_phone(member.phone)),
        (_("Address"), mask_address(member.address)),
    ]
    for label, value in rows:
        grid.add_row(label, data_text(value))
    return grid


def balance_note(balance: Money, to_pay: Money, company: CompanyProfile | None) -> tuple[str, bool]:
    """What paying from the balance means; True when the balance is short."""
    if balance < to_pay:
        return ("✗ " + _("Your balance holds {balance}: short by {shortfall}. Top it up or "
                         "choose another way to pay.").format(
            balance=money_text(balance, company),
            shortfall=money_text((to_pay - balance).rounded(), company)), True)
    return (_("Your balance holds {balance}; {left} stay on it after this order.").format(
        balance=money_text(balance, company),
        left=money_text((balance - to_pay).rounded(), company)), False)


class CheckoutScreen(AppScreen[None]):
    DEFAULT_CSS = """
    CheckoutScreen ContentSwitcher { height: 1fr; }
    CheckoutScreen #checkout-form { height: 1fr; }
    CheckoutScreen #checkout-choices { height: 1fr; padding: 0 1; }
    CheckoutScreen #checkout-bottom { height: auto; border-top: solid $primary; padding: 0 1; }
    CheckoutScreen .section { text-style: bold underline; height: 1; }
    CheckoutScreen RadioSet { width: 100%; height: auto; }
    CheckoutScreen .note { height: auto; padding: 0 1; }
    CheckoutScreen .note.-error, CheckoutScreen .field-error { color: $text-error; }
    CheckoutScreen .field-error { height: auto; padding: 0 1; }
    CheckoutScreen .field-error.-empty { display: none; }
    CheckoutScreen #place { margin: 0 0 0 1; }
    CheckoutScreen #placed { padding: 1 2; }
    CheckoutScreen #placed-number { text-style: bold; height: auto; }
    CheckoutScreen #placed-details { height: auto; margin-top: 1; }
    """

    BINDINGS = [
        Binding("ctrl+s", "place", N_("Place the order"), id="checkout.place"),
        back_binding("checkout.back"),
    ]

    @dataclass
    class Loaded(Message):
        member: Member
        cart: Cart
        balance: Money

    @dataclass
    class Placed(Message):
        order: Order

    @dataclass
    class Queued(Message):
        """The server could not be reached: the order waits in the outbox."""

        number: str

    def __init__(self) -> None:
        super().__init__()
        # One key per attempt: a retry after a failure sends the same key.
        self.idempotency_key = str(uuid.uuid4())
        self.cart: Cart | None = None
        self.balance: Money | None = None
        self.order: Order | None = None
        self.order_queued: str | None = None
        self.placing = False

    @property
    def company(self) -> CompanyProfile | None:
        return self.mlm_app.company

    def compose(self) -> ComposeResult:
        company = self.company
        yield AccountHeader()
        with ContentSwitcher(initial="checkout-form"):
            with Vertical(id="checkout-form"):
                with VerticalScroll(id="checkout-choices"):
                    yield Static(_("1. Your details"), classes="section")
                    yield Static(_("Loading…"), id="details")
                    yield Static(_("2. Delivery"), classes="section")
                    with RadioSet(id="delivery"):
                        for point in company.pickup_points if company else ():
                            yield ChoiceButton(data_text(
                                f"{delivery_label(point.kind)}: {point.name} "
                                f"— {point.address}", end=""), id=f"pickup-{point.code}")
                        yield ChoiceButton(_("Courier to my address"), id=COURIER)
                    yield error_line("delivery-error")
                    yield Static(_("3. Payment"), classes="section")
                    with RadioSet(id="payment"):
                        for method in company.payment_methods if company else ():
                            yield ChoiceButton(payment_label(method), id=f"pay-{method.value}")
                # Always in sight: what it costs, whether the balance covers it, the button.
                with Vertical(id="checkout-bottom"):
                    yield Static("", id="summary")
                    yield Static("", id="payment-note", classes="note", markup=False)
                    yield error_line("checkout-error")
                    yield Button(_("Place the order (Ctrl+S)"), id="place", variant="primary",
                                 compact=True)
            with Vertical(id="placed"):
                yield Static("", id="placed-number", markup=False)
                yield Static("", id="placed-details")
                yield Static(_("Enter: back to the catalog."), id="placed-hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Checkout")
        for set_id in ("delivery", "payment"):
            buttons = list(self.query_one(f"#{set_id}", RadioSet).query(RadioButton))
            if buttons:
                buttons[0].value = True
        self.set_focus(self.query_one("#delivery", RadioSet))
        self._fit_payments()
        self.load()

    # --- loading ---------------------------------------------------------------------------
    def load(self) -> None:
        def ask() -> Message:
            start = self.backend.checkout_overview()  # one request for the whole screen
            return self.Loaded(start.member, start.cart, start.balance)

        self.in_background(ask, group="checkout-load", refused=True)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.cart, self.balance = message.cart, message.balance
        self.query_one("#details", Static).update(details_table(message.member))
        self.query_one("#summary", Static).update(totals_table(message.cart, self.company))
        if message.cart.is_empty:
            self._error("checkout-error", _("The cart is empty: there is nothing to order."))
            self.query_one("#place", Button).disabled = True
        self._payment_note()

    # --- choices ---------------------------------------------------------------------------
    @property
    def payment_method(self) -> PaymentMethod | None:
        # Read from the buttons: a choice made for the delivery (see _fit_payments) is set
        # while the radio set's own messages are held back, so its pressed_button may lag.
        pressed = next((button for button in self.query_one("#payment", RadioSet)
                        .query(RadioButton) if button.value and not button.disabled), None)
        if pressed is None or not pressed.id:
            return None
        return PaymentMethod(pressed.id.removeprefix("pay-"))

    def _delivery(self) -> tuple[DeliveryMethod, str | None] | None:
        pressed = self.query_one("#delivery", RadioSet).pressed_button
        if pressed is None or not pressed.id:
            return None
        if pressed.id == COURIER:
            return DeliveryMethod.COURIER, None
        code = pressed.id.removeprefix("pickup-")
        company = self.company
        point = next(p for p in company.pickup_points if p.code == code) if company else None
        return (point.kind if point else DeliveryMethod.PICKUP_POINT), code

    @on(RadioSet.Changed, "#payment")
    def _payment_changed(self, event: RadioSet.Changed) -> None:
        for button in event.radio_set.query(RadioButton):  # one way to pay at a time
            if button is not event.pressed:
                button.value = False
        self._clear_error("checkout-error")
        self._payment_note()

    @on(RadioSet.Changed, "#delivery")
    def _delivery_changed(self) -> None:
        self._clear_error("delivery-error")
        self._fit_payments()

    def _fit_payments(self) -> None:
        """Offer only the ways to pay that go with the delivery chosen (no cash to a
        courier for a pickup); a way that no longer fits gives way to the first that does."""
        delivery, company = self._delivery(), self.company
        if delivery is None or company is None:
            return
        fitting = set(payment_methods_for(delivery[0], company))
        buttons = list(self.query_one("#payment", RadioSet).query(RadioButton))
        for button in buttons:
            fits = PaymentMethod((button.id or "").removeprefix("pay-")) in fitting
            button.disabled = not fits
            button.display = fits
            if not fits:
                button.value = False
        offered = [button for button in buttons if not button.disabled]
        if offered and not any(button.value for button in offered):
            offered[0].value = True

    def _payment_note(self) -> None:
        note = self.query_one("#payment-note", Static)
        method = self.payment_method
        if method is PaymentMethod.BALANCE and self.balance is not None and self.cart:
            text, short = balance_note(self.balance, self.cart.to_pay, self.company)
        else:
            text, short = "", False
        note.update(data_text(text))
        note.set_class(short, "-error")

    def _error(self, widget_id: str, text: str) -> None:
        show_error_line(self.query_one(f"#{widget_id}", Static), text)

    def _clear_error(self, widget_id: str) -> None:
        clear_error_line(self.query_one(f"#{widget_id}", Static))

    # --- placing ---------------------------------------------------------------------------
    @on(Button.Pressed, "#place")
    def action_place(self) -> None:
        if self.done:
            self._to_catalog()
            return
        if self.placing or self.cart is None or self.cart.is_empty:
            return
        self._clear_error("delivery-error")
        self._clear_error("checkout-error")
        delivery = self._delivery()
        method = self.payment_method
        if delivery is None:
            self._error("delivery-error", _("Choose where to receive the order."))
            return
        if method is None:
            self._error("checkout-error", _("Choose how to pay."))
            return
        checkout = Checkout(delivery_method=delivery[0], payment_method=method,
                            idempotency_key=self.idempotency_key, pickup_point=delivery[1])
        self.placing = True
        self.query_one("#place", Button).disabled = True
        self.query_one("#place", Button).label = _("Placing the order…")
        self.place(checkout)

    def place(self, checkout: Checkout) -> None:
        cart = self.cart

        def ask() -> Message:
            try:
                order = self.backend.place_order(checkout)
            except Offline:
                if cart is None or not self.mlm_app.settings.server_url:
                    raise
                # Queued only if what is kept of the balance and the wallet covers it.
                account = self.mlm_app.account
                company = self.mlm_app.company
                if company is not None:
                    check_covered(cart, checkout, self.balance,
                                  account.points if account else None, company)
                # The cart as shown goes to the outbox under this checkout's key: should
                # the request have reached the server, the order it placed is the answer.
                return self.Queued(self.mlm_app.queue_offline(cart, checkout))
            return self.Placed(order)

        self.in_background(ask, group="checkout-place", refused=True)

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.placing = False
        button = self.query_one("#place", Button)
        button.disabled = False
        button.label = _("Place the order (Ctrl+S)")
        error = message.error
        if isinstance(error, InsufficientBalance):
            # The note under the payment already says what is missing; point at it.
            self._payment_note()
            self.set_focus(self.query_one("#payment", RadioSet))
        elif error.field in {"pickup_point", "delivery_method"}:
            self._error("delivery-error", error_text(error))
            self.set_focus(self.query_one("#delivery", RadioSet))
        elif error.field == "payment_method":
            self._error("checkout-error", error_text(error))
            self.set_focus(self.query_one("#payment", RadioSet))
        else:
            self._error("checkout-error", error_text(error))

    @on(Placed)
    def _placed(self, message: Placed) -> None:
        order = message.order
        self.order = order
        company = self.company
        self.query_one("#placed-number", Static).update(
            data_text("✓ " + _("Order {number} is placed.").format(number=order.number)))
        paid = (_("paid from your balance") if order.payment_method is PaymentMethod.BALANCE
                else payment_label(order.payment_method))
        details = Table.grid(padding=(0, 2))
        details.add_column(style="bold", no_wrap=True)
        details.add_column()
        details.add_row(_("To pay"), f"{money_text(order.total, company)} — {paid}")
        points = points_text(order.points, company)
        if order.points_pending:
            points = _("{points} — earned when the order is paid").format(points=points)
        details.add_row(_("Points"), data_text(points))
        if order.points_spent:
            details.add_row(_("Paid with points"),
                            data_text(points_text(order.points_spent, company)))
        details.add_row(_("Delivery"), data_text(self._delivery_text(order)))
        if order.invoice_number:
            details.add_row(_("Invoice"), data_text(order.invoice_number))
        self.query_one("#placed-details", Static).update(details)
        self.query_one(ContentSwitcher).current = "placed"
        self.title = _("Order placed")
        self.refresh_bindings()
        self.post_message(AccountChanged())

    @property
    def done(self) -> bool:
        """Placed, or queued to be placed: nothing more to do here."""
        return self.order is not None or self.order_queued is not None

    @on(Queued)
    def _queued(self, message: Queued) -> None:
        self.order_queued = message.number
        self.query_one("#placed-number", Static).update(data_text("✓ " + _(
            "Order {number} is queued: it is sent when the server answers again."
        ).format(number=message.number)))
        self.query_one("#placed-details", Static).update(data_text(_(
            "The outbox (F11) shows it; should its price change meanwhile, it waits there "
            "for your decision.")))
        self.query_one(ContentSwitcher).current = "placed"
        self.title = _("Order queued")
        self.refresh_bindings()
        self.mlm_app.refresh_outbox_counts()

    def _delivery_text(self, order: Order) -> str:
        if order.delivery_method is DeliveryMethod.COURIER:
            return _("Courier to your address")
        company = self.company
        point = next((p for p in company.pickup_points if p.code == order.pickup_point),
                     None) if company else None
        return point.name if point else (order.pickup_point or "")

    def key_enter(self) -> None:
        if self.done:
            self._to_catalog()

    def _to_catalog(self) -> None:
        # Later, on the app's own loop: this screen is among those the move takes away.
        self.app.call_later(self.app.run_action, f"go('{DESTINATIONS[0].id}')")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "place":
            return not self.done
        return True
