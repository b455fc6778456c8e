"""Claims (returns) on delivered invoices, and the notifications inbox."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy import inspect as sa_inspect

from mlm_tui.core.company import profile_from_json, profile_to_json
from mlm_tui.core.errors import Conflict, NotFound, ValidationError
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.claim_decisions import accept_claim, find_claim, list_claims, reject_claim
from mlm_tui.core.local.claims import MAX_REASON
from mlm_tui.core.models import ClaimLine, ClaimStatus, LedgerKind, NotificationKind
from mlm_tui.core.money import Money
from tests import world

pytestmark = pytest.mark.usefixtures("world_orders")

DELIVERED = world.INVOICES[world.ORDER_ANNA_DELIVERED]  # 32548 x 2, 34001 x 1


def counts(backend) -> tuple[int, int, int]:
    with backend.store.read() as conn:
        return tuple(conn.execute(select(func.count()).select_from(table)).scalar_one()
                     for table in (t.claims, t.claim_lines, t.notifications))


def test_a_claim_is_submitted_with_a_decision_due_in_a_week(anna):
    claim = anna.submit_claim(DELIVERED, [ClaimLine("32548", 1)], "  Крем протёк  ")
    assert claim.invoice_number == DELIVERED
    assert claim.status is ClaimStatus.SUBMITTED
    assert claim.reason == "Крем протёк"
    assert claim.decision_due == date(2026, 11, 27)
    assert claim.submitted_at == world.NOW
    assert anna.claims() == [claim]
    (note,) = anna.notifications()
    assert note.kind is NotificationKind.CLAIM
    assert claim.number in note.title and "27.11.2026" in note.body


def test_the_same_product_twice_adds_up_and_a_downline_invoice_can_be_claimed(anna):
    claim = anna.submit_claim(world.INVOICES[world.ORDER_KLAUS_ENROLMENT],
                              [ClaimLine("36001", 1), ClaimLine("36001", 1)], "Beschädigt")
    assert claim.lines == (ClaimLine("36001", 2),)


@pytest.mark.parametrize(
    ("lines", "reason", "field"),
    [
        ([ClaimLine("33012", 1)], "wrong product", "lines"),  # not on the invoice
        ([ClaimLine("34001", 2)], "two gels?", "lines"),  # only one invoiced
        ([ClaimLine("32548", 0)], "zero", "lines"),
        ([ClaimLine("32548", -1)], "negative", "lines"),
        ([], "nothing chosen", "lines"),
        ([ClaimLine("32548", 1)], "   ", "reason"),
        ([ClaimLine("32548", 1)], "", "reason"),
        ([ClaimLine("32548", 1)], "x" * 2001, "reason"),
    ],
)
def test_a_wrong_claim_names_the_field_and_changes_nothing(anna, lines, reason, field):
    before = counts(anna)
    with pytest.raises(ValidationError) as caught:
        anna.submit_claim(DELIVERED, lines, reason)
    assert caught.value.field == field
    assert counts(anna) == before


def test_claims_together_never_return_more_than_was_invoiced(anna):
    anna.submit_claim(DELIVERED, [ClaimLine("32548", 1)], "first jar broken")
    anna.submit_claim(DELIVERED, [ClaimLine("32548", 1)], "second jar broken")
    with pytest.raises(ValidationError) as caught:
        anna.submit_claim(DELIVERED, [ClaimLine("32548", 1)], "a third one?")
    assert caught.value.field == "lines"
    assert "0 of 2" in caught.value.message


@pytest.mark.parametrize("invoice", [world.INVOICES[world.ORDER_PETR_DELIVERED], "INV-0"])
def test_another_teams_invoice_cannot_be_claimed(anna, invoice):
    before = counts(anna)
    with pytest.raises(NotFound) as caught:
        anna.submit_claim(invoice, [ClaimLine("39000", 1)], "not mine")
    assert caught.value.field == "invoice_number"
    assert counts(anna) == before


def test_only_a_delivered_order_can_be_claimed(anna):
    with pytest.raises(Conflict) as caught:
        anna.submit_claim(world.INVOICES[world.ORDER_ANNA_PAID], [ClaimLine("32548", 1)],
                          "not arrived yet")
    assert caught.value.field == "invoice_number"


def test_claims_are_listed_newest_first_for_their_author_only(backend):
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    first = backend.submit_claim(DELIVERED, [ClaimLine("32548", 1)], "one")
    second = backend.submit_claim(DELIVERED, [ClaimLine("34001", 1)], "two")
    assert [c.number for c in backend.claims()] == [second.number, first.number]
    backend.login(world.OLGA_MSK.registration_number, world.PASSWORD)
    assert backend.claims() == []


# --- notifications -------------------------------------------------------------------------


def test_notifications_are_read_one_by_one(anna, clock):
    anna.submit_claim(DELIVERED, [ClaimLine("32548", 1)], "one")
    anna.submit_claim(DELIVERED, [ClaimLine("34001", 1)], "two")
    newest, oldest = anna.notifications()
    assert not newest.read and not oldest.read
    anna.mark_notification_read(oldest.id)
    anna.mark_notification_read(oldest.id)  # again: harmless
    assert [n.id for n in anna.notifications(unread_only=True)] == [newest.id]
    assert [n.read for n in anna.notifications()] == [False, True]


def test_someone_elses_notification_cannot_be_touched(backend):
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    backend.submit_claim(DELIVERED, [ClaimLine("32548", 1)], "one")
    (note,) = backend.notifications()
    backend.login(world.OLGA_MSK.registration_number, world.PASSWORD)
    assert backend.notifications() == []
    with pytest.raises(NotFound) as caught:
        backend.mark_notification_read(note.id)
    assert caught.value.field == "notification"
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    assert not backend.notifications()[0].read


# --- the service decides -------------------------------------------------------------------

# 32548 at the consultant price the invoice charged.
CREAM = Money(Decimal("599.20"), "RUB")


def store_state(backend) -> tuple:
    """What a refused decision must leave as it was: claims, inbox, balance ledger."""
    with backend.store.read() as conn:
        return tuple(tuple(conn.execute(select(table).order_by(*table.primary_key)).all())
                     for table in (t.claims, t.notifications, t.balance_ledger))


@pytest.fixture
def filed(anna, clock):
    """Anna's claim on one cream, and the clock three days on, when the service decides."""
    claim = anna.submit_claim(DELIVERED, [ClaimLine("32548", 1)], "Крем протёк")
    clock.advance(timedelta(days=3))
    return claim


