"""A member's language is kept with her: set when she is registered (the language the
sponsor's interface speaks), changed by her; what is sent to her is written in it."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from mlm_tui.core.errors import ValidationError
from mlm_tui.core.models import Address, Registration
from mlm_tui.core.notifier import read_maildir
from mlm_tui.i18n import install
from tests import world


def _mails(maildir: Path) -> list:
    return [message_from_bytes(bytes(kept), policy=policy.default)
            for kept in read_maildir(maildir)]


def _register(language: str | None) -> Registration:
    return Registration(full_name="Мария Петрова", birth_date=date(1990, 4, 12),
                        email="maria@example.ru", phone="8 916 555-44-33",
                        address=Address("300000", "Тула", "ул. Ленина, 5"),
                        language=language)


def test_a_member_registered_from_a_german_interface_reads_german(anna, settings):
    member = anna.register_member(_register("de"))  # a Russian company: German by choice
    assert member.language == "de"
    [mail, sms] = sorted(_mails(settings.maildir), key=lambda m: m["X-SMS-To"] is not None)
    assert "Aktivieren Sie Ihr Konto" in mail["Subject"]
    assert "Aktivierungscode" in sms.get_content()


def test_without_a_language_she_is_written_to_in_the_companys(anna, settings):
    member = anna.register_member(_register(None))
    assert member.language is None
    [mail, _sms] = sorted(_mails(settings.maildir), key=lambda m: m["X-SMS-To"] is not None)
    assert "активируйте" in mail["Subject"].lower()


def test_her_own_choice_is_kept_and_her_reset_code_comes_in_it(anna, settings):
    install("ru")  # whoever asks for the code reads Russian
    anna.set_language("de")
    assert anna.me().language == "de"
    anna.logout()
    anna.request_password_reset(world.ANNA.email)
    [mail, sms] = sorted(_mails(settings.maildir), key=lambda m: m["X-SMS-To"] is not None)
    assert mail.get_content().startswith(f"Hallo {world.ANNA.full_name},")
    assert "gültig" in sms.get_content()


def test_her_invoice_is_written_in_her_language(world_orders, anna, settings):
    anna.set_language("de")
    invoice = anna.invoice(world.INVOICES[world.ORDER_ANNA_DELIVERED])
    assert invoice.buyer_language == "de"
    anna.email_invoice(invoice.number)
    [mail] = _mails(settings.maildir)
    assert f"Rechnung {invoice.number}" in mail["Subject"]


def test_back_to_the_companys_language(anna):
    anna.set_language("de")
    anna.set_language(None)
    assert anna.me().language is None


@pytest.mark.parametrize("asked", ["fr", "klingon"])
def test_a_language_the_interface_does_not_speak_is_refused(anna, asked):
    with pytest.raises(ValidationError) as caught:
        anna.set_language(asked)
    assert caught.value.field == "language"
    assert anna.me().language is None


def test_her_language_comes_with_her_session(backend):
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    backend.set_language("de")
    backend.logout()
    session = backend.login(world.ANNA.registration_number, world.PASSWORD)
    assert session.language == "de"
    assert backend.resume(session.token).language == "de"  # the session kept on her computer
    backend.set_language(None)
    assert backend.resume(session.token).language is None
