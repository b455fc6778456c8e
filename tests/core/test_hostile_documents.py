"""PDF invoices, e-mails and CSV exports of hostile data: plain text, never an action.

A name holding ``ESC ] 0 ;`` shows in a PDF with the visible mark ``�``; a company name with
a line feed cannot add a header (``Bcc:``) to an e-mail; a member called
``=HYPERLINK(...)`` is text in the spreadsheet, while amounts stay numbers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from email import message_from_bytes, policy
from pathlib import Path

from pypdf import PdfReader

from mlm_tui.core.company import demo_company
from mlm_tui.core.export import csv_cell, export_orders
from mlm_tui.core.invoice_mail import email_invoice
from mlm_tui.core.invoice_pdf import render_invoice_pdf
from mlm_tui.core.local import LocalBackend
from mlm_tui.core.local.hostile import make_hostile
from mlm_tui.core.models import MemberRef, OrderFilter
from mlm_tui.core.notifier import Notifier, read_maildir
from mlm_tui.core.settings import load_settings
from tests import world
from tests.core.invoice_sample import sample_invoice

TITLE = "\x1b]0;HACKED\x07"


def hostile_invoice():
    invoice = sample_invoice()
    lines = tuple(replace(line, product_name=f"{TITLE}{line.product_name}")
                  for line in invoice.lines)
    return replace(invoice, lines=lines,
                   buyer=MemberRef(2, "1000002", "[bold]Ольга\x9b2J Иванова"))


def pdf_text(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def test_a_pdf_shows_escapes_in_names_as_visible_marks(caplog):
    company = replace(demo_company("ru"), name=f"{TITLE}Северное сияние")
    text = pdf_text(render_invoice_pdf(hostile_invoice(), company))
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert "�]0;HACKED�Северное сияние" in text
    assert "missing" not in caplog.text  # every mark has a glyph in the embedded font
    assert "[bold]Ольга" in text


def test_an_e_mail_gets_no_header_from_a_name(tmp_path: Path):
    company = replace(demo_company("ru"), name="Аромат\nBcc: evil@example.org")
    email_invoice(hostile_invoice(), company, Notifier(tmp_path / "mail"))
    [kept] = read_maildir(tmp_path / "mail")
    message = message_from_bytes(bytes(kept), policy=policy.default)
    assert message["Bcc"] is None
    assert message["Subject"].startswith("Аромат␊Bcc: evil@example.org")
    body = message.get_body(("plain",)).get_content()
    assert "\x1b" not in body and "\x9b" not in body
    assert "Здравствуйте, [bold]Ольга�2J Иванова!" in body  # the buyer's language


def test_csv_cells_are_never_formulas_but_amounts_stay_numbers():
    assert csv_cell('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert csv_cell("+7 916 123") == "'+7 916 123"
    assert csv_cell("-2+3") == "'-2+3"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("\tx") == "'␉x"
    assert csv_cell("-150.00") == "-150.00"  # a credited amount: still a number
    assert csv_cell("12.5") == "12.5"
    assert csv_cell("Анна [bold]\x1b[2J") == "Анна [bold]␛[2J"


def test_the_order_export_of_a_hostile_store(world_orders, tmp_path):
    make_hostile(world_orders)
    backend = LocalBackend(load_settings(data_dir=world_orders.parent))
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    result = export_orders(backend, OrderFilter(), tmp_path / "exports")
    backend.close()
    rows = list(csv.reader(io.StringIO(result.path.read_text(encoding="utf-8-sig"))))
    assert rows[0][5] == "[/x]BB"  # the company's points label, as text
    cells = [cell for row in rows for cell in row]
    assert not any(ch in cell for cell in cells for ch in "\x1b\x07\x9b\x7f")
    names = [row[3] for row in rows[1:]]
    assert any(name.startswith("␛") for name in names)  # the escape, visible and inert
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)
    totals = [row[6] for row in rows[1:]]
    assert all(total.replace(".", "").lstrip("-").isdigit() for total in totals)