def test_a_member_has_no_way_to_decide_a_claim():
    from mlm_tui.core.backend import Backend
    from mlm_tui.core.local import LocalBackend

    for seam in (Backend, LocalBackend):
        assert not [name for name in dir(seam)
                    if any(word in name for word in ("decide", "accept", "reject"))]


def test_the_invoice_charged_the_cream_at_the_consultant_price(anna):
    invoice = anna.invoice(DELIVERED)
    assert {line.product_code: line.unit_price for line in invoice.lines}["32548"] == CREAM


def test_accepting_credits_what_the_lines_were_paid_and_says_so_in_the_inbox(anna, filed):
    before = anna.balance()
    case = accept_claim(anna.store, filed.number, now=world.NOW + timedelta(days=3))
    assert case.claim.status is ClaimStatus.ACCEPTED
    assert case.claim.credit == CREAM
    assert case.claim.decided_at == world.NOW + timedelta(days=3)
    assert anna.balance() == before + CREAM
    refund = anna.balance_ledger().items[0]
    assert (refund.kind, refund.amount, refund.note, refund.order_number) == (
        LedgerKind.REFUND, CREAM, filed.number, world.ORDER_ANNA_DELIVERED)
    decided, _received = anna.notifications(unread_only=True)
    assert decided.kind is NotificationKind.CLAIM
    assert decided.title == f"Claim {filed.number} accepted"
    assert "599,20\xa0₽ credited to your balance" in decided.body  # Babel's no-break space
    (mine,) = anna.claims()
    assert mine == case.claim


def test_a_smaller_credit_is_what_reaches_the_balance(anna, filed):
    before = anna.balance()
    part = Money(Decimal("100.50"), "RUB")
    case = accept_claim(anna.store, filed.number, now=world.NOW, credit=part,
                        note="Упаковку оставьте себе.")
    assert anna.balance() == before + part
    assert case.claim.decision == ("Accepted: 100,50\xa0₽ credited to your balance. "
                                   "Упаковку оставьте себе.")


@pytest.mark.parametrize("credit", [
    Money(Decimal("599.21"), "RUB"),  # a kopeck more than the cream was paid
    Money(Decimal("-1"), "RUB"),
    Money(Decimal("10.005"), "RUB"),
    Money(Decimal("10"), "EUR"),
])
def test_a_wrong_credit_is_refused_at_the_credit_and_changes_nothing(anna, filed, credit):
    before = store_state(anna)
    with pytest.raises(ValidationError) as caught:
        accept_claim(anna.store, filed.number, now=world.NOW, credit=credit)
    assert caught.value.field == "credit"
    assert store_state(anna) == before


def test_rejecting_tells_the_member_why_and_credits_nothing(anna, filed):
    before = anna.balance()
    case = reject_claim(anna.store, filed.number, now=world.NOW,
                        reason="  Срок годности истёк до покупки не был.  ")
    assert case.claim.status is ClaimStatus.REJECTED
    assert case.claim.credit is None
    assert anna.balance() == before
    decided = anna.notifications()[0]
    assert decided.title == f"Claim {filed.number} rejected"
    assert not decided.read
    assert decided.body.endswith("Rejected: Срок годности истёк до покупки не был.")
    assert anna.claims()[0].decision == "Rejected: Срок годности истёк до покупки не был."


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_a_rejection_needs_a_reason(anna, filed, reason):
    before = store_state(anna)
    with pytest.raises(ValidationError) as caught:
        reject_claim(anna.store, filed.number, now=world.NOW, reason=reason)
    assert caught.value.field == "reason"
    assert store_state(anna) == before


