"""The invoice PDF carries every line readably, in Cyrillic and German alike."""

from __future__ import annotations

import io

from pypdf import PdfReader

from mlm_tui.core.company import demo_company
from mlm_tui.core.invoice_pdf import invoice_filename, render_invoice_pdf
from tests.core.invoice_sample import sample_invoice


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_cyrillic_umlauts_and_sharp_s_come_back_out_of_the_pdf() -> None:
    pdf = render_invoice_pdf(sample_invoice(), demo_company("ru"))
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    for word in ("Крем", "Öl", "ß", "Ольга Иванова", "INV-2026-000123", "R-2026-000123"):
        assert word in text, word


def test_every_line_shows_item_number_quantity_and_money() -> None:
    text = _text(render_invoice_pdf(sample_invoice(), demo_company("ru")))
    for code in ("32548", "36000", "36001", "34001"):
        assert code in text
    # 2 x 639,20 ₽ and the grand total, in the company's Russian format.
    assert "1 278,40 ₽" in text.replace("\u00a0", " ")
    assert "3 419,20 ₽" in text.replace("\u00a0", " ")
    assert "66 BB" in text


def test_the_same_invoice_gives_the_same_document() -> None:
    company = demo_company("ru")
    assert render_invoice_pdf(sample_invoice(), company) == render_invoice_pdf(
        sample_invoice(), company)


def test_the_file_is_named_after_the_invoice() -> None:
    assert invoice_filename(sample_invoice()) == "invoice-INV-2026-000123.pdf"


def test_the_column_headings_stay_whole_in_every_language() -> None:
    for language, headings in (
            ("ru", ("Арт.", "Количество", "Цена за шт.", "Итого")),
            ("de", ("Art.-Nr.", "Menge", "Einzelpreis", "Summe"))):
        text = _text(render_invoice_pdf(sample_invoice(), demo_company("ru"), language))
        heading_line = next(line for line in text.splitlines() if headings[0] in line)
        for heading in headings:
            assert heading in heading_line, (language, heading, heading_line)
