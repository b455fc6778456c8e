"""Claims (returns) on delivered invoices, and the notifications inbox."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from mlm_tui.core.errors import Conflict, NotFound, ValidationError
from mlm_tui.core.local import schema as t
from mlm_tui.core.models import ClaimLine, ClaimStatus, NotificationKind
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
