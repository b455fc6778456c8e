"""E-mail an invoice to its buyer as a PDF attachment.

The message goes whole through :class:`Notifier` (SMTP from the settings, else the Maildir),
or not at all: ``DeliveryFailed`` says which server refused and nothing is half-sent.
Message and invoice are in the buyer's language (``i18n.recipient_language``).
"""

from __future__ import annotations

from mlm_tui.core.dates import format_day
from mlm_tui.core.errors import ValidationError
from mlm_tui.core.invoice_pdf import invoice_filename, percent, render_invoice_pdf
from mlm_tui.core.models import CompanyProfile, Invoice
from mlm_tui.core.money import format_money
from mlm_tui.core.notifier import Attachment, Notifier
from mlm_tui.core.rules.printable import printable
from mlm_tui.i18n import N_, recipient_language, translation_for


def email_invoice(
    invoice: Invoice,
    company: CompanyProfile,
    notifier: Notifier,
    *,
    pdf: bytes | None = None,
    language: str | None = None,
) -> str:
    """Send the invoice to the buyer's e-mail address and return that address.

    ``ValidationError`` (field ``email``) when the buyer has no address on file.
    ``language``: the buyer's own, when known (else the company's).
    """
    recipient = invoice_recipient(invoice)
    language = recipient_language(company.locale, language or invoice.buyer_language)
    document = pdf if pdf is not None else render_invoice_pdf(invoice, company, language)
    # Names are data: a line feed in a subject would start a header of its own.
    notifier.email(
        recipient,
        printable(_invoice_mail_subject(invoice, company, language)),
        printable(_invoice_mail_body(invoice, company, language), multiline=True),
        attachments=(Attachment(invoice_filename(invoice), document),),
    )
    return recipient


def invoice_recipient(invoice: Invoice) -> str:
    """The buyer's e-mail address; ``ValidationError`` (field ``email``) when there is none."""
    recipient = (invoice.buyer_email or "").strip()
    if not recipient:
        raise ValidationError(
            N_("{name} has no e-mail address on file"),
            field="email",
            params={"name": invoice.buyer.full_name})
    return recipient


def _invoice_mail_subject(invoice: Invoice, company: CompanyProfile, language: str) -> str:
    _ = translation_for(language).gettext
    return _("{company}: invoice {number}").format(company=company.name, number=invoice.number)


def _invoice_mail_body(invoice: Invoice, company: CompanyProfile, language: str) -> str:
    _ = translation_for(language).gettext
    return "\n".join((
        _("Hello {name},").format(name=printable(invoice.buyer.full_name)),
        "",
        _("attached is invoice {number} of {day} for order {order}.").format(
            number=invoice.number,
            day=format_day(invoice.issued_at, company.locale),
            order=invoice.order_number,
        ),
        _("Total: {total}").format(total=format_money(invoice.total, company.locale)),
        *(_("including VAT {rate}: {vat} (net {net})").format(
            rate=percent(line.rate, company.locale),
            vat=format_money(line.vat, company.locale),
            net=format_money(line.net, company.locale)) for line in invoice.vat),
        "",
        printable(company.name),
    ))
