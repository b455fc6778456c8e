"""An invoice with Cyrillic, umlauts and "ß", built by hand so PDF and mail tests need no store."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from mlm_tui.core.models import Invoice, MemberRef, OrderLine
from mlm_tui.core.money import Money


def rub(amount: str) -> Money:
    return Money(Decimal(amount), "RUB")


LINES = (
    OrderLine(1, "32548", "Крем для лица «Нежность»", 2, rub("799.00"), rub("639.20"),
              Decimal("12.5")),
    OrderLine(2, "36000", "Ätherisches Öl Lavendel", 1, rub("1299.00"), rub("1039.20"),
              Decimal(20)),
    OrderLine(3, "36001", "Straßenfeger Fußcreme", 3, rub("459.00"), rub("367.20"), Decimal(7)),
    OrderLine(4, "34001", "Гель для душа «Лаванда»", 1, rub("299.00"), rub("0"), Decimal(0),
              is_gift=True),
)


def sample_invoice(email: str | None = "olga.msk@example.ru") -> Invoice:
    retail = rub("4654.00")
    total = sum((line.total for line in LINES), rub("0"))
    return Invoice(
        number="INV-2026-000123",
        order_number="R-2026-000123",
        issued_at=datetime(2026, 11, 18, 10, 30),
        buyer=MemberRef(2, "1000002", "Ольга Иванова"),
        buyer_email=email,
        lines=LINES,
        retail=retail,
        discount=retail - total,
        delivery_fee=rub("0"),
        total=total,
        points=Decimal(66),
    )
