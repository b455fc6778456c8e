"""The invoice reaches the buyer's mailbox whole, over real SMTP, or a clear error says why not."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlm_tui.core.company import demo_company
from mlm_tui.core.errors import DeliveryFailed, ValidationError
from mlm_tui.core.invoice_mail import email_invoice
from mlm_tui.core.invoice_pdf import render_invoice_pdf, save_invoice_pdf
from mlm_tui.core.notifier import Notifier, read_maildir
from mlm_tui.core.settings import SmtpSettings
from tests.core.invoice_sample import sample_invoice
from tests.smtp import free_port, smtp_server


def test_the_buyer_receives_the_pdf_over_smtp(tmp_path: Path) -> None:
    company = demo_company("ru")
    with smtp_server() as (inbox, smtp):
        sent_to = email_invoice(sample_invoice(), company, Notifier(tmp_path / "mail", smtp))
    assert sent_to == "olga.msk@example.ru"
    [message] = inbox.messages
    assert message["To"] == "olga.msk@example.ru"
    assert "INV-2026-000123" in message["Subject"]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "invoice-INV-2026-000123.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == render_invoice_pdf(sample_invoice(), company)
    assert "Ольга Иванова" in message.get_body(("plain",)).get_content()
    assert not read_maildir(tmp_path / "mail"), "sent by SMTP, not kept locally"


def test_a_closed_port_is_a_clear_failure_and_nothing_is_kept(tmp_path: Path) -> None:
    port = free_port()
    notifier = Notifier(tmp_path / "mail", SmtpSettings("127.0.0.1", port, timeout=2.0))
    with pytest.raises(DeliveryFailed) as failure:
        email_invoice(sample_invoice(), demo_company("ru"), notifier)
    assert f"127.0.0.1:{port}" in failure.value.message
    assert not read_maildir(tmp_path / "mail")


def test_a_refused_recipient_is_a_failure_and_the_server_got_nothing(tmp_path: Path) -> None:
    with smtp_server() as (inbox, smtp):
        inbox.refuse = True
        with pytest.raises(DeliveryFailed):
            email_invoice(sample_invoice(), demo_company("ru"), Notifier(tmp_path / "mail", smtp))
    assert inbox.messages == []


def test_a_buyer_without_e_mail_is_named_and_nothing_is_sent(tmp_path: Path) -> None:
    with smtp_server() as (inbox, smtp), pytest.raises(ValidationError) as failure:
        email_invoice(sample_invoice(email=None), demo_company("ru"),
                      Notifier(tmp_path / "mail", smtp))
    assert failure.value.field == "email"
    assert "Ольга Иванова" in failure.value.message
    assert inbox.messages == []


def test_without_smtp_the_mail_is_kept_in_the_maildir(tmp_path: Path) -> None:
    email_invoice(sample_invoice(), demo_company("ru"), Notifier(tmp_path / "mail"))
    [kept] = read_maildir(tmp_path / "mail")
    assert kept["To"] == "olga.msk@example.ru"


def test_saving_writes_the_pdf_and_leaves_no_partial_file(tmp_path: Path) -> None:
    path = save_invoice_pdf(sample_invoice(), demo_company("ru"), tmp_path / "exports")
    assert path == tmp_path / "exports" / "invoice-INV-2026-000123.pdf"
    assert path.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in path.parent.iterdir()] == [path.name]


# --- through the Backend: the same for the app whether the store is local or a server's ------


@pytest.mark.usefixtures("world_orders")
def test_the_backend_mails_a_downline_invoice_and_says_where_it_is_kept(anna, settings) -> None:
    from tests import world

    number = world.INVOICES[world.ORDER_KLAUS_ENROLMENT]
    mailed = anna.email_invoice(number)
    assert mailed.recipient == "k***s@example.de"  # his upline learns no more than that
    assert mailed.kept_in == str(settings.maildir)
    [kept] = read_maildir(settings.maildir)
    assert kept["To"] == world.KLAUS.email
    assert number in kept["Subject"]


@pytest.mark.usefixtures("world_orders")
def test_the_backend_mails_over_its_mail_server_when_it_has_one(settings, clock) -> None:
    from dataclasses import replace

    from mlm_tui.core.local import LocalBackend
    from tests import world

    with smtp_server() as (inbox, smtp):
        backend = LocalBackend(replace(settings, smtp=smtp), clock=clock)
        try:
            backend.login(world.ANNA.registration_number, world.PASSWORD)
            mailed = backend.email_invoice(world.INVOICES[world.ORDER_ANNA_DELIVERED])
        finally:
            backend.close()
    assert (mailed.recipient, mailed.kept_in) == (world.ANNA.email, None)
    [message] = inbox.messages
    assert message["To"] == world.ANNA.email
    assert not read_maildir(settings.maildir)
