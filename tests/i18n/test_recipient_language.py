"""What goes to someone else (reset and activation codes, an invoice and its e-mail) is in
the recipient's language, whatever language the sender's interface speaks."""

from __future__ import annotations

import io
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from pypdf import PdfReader

from mlm_tui.core.company import demo_company
from mlm_tui.core.invoice_mail import email_invoice
from mlm_tui.core.invoice_pdf import render_invoice_pdf
from mlm_tui.core.notifier import Notifier, read_maildir
from mlm_tui.i18n import install, recipient_language
from tests import world
from tests.core.invoice_sample import sample_invoice


def _mails(maildir: Path) -> list:
    return [message_from_bytes(bytes(kept), policy=policy.default)
            for kept in read_maildir(maildir)]


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_member_language_wins_then_the_company_one():
    assert recipient_language("ru", "de") == "de"
    assert recipient_language("ru", None) == "ru"
    assert recipient_language("de_AT") == "de"
    assert recipient_language("fr") == "en"


@pytest.mark.parametrize("sender", ["en", "de"])
def test_a_reset_code_reaches_a_russian_member_in_russian(backend, settings, sender):
    install(sender)
    backend.request_password_reset(world.ANNA.email)
    [mail, sms] = sorted(_mails(settings.maildir), key=lambda m: m["X-SMS-To"] is not None)
    assert "код для смены пароля" in mail["Subject"]
    body = mail.get_content()
    assert body.startswith(f"Здравствуйте, {world.ANNA.full_name}!")
    assert "Ваш код для установки нового пароля" in body
    assert "действует" in sms.get_content()


@pytest.mark.parametrize(("market", "subject", "body", "heading"), [
    ("ru", "счёт INV-2026-000123", "во вложении счёт INV-2026-000123", "Счёт INV-2026-000123"),
    ("de", "Rechnung INV-2026-000123", "anbei die Rechnung INV-2026-000123",
     "Rechnung INV-2026-000123"),
])
def test_the_invoice_and_its_mail_are_in_the_buyers_language(tmp_path, market, subject, body,
                                                            heading):
    install("en")  # the sender reads English
    company = demo_company(market)
    email_invoice(sample_invoice(), company, Notifier(tmp_path / "mail"))
    [mail] = _mails(tmp_path / "mail")
    assert subject in mail["Subject"]
    assert body in mail.get_body(("plain",)).get_content()
    [attachment] = list(mail.iter_attachments())
    text = _pdf_text(attachment.get_content())
    assert heading in text and "Invoice" not in text


def test_a_buyer_known_to_read_german_gets_a_german_invoice():
    text = _pdf_text(render_invoice_pdf(sample_invoice(), demo_company("ru"), "de"))
    assert "Rechnung INV-2026-000123" in text and "Zu zahlen" in text
