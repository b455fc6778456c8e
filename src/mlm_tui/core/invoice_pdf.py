"""An invoice as a PDF document (fpdf2), readable in any script the catalog uses.

The PDF core fonts know only Latin-1, so Cyrillic names and "ß" need an embedded Unicode
font: DejaVu Sans ships inside the package (``mlm_tui/fonts``) and nothing is fetched at
run time. fpdf2 embeds only the glyphs used and writes a ToUnicode map, so the text can
be searched and copied out of the file.

Names come from the data: their control characters are drawn as ``�`` (:func:`_shown`;
DejaVu has no control pictures), so the reader sees that something was there.
"""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal
from importlib.resources import as_file, files
from pathlib import Path

from mlm_tui.core.dates import format_day
from mlm_tui.core.files import make_folder, private_file
from mlm_tui.core.models import CompanyProfile, Invoice, OrderLine
from mlm_tui.core.money import Money, format_money, format_points
from mlm_tui.core.rules.printable import printable
from mlm_tui.i18n import recipient_language, translation_for

FONT_FAMILY = "DejaVuSans"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


def percent(rate: Decimal, locale: str) -> str:
    """A VAT rate as the locale writes it: "19 %", "22 %", "7%"."""
    from babel.numbers import format_percent

    return format_percent(rate, locale=locale.replace("-", "_"))


def invoice_filename(invoice: Invoice) -> str:
    return f"invoice-{invoice.number}.pdf"


def save_invoice_pdf(invoice: Invoice, company: CompanyProfile, directory: Path,
                     language: str | None = None) -> Path:
    """Write the PDF into ``directory`` and return its path.

    Written under a temporary name and renamed, so a reader never sees half a file; the
    user's alone (0600), like every export.
    """
    return save_pdf(render_invoice_pdf(invoice, company, language),
                    directory / invoice_filename(invoice))


def save_pdf(document: bytes, target: Path) -> Path:
    """Write ``document`` to ``target`` (its folder made if missing) and return the path:
    under a temporary name and renamed, so a reader never sees half a file; 0600."""
    make_folder(target.parent)
    partial = target.with_suffix(".pdf.part")
    with private_file(partial, "wb") as fh:
        fh.write(document)
    partial.replace(target)
    return target


def render_invoice_pdf(invoice: Invoice, company: CompanyProfile,
                       language: str | None = None) -> bytes:
    """The invoice as PDF bytes; the same invoice always gives the same document.

    In the buyer's language: ``language`` when given, else the buyer's own
    (``invoice.buyer_language``), else the company's.
    """
    from fpdf import FPDF  # heavy; only needed when a PDF is made

    language = recipient_language(company.locale, language or invoice.buyer_language)
    _ = translation_for(language).gettext
    locale = company.locale
    pdf = FPDF(format="A4")
    pdf.set_creation_date(invoice.issued_at.replace(tzinfo=UTC))
    pdf.set_title(_("Invoice {number}").format(number=invoice.number))
    pdf.set_author(_shown(company.name))
    for style, filename in _FONT_FILES.items():
        with as_file(files("mlm_tui") / "fonts" / filename) as path:
            pdf.add_font(FONT_FAMILY, style, Path(path))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()

    pdf.set_font(FONT_FAMILY, "B", 16)
    pdf.cell(0, 9, _shown(company.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "B", 13)
    pdf.cell(0, 8, _("Invoice {number}").format(number=invoice.number),
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "", 10)
    for line in (
        _("Issued: {day}").format(day=format_day(invoice.issued_at, locale)),
        _("Order: {number}").format(number=invoice.order_number),
        _("Buyer: {name} ({number})").format(
            name=invoice.buyer.full_name, number=invoice.buyer.registration_number),
    ):
        pdf.cell(0, 6, _shown(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    headings = (_("Item no."), _("Product"), _("Quantity"), _("Unit price"), _("Total"))
    with pdf.table(
        # Wide enough for the longest heading in one line ("Количество", bold, 24 mm).
        col_widths=(20, 77, 27, 33, 33),
        text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
        line_height=6,
    ) as table:
        table.row(headings)
        for order_line in invoice.lines:
            table.row(_line_cells(order_line, locale, _("gift")))
    pdf.ln(4)

    points = _shown(f"{format_points(invoice.points, locale)} {company.points_label}")
    totals = (
        (_("Retail value"), _money(invoice.retail, locale)),
        (_("Discount"), _money(-invoice.discount, locale)),
        (_("Delivery"), _money(invoice.delivery_fee, locale)),
        (_("Total to pay"), _money(invoice.total, locale)),
        *((label.format(rate=percent(line.rate, locale)), _money(amount, locale))
          for line in invoice.vat
          for label, amount in ((_("Net at {rate}"), line.net), (_("VAT {rate}"), line.vat))),
        (_("Points"), points),
    )
    for label, value in totals:
        bold = "B" if label == _("Total to pay") else ""
        pdf.set_font(FONT_FAMILY, bold, 10)
        pdf.cell(150, 6, label, align="R")
        pdf.cell(40, 6, value, align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _line_cells(line: OrderLine, locale: str, gift: str) -> tuple[str, ...]:
    name = line.product_name + (f" ({gift})" if line.is_gift else "")
    return (
        _shown(line.product_code),
        _shown(name),
        str(line.quantity),
        _money(line.unit_price, locale),
        _money(line.total, locale),
    )


def _shown(text: str) -> str:
    return printable(text, pictures=False)


def _money(amount: Money, locale: str) -> str:
    return format_money(amount, locale)
