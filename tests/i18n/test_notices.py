"""Inbox notices and claim decisions are kept as codes with parameters and worded in the
language of whoever reads them, whatever language wrote them; text stored before still
shows as written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert

from mlm_tui.core.errors import Conflict
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.claim_decisions import accept_claim, reject_claim
from mlm_tui.core.models import ClaimLine, NotificationKind
from mlm_tui.formats import shown_locale
from mlm_tui.i18n import install
from mlm_tui.notice_text import decision_text, notice_text
from tests import world

pytestmark = pytest.mark.usefixtures("world_orders")

DELIVERED = world.INVOICES[world.ORDER_ANNA_DELIVERED]


def _read(notification, language: str) -> tuple[str, str]:
    install(language)
    return notice_text(notification, shown_locale("ru_RU"))


def test_a_cancellation_notice_reads_in_each_readers_language(anna):
    install("de")  # written while the interface spoke German
    anna.cancel_order(world.ORDER_ANNA_PAID)
    [notice] = anna.notifications()
    assert notice.code == "order_cancelled" and notice.params["number"] == world.ORDER_ANNA_PAID
    title, body = _read(notice, "ru")
    assert title == f"Заказ {world.ORDER_ANNA_PAID} отменён"
    assert "возвращено на баланс" in body and "₽" in body
    title, body = _read(notice, "de")
    assert title == f"Bestellung {world.ORDER_ANNA_PAID} storniert"
    assert "dem Guthaben" in body
    # Stored in English beside the code, for whatever reads the store without it.
    assert notice.title == f"Order {world.ORDER_ANNA_PAID} cancelled"


def test_a_claim_decision_reads_in_the_readers_language(anna):
    install("de")
    filed = anna.submit_claim(DELIVERED, [ClaimLine("32548", 1)], "Крем протёк")
    accept_claim(anna.store, filed.number, now=world.NOW + timedelta(days=3),
                 note="Упаковку оставьте себе.")
    decided, received = anna.notifications()
    assert (decided.code, received.code) == ("claim_credited", "claim_received")
    title, body = _read(received, "ru")
    assert title == f"Претензия {filed.number} получена" and "27.11.2026" in body
    title, body = _read(decided, "ru")
    assert title == f"Претензия {filed.number} принята"
    assert body == (f"Счёт {DELIVERED}: принята, 599,20\xa0₽ зачислено на Ваш баланс. "
                    "Упаковку оставьте себе.")
    [claim] = anna.claims()
    install("de")
    text = decision_text(claim, shown_locale("ru_RU"))
    assert text.startswith("Angenommen: 599,20")
    assert text.endswith(" Ihrem Guthaben gutgeschrieben. Упаковку оставьте себе.")


def test_a_rejection_keeps_the_services_words_as_written(anna):
    install("ru")
    filed = anna.submit_claim(DELIVERED, [ClaimLine("32548", 1)], "Крем протёк")
    reject_claim(anna.store, filed.number, now=world.NOW, reason="No defect found.")
    [claim] = anna.claims()
    install("de")
    assert decision_text(claim, "de") == "Abgelehnt: No defect found."
    assert claim.decision == "Rejected: No defect found."  # English in the store


def test_the_claim_already_decided_is_said_in_the_language_it_is_read_in(anna):
    install("ru")  # the service's console
    filed = anna.submit_claim(DELIVERED, [ClaimLine("32548", 1)], "Крем протёк")
    accept_claim(anna.store, filed.number, now=world.NOW + timedelta(days=3))
    with pytest.raises(Conflict) as caught:
        reject_claim(anna.store, filed.number, now=world.NOW, reason="no")
    install("de")
    assert caught.value.message == (
        f"Die Reklamation {filed.number} ist bereits angenommen. Entschieden am 23.11.2026.")
    assert caught.value.to_dict()["message"].startswith(f"Claim {filed.number} is already")


def test_a_notice_stored_as_text_still_shows_as_written(anna):
    with anna.store.write() as conn:
        conn.execute(insert(t.notifications).values(
            member_id=world.ANNA.id, at=world.NOW, kind=NotificationKind.ACCOUNT.value,
            title="Добро пожаловать!", body="Ваш кабинет готов."))
    [notice] = anna.notifications()
    assert notice.code is None
    assert _read(notice, "de") == ("Добро пожаловать!", "Ваш кабинет готов.")


def test_a_code_this_version_does_not_know_shows_its_english_wording(anna):
    with anna.store.write() as conn:
        conn.execute(insert(t.notifications).values(
            member_id=world.ANNA.id, at=world.NOW, kind=NotificationKind.ACCOUNT.value,
            title="Points expire soon", body="120 points expire on 30.11.2026.",
            code="points_expiring", params='{"points": "120"}'))
    [notice] = anna.notifications()
    assert _read(notice, "ru") == ("Points expire soon", "120 points expire on 30.11.2026.")