@pytest.mark.parametrize("again", [
    lambda store, number: accept_claim(store, number, now=world.NOW),
    lambda store, number: reject_claim(store, number, now=world.NOW, reason="no"),
], ids=["accept", "reject"])
def test_a_claim_is_decided_once(anna, filed, again):
    from mlm_tui.i18n import remember_company_locale

    remember_company_locale(anna.company().locale)  # as a client does once it knows it
    accept_claim(anna.store, filed.number, now=world.NOW + timedelta(days=3))
    before = store_state(anna)
    with pytest.raises(Conflict) as caught:
        again(anna.store, filed.number)
    assert caught.value.field == "claim"
    assert "already accepted" in caught.value.message and "23.11.2026" in caught.value.message
    assert store_state(anna) == before


def test_an_unknown_claim_cannot_be_decided(anna, filed):
    before = store_state(anna)
    with pytest.raises(NotFound) as caught:
        accept_claim(anna.store, "CL-0000-000000", now=world.NOW)
    assert caught.value.field == "claim"
    assert "CL-0000-000000" in caught.value.message
    assert store_state(anna) == before


def test_the_decision_reaches_only_the_member_who_filed(backend):
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    claim = backend.submit_claim(DELIVERED, [ClaimLine("32548", 2)], "оба протекли")
    backend.login(world.OLGA_MSK.registration_number, world.PASSWORD)
    olga_before = backend.balance()
    accept_claim(backend.store, claim.number, now=world.NOW)
    assert backend.claims() == []
    assert backend.notifications() == []
    assert backend.balance() == olga_before
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    assert backend.claims()[0].credit == CREAM * 2


def test_the_service_lists_every_claim_with_whose_it_is_and_its_worth(backend):
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    first = backend.submit_claim(DELIVERED, [ClaimLine("32548", 1)], "one")
    second = backend.submit_claim(DELIVERED, [ClaimLine("34001", 1)], "two")
    reject_claim(backend.store, first.number, now=world.NOW, reason="no")
    cases = list_claims(backend.store)
    assert [c.claim.number for c in cases] == [second.number, first.number]
    assert {(c.registration_number, c.full_name) for c in cases} == {
        (world.ANNA.registration_number, world.ANNA.full_name)}
    assert cases[1].worth == CREAM
    assert [c.claim.number for c in list_claims(backend.store, open_only=True)] == [
        second.number]
    assert find_claim(backend.store, second.number).claim == second
    assert not cases[0].is_overdue(world.NOW + timedelta(days=7))
    assert cases[0].is_overdue(world.NOW + timedelta(days=8))


@pytest.mark.parametrize(("days", "due"), [(3, date(2026, 11, 23)), (30, date(2026, 11, 27))])
def test_the_decision_is_due_within_the_companys_days_but_never_after_a_week(anna, days, due):
    with anna.store.write() as conn:
        company = profile_from_json(conn.execute(select(t.company.c.profile)).scalar_one())
        conn.execute(t.company.update().values(
            profile=profile_to_json(replace(company, claim_decision_days=days))))
    anna._company = None  # the backend keeps the profile it read
    claim = anna.submit_claim(DELIVERED, [ClaimLine("32548", 1)], "Крем протёк")
    assert claim.decision_due == due


def test_a_store_from_before_decisions_were_dated_opens_with_room_for_them(tmp_path):
    import shutil
    from pathlib import Path

    from mlm_tui.core.local.store import Store

    path = tmp_path / "store.db"
    shutil.copyfile(Path(__file__).parent.parent / "data" / "store-v1.db", path)
    store = Store(path)
    try:
        with store.read() as conn:
            columns = {c["name"] for c in sa_inspect(conn).get_columns("claims")}
        assert {"decided_at", "credit"} <= columns
        assert list_claims(store) == []
    finally:
        store.close()


# --- text typed decomposed -----------------------------------------------------------------


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_a_reason_typed_decomposed_is_kept_composed_and_counted_in_letters(anna):
    claim = anna.submit_claim(DELIVERED, [ClaimLine("32548", 1)], nfd("Крем протёк"))
    assert claim.reason == "Крем протёк"
    # As many letters as allowed, each typed as a letter and its mark: within the limit.
    longest = anna.submit_claim(DELIVERED, [ClaimLine("34001", 1)], nfd("й" * MAX_REASON))
    assert longest.reason == "й" * MAX_REASON
    assert [c.reason for c in anna.claims()] == ["й" * MAX_REASON, "Крем протёк"]


def test_a_rejection_typed_decomposed_is_kept_composed(anna, filed):
    reject_claim(anna.store, filed.number, now=world.NOW, reason=nfd("Срок годности истёк."))
    assert anna.claims()[0].decision == "Rejected: Срок годности истёк."
