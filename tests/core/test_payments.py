"""A top-up is a payment request, not money: pending until the provider, the bank statement
or the service confirms it; then credited once, the ledger naming who confirmed it. An
order paid elsewhere is paid, and earns its points, the same way."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from mlm_tui.core.company import profile_from_json, profile_to_json
from mlm_tui.core.errors import Conflict, Forbidden, NotFound, ValidationError
from mlm_tui.core.local import payments
from mlm_tui.core.local import schema as t
from mlm_tui.core.models import (
    Checkout,
    DeliveryMethod,
    LedgerKind,
    OrderStatus,
    PaymentMethod,
    PaymentSource,
    PaymentState,
    TopUpMethod,
)
from mlm_tui.core.money import Money
from mlm_tui.core.statements import read_statement
from tests import world

SAMPLE = Path(__file__).parent.parent / "data" / "camt053-three-transfers.xml"


def rub(amount: str) -> Money:
    return Money(Decimal(amount), "RUB")


def confirm(backend, reference: str, **changes):
    options = dict(now=world.NOW, source=PaymentSource.SERVICE, decided_by="irina.service")
    return payments.confirm_payment(backend.store, reference, **{**options, **changes})


def ledger_rows(backend) -> int:
    with backend.store.read() as conn:
        return conn.execute(select(func.count()).select_from(t.balance_ledger)).scalar_one()


def test_a_top_up_stays_pending_and_credits_nothing_until_confirmed(anna):
    request = anna.top_up(rub("1500"), TopUpMethod.CARD)
    assert (request.reference, request.state, request.amount) == (
        "TU-2611-000001", PaymentState.PENDING, rub("1500"))
    assert anna.balance() == rub("10000")
    assert len(anna.balance_ledger().items) == 1
    assert anna.payment_requests() == [request]
    assert anna.wallet_overview().payment_requests == (request,)


def test_the_service_confirms_a_top_up_and_the_ledger_names_it(anna):
    request = anna.top_up(rub("1500"), TopUpMethod.TERMINAL)
    case = confirm(anna, request.reference)
    assert case.request.state is PaymentState.CONFIRMED
    assert case.registration_number == world.ANNA.registration_number
    assert anna.balance() == rub("11500")
    entry = anna.balance_ledger().items[0]
    assert (entry.kind, entry.amount, entry.note, entry.source) == (
        LedgerKind.TOP_UP, rub("1500"), request.reference, PaymentSource.SERVICE)
    assert anna.payment_requests() == []
    assert anna.notifications()[0].title == f"Top-up {request.reference} confirmed"


def test_a_payment_is_decided_once(anna):
    request = anna.top_up(rub("100"), TopUpMethod.CARD)
    confirm(anna, request.reference)
    with pytest.raises(Conflict):
        confirm(anna, request.reference)
    with pytest.raises(Conflict):
        payments.reject_payment(anna.store, request.reference, now=world.NOW, reason="late",
                                source=PaymentSource.SERVICE, decided_by="x")
    assert anna.balance() == rub("10100")


def test_a_refused_top_up_credits_nothing_and_says_why(anna):
    request = anna.top_up(rub("700"), TopUpMethod.TRANSFER)
    payments.reject_payment(anna.store, request.reference, now=world.NOW,
                            reason="no transfer arrived in 14 days",
                            source=PaymentSource.SERVICE, decided_by="irina.service")
    assert anna.balance() == rub("10000")
    (shown,) = anna.payment_requests()
    assert (shown.state, shown.note) == (PaymentState.REJECTED, "no transfer arrived in 14 days")


def test_an_unknown_reference_is_named(anna):
    with pytest.raises(NotFound) as caught:
        confirm(anna, "TU-2611-000404")
    assert caught.value.field == "reference"


def test_the_demo_payment_step_is_refused_on_a_real_store(anna):
    request = anna.top_up(rub("100"), TopUpMethod.CARD)
    with pytest.raises(Forbidden):
        anna.confirm_demo_payment(request.reference)
    assert anna.balance() == rub("10000")


def _make_demo(backend) -> None:
    with backend.store.write() as conn:
        profile = profile_from_json(conn.execute(select(t.company.c.profile)).scalar_one())
        conn.execute(update(t.company).values(
            profile=profile_to_json(replace(profile, demo_payments=True))))


def test_on_a_demo_store_the_member_confirms_her_own_top_up_as_a_demo(anna):
    _make_demo(anna)
    anna._company = None  # the profile as the store now has it
    request = anna.top_up(rub("250"), TopUpMethod.CARD)
    paid = anna.confirm_demo_payment(request.reference)
    assert paid.state is PaymentState.CONFIRMED and paid.source is PaymentSource.DEMO
    assert anna.balance() == rub("10250")
    assert anna.balance_ledger().items[0].source is PaymentSource.DEMO


def test_nobody_confirms_another_members_top_up_as_a_demo(backend):
    _make_demo(backend)
    backend.login(world.OLGA_MSK.registration_number, world.PASSWORD)
    olgas = backend.top_up(rub("300"), TopUpMethod.CARD)
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    with pytest.raises(NotFound):
        backend.confirm_demo_payment(olgas.reference)


def _order_at_service_centre(anna):
    anna.add_to_cart("32548", 2)
    return anna.place_order(Checkout(DeliveryMethod.SERVICE_CENTRE,
                                     PaymentMethod.SERVICE_CENTRE, "sc-1",
                                     pickup_point="SC-MSK-1"))


def test_an_order_paid_at_the_service_centre_is_paid_and_earns_when_confirmed(anna):
    order = _order_at_service_centre(anna)
    wallet = anna.points_wallet()
    assert anna.order(order.number).status is OrderStatus.PLACED
    later = world.NOW + timedelta(days=1)
    case = confirm(anna, order.number, now=later)
    assert case.request.order_number == order.number
    paid = anna.order(order.number)
    assert (paid.status, paid.paid_at) == (OrderStatus.PAID, later)
    assert anna.points_wallet() == wallet + Decimal("2.5")
    assert anna.balance() == rub("10000")  # paid elsewhere: the balance is not touched


def test_a_cancelled_orders_payment_is_no_longer_awaited(anna):
    order = _order_at_service_centre(anna)
    anna.cancel_order(order.number)
    with pytest.raises(Conflict):
        confirm(anna, order.number)
    assert payments.find_payment(anna.store, order.number).request.state is (
        PaymentState.CANCELLED)


# --- the provider's notifications ----------------------------------------------------------


def _event(reference: str, event_id: str = "evt_1", **changes) -> payments.ProviderEvent:
    event = payments.ProviderEvent(event_id, reference, True, Decimal("1500"), "RUB")
    return replace(event, **changes)


def test_a_providers_notification_credits_once_however_often_it_comes(anna):
    request = anna.top_up(rub("1500"), TopUpMethod.CARD)
    event = _event(request.reference)
    assert payments.receive_provider_event(anna.store, event, now=world.NOW) == "confirmed"
    assert payments.receive_provider_event(anna.store, event, now=world.NOW) == "duplicate"
    assert anna.balance() == rub("11500")
    assert anna.balance_ledger().items[0].source is PaymentSource.PROVIDER


def test_a_declined_payment_is_refused_and_credits_nothing(anna):
    request = anna.top_up(rub("1500"), TopUpMethod.CARD)
    assert payments.receive_provider_event(
        anna.store, _event(request.reference, succeeded=False), now=world.NOW) == "rejected"
    assert anna.balance() == rub("10000")
    assert anna.payment_requests()[0].state is PaymentState.REJECTED


@pytest.mark.parametrize("changes", [dict(amount=Decimal("15000")), dict(currency="EUR")],
                         ids=["another amount", "another currency"])
def test_a_notification_for_other_money_credits_nothing(anna, changes):
    request = anna.top_up(rub("1500"), TopUpMethod.CARD)
    with pytest.raises(ValidationError):
        payments.receive_provider_event(anna.store, _event(request.reference, **changes),
                                        now=world.NOW)
    assert anna.balance() == rub("10000")
    assert anna.payment_requests()[0].state is PaymentState.PENDING


# --- bank statements -----------------------------------------------------------------------


def test_a_camt053_statement_credits_two_transfers_and_reports_the_unknown_one(backend):
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    annas = backend.top_up(rub("1500"), TopUpMethod.TRANSFER)
    backend.login(world.OLGA_MSK.registration_number, world.PASSWORD)
    olgas = backend.top_up(rub("2000"), TopUpMethod.TRANSFER)
    assert (annas.reference, olgas.reference) == ("TU-2611-000001", "TU-2611-000002")
    entries = read_statement(SAMPLE.read_bytes())
    assert len(entries) == 3  # the account fee is a debit: no transfer to match

    report = payments.import_statement(backend.store, entries, now=world.NOW,
                                       decided_by="statement 231")
    assert [line.reference for line in report.credited] == [annas.reference, olgas.reference]
    (unknown,) = report.not_matched
    assert (unknown.entry.amount, unknown.why_not) == (Decimal("750.00"), "unknown reference")
    assert backend.balance() == rub("2500")  # Olga's 500 and her 2000
    assert backend.balance_ledger().items[0].source is PaymentSource.STATEMENT

    rows = ledger_rows(backend)
    again = payments.import_statement(backend.store, entries, now=world.NOW,
                                      decided_by="statement 231")
    assert again.credited == () and ledger_rows(backend) == rows
    assert [line.why_not for line in again.not_matched] == [
        "already confirmed", "already confirmed", "unknown reference"]


def test_a_transfer_of_another_amount_is_reported_not_credited(anna):
    anna.top_up(rub("1000"), TopUpMethod.TRANSFER)
    entries = read_statement(
        b"booked_on;amount;currency;reference;payer\n"
        b"2026-11-20;999,00;RUB;TU2611000001;Anna\n")
    report = payments.import_statement(anna.store, entries, now=world.NOW, decided_by="csv")
    assert report.credited == ()
    line = report.not_matched[0]
    assert line.why_not.format(**line.why_params) == "amount differs from the 1000.00 requested"
    assert anna.balance() == rub("10000")


def test_a_csv_statement_credits_by_the_reference_quoted(anna):
    request = anna.top_up(rub("1234.50"), TopUpMethod.TRANSFER)
    entries = read_statement(
        b"booked_on,amount,currency,reference,payer\n"
        b"2026-11-20,1234.50,RUB,Payment for tu-2611-000001,Anna Smirnova\n"
        b"2026-11-20,10.00,RUB,no reference at all,Someone\n")
    report = payments.import_statement(anna.store, entries, now=world.NOW, decided_by="csv")
    assert [line.reference for line in report.credited] == [request.reference]
    assert [line.why_not for line in report.not_matched] == [
        "no reference in the transfer's text"]
    assert anna.balance() == rub("11234.50")


@pytest.mark.parametrize("data", [
    b"<?xml version='1.0'?><!DOCTYPE d [<!ENTITY a 'aaaa'>]><Document>&a;</Document>",
    b"<Document><Other/></Document>",
    b"<Document",
    b"date,amount\n2026-11-20,5\n",
], ids=["entities", "not camt.053", "broken XML", "CSV without its columns"])
def test_a_statement_that_cannot_be_read_is_refused_whole(data):
    with pytest.raises(ValidationError):
        read_statement(data)
