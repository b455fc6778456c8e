"""Codes and documents reach the member: into the Maildir, or through a real SMTP server;
a server that refuses or is not there is a ``DeliveryFailed`` with nothing sent."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from mlm_tui.core.errors import DeliveryFailed
from mlm_tui.core.notifier import Attachment, Notifier, read_maildir
from mlm_tui.core.settings import SmtpSettings
from tests.smtp import free_port, smtp_server

PDF = b"%PDF-1.4 tiny"


def delivered(maildir: Path) -> list[EmailMessage]:
    """The Maildir's messages as a mail client reads them (headers decoded)."""
    return [message_from_bytes(bytes(m), policy=policy.default) for m in read_maildir(maildir)]


def test_email_without_smtp_lands_whole_in_the_maildir(tmp_path: Path):
    maildir = tmp_path / "outbox-mail"
    Notifier(maildir).email(
        "anna@example.ru", "Счёт 2026-000123", "Здравствуйте, Анна!",
        attachments=(Attachment("invoice.pdf", PDF),),
    )
    [message] = delivered(maildir)
    assert message["To"] == "anna@example.ru"
    assert message["Subject"] == "Счёт 2026-000123"
    assert message.get_body(("plain",)).get_content() == "Здравствуйте, Анна!\n"
    [attachment] = message.iter_attachments()
    assert attachment.get_filename() == "invoice.pdf"
    assert attachment.get_content() == PDF


def test_sms_is_kept_in_the_maildir_with_its_number(tmp_path: Path):
    notifier = Notifier(tmp_path / "outbox-mail")
    notifier.email("anna@example.ru", "first", "one")
    notifier.sms("+79161234501", "Код 12345678")
    first, sms = delivered(tmp_path / "outbox-mail")
    assert first["Subject"] == "first"
    assert sms["X-SMS-To"] == "+79161234501"
    assert sms.get_content() == "Код 12345678\n"


def test_read_maildir_of_nothing_is_empty(tmp_path: Path):
    assert read_maildir(tmp_path / "never-written") == []


def test_unwritable_maildir_is_a_delivery_failure(tmp_path: Path):
    blocker = tmp_path / "outbox-mail"
    blocker.write_text("a file where the Maildir should be")
    with pytest.raises(DeliveryFailed):
        Notifier(blocker).sms("+79161234501", "Код 12345678")


def test_email_goes_through_a_real_smtp_server(tmp_path: Path):
    maildir = tmp_path / "outbox-mail"
    with smtp_server() as (inbox, smtp):
        Notifier(maildir, smtp).email(
            "klaus@example.de", "Rechnung", "Guten Tag!",
            attachments=(Attachment("rechnung.pdf", PDF),),
        )
    [message] = inbox.messages
    assert message["From"] == "office@example.ru"
    assert message["To"] == "klaus@example.de"
    assert message["Subject"] == "Rechnung"
    assert message.get_body(("plain",)).get_content().splitlines() == ["Guten Tag!"]
    [attachment] = message.iter_attachments()
    assert attachment.get_content() == PDF
    assert read_maildir(maildir) == []  # sent, not dropped locally


def test_a_refusing_server_is_a_delivery_failure(tmp_path: Path):
    with smtp_server() as (inbox, smtp):
        inbox.refuse = True
        with pytest.raises(DeliveryFailed) as caught:
            Notifier(tmp_path / "outbox-mail", smtp).email("anna@example.ru", "Код", "1")
    assert inbox.messages == []
    assert f"127.0.0.1:{smtp.port}" in caught.value.message


def test_no_server_listening_is_a_delivery_failure(tmp_path: Path):
    smtp = SmtpSettings(host="127.0.0.1", port=free_port(), timeout=2.0)
    with pytest.raises(DeliveryFailed) as caught:
        Notifier(tmp_path / "outbox-mail", smtp).email("anna@example.ru", "Код", "1")
    assert "did not accept" in caught.value.message
    assert read_maildir(tmp_path / "outbox-mail") == []
