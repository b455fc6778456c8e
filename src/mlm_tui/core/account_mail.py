"""The messages that carry reset and activation codes, by e-mail and by SMS.

E-mail goes first, then the SMS. When the e-mail fails nothing at all has been sent.
When the SMS fails after the e-mail went, the code has reached the member: the failure
is logged (the number masked, never the code) and the e-mail stands; without an e-mail
the SMS failing fails the whole, and nothing was sent. The code itself appears only in
the messages, never in a log or an error. Names are data: made printable first, so a
line feed in one never starts a header of its own and an escape never reaches a
reader's terminal. Both are written in the recipient's language
(``i18n.recipient_language``), not the sender's.
"""

from __future__ import annotations

import logging

from mlm_tui.core.errors import DeliveryFailed
from mlm_tui.core.notifier import Notifier
from mlm_tui.core.privacy import mask_phone
from mlm_tui.core.rules.printable import printable
from mlm_tui.i18n import recipient_language, translation_for

_log = logging.getLogger("mlm_tui.messages")


def send_reset_code(
    notifier: Notifier,
    *,
    company: str,
    full_name: str,
    email: str | None,
    phone: str | None,
    code: str,
    minutes: int,
    locale: str,
    language: str | None = None,
) -> None:
    """``locale``: the company's; ``language``: the member's own, when known."""
    _ = translation_for(recipient_language(locale, language)).gettext
    company, full_name = printable(company), printable(full_name)
    if email:
        notifier.email(
            email,
            _("{company}: your password reset code").format(company=company),
            "\n".join((
                _("Hello {name},").format(name=full_name),
                "",
                _("your code to set a new password is {code}.").format(code=code),
                _("It is valid for {minutes} minutes and can be used once.").format(
                    minutes=minutes),
                _("If you did not ask for it, ignore this message: your password stays "
                  "as it is."),
                "",
                company,
            )),
        )
    if phone:
        _sms(notifier, phone,
             _("{company}: password reset code {code}, valid {minutes} min.").format(
                 company=company, code=code, minutes=minutes),
             emailed=bool(email))


def send_activation_code(
    notifier: Notifier,
    *,
    company: str,
    full_name: str,
    registration_number: str,
    sponsor_name: str,
    email: str | None,
    phone: str | None,
    code: str,
    hours: int,
    locale: str,
    language: str | None = None,
) -> None:
    """``locale``: the company's; ``language``: the new member's own, when known."""
    _ = translation_for(recipient_language(locale, language)).gettext
    company, full_name, sponsor_name = (
        printable(company), printable(full_name), printable(sponsor_name))
    if email:
        notifier.email(
            email,
            _("{company}: activate your account").format(company=company),
            "\n".join((
                _("Hello {name},").format(name=full_name),
                "",
                _("{sponsor} has registered you with {company}. Your registration number "
                  "is {number}.").format(sponsor=sponsor_name, company=company,
                                         number=registration_number),
                _("Your activation code is {code}. It is valid for {hours} hours.").format(
                    code=code, hours=hours),
                _("Choose \"Activate account\" when you log in, enter the code and choose "
                  "your password."),
                "",
                company,
            )),
        )
    if phone:
        _sms(notifier, phone,
             _("{company}: activation code {code} for {number}, valid {hours} h.").format(
                 company=company, code=code, number=registration_number, hours=hours),
             emailed=bool(email))


def _sms(notifier: Notifier, phone: str, text: str, *, emailed: bool) -> None:
    try:
        notifier.sms(phone, text)
    except DeliveryFailed as failure:
        if not emailed:
            raise
        _log.warning("SMS to %s not sent (the e-mail was): %s", mask_phone(phone),
                     failure.message)
