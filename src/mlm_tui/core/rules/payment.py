"""How an order may be paid, given where it is received, and when it counts as paid.

The company's ways to pay (the advance on the balance, at the service centre, cash to
the courier, instalments) are not all possible everywhere: cash goes to a courier only
when a courier brings the order, and paying at the service centre means collecting it
there. The balance works for any delivery.

Instalments are not offered, whatever a company's settings say: nothing yet keeps their
schedule (due dates, reminders, what is owed, what a missed one does), and a way to pay
that only promises is not one. Orders placed so before keep their way to pay.

Only an order paid from the balance is paid when it is placed. Any other way is paid
later (at the door, at the counter, to the bank); until then the order has earned no
points and no wallet points.
"""

from __future__ import annotations

from mlm_tui.core.models import CompanyProfile, DeliveryMethod, PaymentMethod

_WAYS_BY_DELIVERY: dict[DeliveryMethod, frozenset[PaymentMethod]] = {
    DeliveryMethod.COURIER: frozenset({
        PaymentMethod.BALANCE, PaymentMethod.CASH_TO_COURIER, PaymentMethod.INSTALMENTS}),
    DeliveryMethod.SERVICE_CENTRE: frozenset({
        PaymentMethod.BALANCE, PaymentMethod.SERVICE_CENTRE, PaymentMethod.INSTALMENTS}),
    DeliveryMethod.PICKUP_POINT: frozenset({
        PaymentMethod.BALANCE, PaymentMethod.INSTALMENTS}),
}
# Taken back from the checkout until they are real; orders paid so before keep them.
WITHDRAWN = frozenset({PaymentMethod.INSTALMENTS})


def payment_methods_for(delivery: DeliveryMethod,
                        company: CompanyProfile) -> tuple[PaymentMethod, ...]:
    """The company's ways to pay that fit this delivery and are offered, in the company's
    order."""
    return tuple(m for m in payment_methods_once_for(delivery, company) if m not in WITHDRAWN)


def payment_methods_once_for(delivery: DeliveryMethod,
                             company: CompanyProfile) -> tuple[PaymentMethod, ...]:
    """The ways an order with this delivery could be paid before some were withdrawn:
    what an order history (the demo's) may hold."""
    return tuple(m for m in company.payment_methods if m in _WAYS_BY_DELIVERY[delivery])


def paid_when_placed(method: PaymentMethod) -> bool:
    return method is PaymentMethod.BALANCE


def paid_on_confirmation(method: PaymentMethod) -> bool:
    """Paid elsewhere in one sum (at the service centre, to the courier): the order is
    paid, and earns its wallet points, when the company confirms the money arrived."""
    return method in (PaymentMethod.SERVICE_CENTRE, PaymentMethod.CASH_TO_COURIER)
