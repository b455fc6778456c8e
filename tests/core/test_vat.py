"""VAT on invoices: prices stay gross; every demo invoice of both markets shows net, VAT
per rate and gross that agree to the cent with its total (rounded per rate)."""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from mlm_tui.core.company import demo_company, profile_from_json, profile_to_json
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.base import read_company
from mlm_tui.core.local.orders import read_invoice
from mlm_tui.core.local.store import Store
from mlm_tui.core.money import Money
from mlm_tui.core.rules import vat
from tests import world
from tests.backoffice import DEMO_SIZE

RATES = {"ru": {Decimal("0.22"), Decimal("0.10")}, "de": {Decimal("0.19"), Decimal("0.07")}}


@pytest.fixture(scope="module", params=["ru", "de"])
def demo_store(request, tmp_path_factory) -> tuple[str, Path]:
    from mlm_tui.core.demo import build_demo

    if request.param == "ru":  # the back office's demo store, built once per session
        return "ru", request.getfixturevalue("demo_template")
    path = tmp_path_factory.mktemp(f"vat-{request.param}") / "store.db"
    build_demo(path, today=world.NOW.date(), market=request.param, **DEMO_SIZE)
    return request.param, path


def test_every_demo_invoice_adds_up_to_the_cent(demo_store):
    market, path = demo_store
    store = Store(path)
    try:
        with store.read() as conn:
            company = read_company(conn)
            numbers = conn.execute(select(t.invoices.c.number)).scalars().all()
            invoices = [read_invoice(conn, number, lambda a: Money(a, company.currency),
                                     company) for number in numbers]
    finally:
        store.close()
    assert len(invoices) > 100
    seen_rates: set[Decimal] = set()
    for invoice in invoices:
        assert invoice.vat, invoice.number
        assert sum(line.gross.amount for line in invoice.vat) == invoice.total.amount
        for line in invoice.vat:
            assert line.net.amount + line.vat.amount == line.gross.amount
            expected = (line.gross.amount * line.rate / (1 + line.rate)).quantize(
                Decimal("0.01"), ROUND_HALF_UP)
            assert line.vat.amount == expected, invoice.number
            seen_rates.add(line.rate)
    assert seen_rates == RATES[market]  # both rates of the market occur


def test_the_vat_is_rounded_once_per_rate_not_per_line():
    company = demo_company("de")
    lines = [(Decimal("0.19"), Money(Decimal("0.10"), "EUR"))] * 3
    (only,) = vat.breakdown(lines, company)
    # Per line, 3 × 0.02 = 0.06; once on the 0.30 of the rate: 0.05.
    assert (only.gross.amount, only.vat.amount, only.net.amount) == (
        Decimal("0.30"), Decimal("0.05"), Decimal("0.25"))


def test_a_category_takes_its_own_rate_and_the_rest_the_standard_one():
    company = demo_company("de")
    assert vat.rate_for("Nahrungsergänzung", company) == Decimal("0.07")
    assert vat.rate_for("Düfte", company) == Decimal("0.19")
    assert vat.rate_for(None, company) == Decimal("0.19")


def test_a_company_without_vat_settings_shows_none(anna, world_orders):
    with anna.store.write() as conn:
        profile = profile_from_json(conn.execute(select(t.company.c.profile)).scalar_one())
        conn.execute(t.company.update().values(profile=profile_to_json(
            replace(profile, vat_standard_rate=Decimal(0), vat_reduced=()))))
    anna._company = None
    invoice = anna.invoice(world.INVOICES[world.ORDER_ANNA_DELIVERED])
    assert invoice.vat == ()


def test_an_invoice_over_the_backend_carries_its_vat(anna, world_orders):
    invoice = anna.invoice(world.INVOICES[world.ORDER_ANNA_DELIVERED])
    assert sum(line.gross.amount for line in invoice.vat) == invoice.total.amount
    assert {line.rate for line in invoice.vat} <= RATES["ru"]


def test_the_pdf_and_the_mail_show_net_and_vat_per_rate():
    import io

    from pypdf import PdfReader

    from mlm_tui.core.invoice_mail import _invoice_mail_body
    from mlm_tui.core.invoice_pdf import render_invoice_pdf
    from tests.core.invoice_sample import sample_invoice

    company = demo_company("de")
    invoice = sample_invoice()
    rated = replace(invoice, vat=vat.breakdown(
        [(Decimal("0.19"), Money(Decimal("100.00"), "RUB")),
         (Decimal("0.07"), Money(Decimal("50.00"), "RUB"))], replace(company, currency="RUB")))
    pdf = PdfReader(io.BytesIO(render_invoice_pdf(rated, company, "en")))
    text = "\n".join(page.extract_text() for page in pdf.pages).replace("\xa0", " ")
    assert "Net at 19 %" in text and "VAT 19 %" in text and "VAT 7 %" in text
    assert "15,97" in text and "3,27" in text  # 100 × 19/119 and 50 × 7/107
    body = _invoice_mail_body(rated, company, "de").replace("\xa0", " ")
    assert "darin MwSt. 19 %: 15,97" in body and "darin MwSt. 7 %: 3,27" in body
