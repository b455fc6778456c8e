"""On a terminal that shows ASCII alone the screen names currencies by their codes, while
the documents made in the same process (an invoice's PDF and e-mail) keep their signs."""

from __future__ import annotations

import io
from decimal import Decimal
from email import message_from_bytes, policy

import pytest
from pypdf import PdfReader

from mlm_tui.core.money import Money
from mlm_tui.core.notifier import read_maildir
from mlm_tui.formats import ascii_amount, format_money, format_points
from mlm_tui.glyphs import terminal_is_utf8
from tests import world
from tests.screens.snapshot_app import make_app, screen_text, settle
from tests.screens.test_backoffice import open_invoice

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(("money", "locale", "written"), [
    (Money(Decimal("-1234.5"), "RUB"), "ru", "-1 234,50 RUB"),
    (Money(Decimal("1234.5"), "EUR"), "de", "1.234,50 EUR"),
    (Money(Decimal("1234.5"), "EUR"), "ru", "1 234,50 EUR"),
    (Money(Decimal("1234.5"), "RUB"), "en", "RUB1,234.50"),
])
def test_amounts_in_ascii_name_the_currency_by_its_code(money, locale, written):
    from mlm_tui.core.money import format_money as document_money

    assert ascii_amount(document_money(money, locale), money.currency, locale) == written


def test_outside_an_app_amounts_and_points_are_as_the_locale_writes_them():
    assert format_money(Money(Decimal("498.2"), "RUB"), "ru").replace("\xa0", " ") == "498,20 ₽"
    assert format_points(Decimal("12345.5"), "ru") == "12\xa0345,5"


def _pdf_text(document: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


async def test_under_lang_c_the_screen_says_rub_and_the_invoice_documents_keep_the_sign(
        tmp_path, monkeypatch) -> None:
    for name in ("LC_ALL", "LC_CTYPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C")
    # As ``run_app`` starts the app: ASCII alone when the locale is not UTF-8.
    app = make_app(tmp_path, with_orders=True,
                   ascii_only=not terminal_is_utf8(python_coerced=False))
    async with app.run_test(size=(120, 40)) as pilot:
        invoice = await open_invoice(pilot, world.ORDER_ANNA_DELIVERED)
        total = invoice.invoice.total
        shown = screen_text(app)
        assert f"{_plain(total, 'RUB')}" in shown
        assert "₽" not in shown
        await pilot.press("e")
        await settle(pilot)
        assert "kept in" in screen_text(app)
        # Made in this very process, as the terminal showed RUB.
        document = invoice.backend.invoice_pdf(invoice.number)
        assert "RUB" in screen_text(app)
    [kept] = [message_from_bytes(bytes(m), policy=policy.default)
              for m in read_maildir(app.settings.maildir)]
    body = kept.get_body(preferencelist=("plain",)).get_content().replace("\xa0", " ")
    signed = _plain(total, "₽")
    assert signed in body and "RUB" not in body
    [attachment] = list(kept.iter_attachments())
    for pdf in (attachment.get_content(), document):
        text = _pdf_text(pdf).replace("\xa0", " ").replace("\u202f", " ")
        assert signed in text and "RUB" not in text


def _plain(total: Money, sign: str) -> str:
    """``1 952,60 RUB``: the world's Russian amounts, with ``sign`` after them."""
    whole, cents = f"{total.amount:.2f}".split(".")
    return f"{int(whole):,}".replace(",", " ") + f",{cents} {sign}"
