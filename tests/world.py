"""A small, fixed store that every test can reason about by name.

Built by direct inserts (fast, no business rules in the way) at a fixed clock, so
the same file can be opened by LocalBackend or served to RemoteBackend.

Who is who:
- ANNA (1000001) is the signed-in consultant, root of her team, with money on her balance.
- Her downline: three "Иванова" in different cities (one of them, OLGA_MSK, has a downline
  of her own: KLAUS), a pending newcomer and a closed account.
- PETR (2000001) heads another team: nobody in Anna's team may see him or his orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert

from mlm_tui.core.company import demo_company, profile_to_json
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.store import Store
from mlm_tui.core.passwords import hash_secret

NOW = datetime(2026, 11, 20, 12, 0, 0)
PASSWORD = "Demo-pass-2026"


@dataclass(frozen=True)
class Person:
    id: int
    registration_number: str
    full_name: str
    email: str
    phone: str
    city: str


ANNA = Person(1, "1000001", "Анна Смирнова", "anna@example.ru", "+79161234501", "Москва")
OLGA_MSK = Person(2, "1000002", "Ольга Иванова", "olga.msk@example.ru", "+79161234502", "Москва")
OLGA_KZN = Person(3, "1000003", "Ольга Иванова", "olga.kzn@example.ru", "+79161234503", "Казань")
IRINA = Person(4, "1000004", "Ирина Иванова", "irina@example.ru", "+79161234504", "Тверь")
KLAUS = Person(5, "1000005", "Klaus Müller", "klaus@example.de", "+4915112345605", "München")
NEWBIE = Person(6, "1000006", "Светлана Новикова", "sveta@example.ru", "+79161234506", "Тула")
CLOSED = Person(7, "1000007", "Игорь Закрытый", "igor@example.ru", "+79161234507", "Омск")
PETR = Person(8, "2000001", "Пётр Чужой", "petr@example.ru", "+79161234508", "Самара")

CURRENT_PERIOD = "2026-16"
PREVIOUS_PERIOD = "2026-15"

# code, name, category, retail, points, stock
PRODUCTS = [
    ("32548", "Крем для лица «Нежность»", "Уход за лицом", "799.00", "12.5", 120),
    ("33012", "Тушь для ресниц «Объём»", "Макияж", "549.00", "8", 80),
    ("34001", "Гель для душа «Лаванда»", "Уход за телом", "299.00", "5", 300),
    ("35555", "Парфюмерная вода «Северное сияние»", "Парфюмерия", "2499.00", "40", 15),
    ("36000", "Ätherisches Öl Lavendel", "Wellness", "1299.00", "20", 50),
    ("36001", "Straßenfeger Fußcreme", "Уход за телом", "459.00", "7", 40),
    ("37000", "Шампунь «Распродано»", "Уход за волосами", "399.00", "6", 0),
    ("38000", "Пробник крема «Нежность»", "Уход за лицом", "99.00", "0", 500),
    ("38100", "Ёлочная свеча «Зима»", "Подарки", "349.00", "5", 60),
    ("39000", "Набор кистей для макияжа", "Макияж", "1899.00", "30", 25),
]


def build_world(path: Path) -> Path:
    store = Store(path)
    company = demo_company("ru")
    discount = company.consultant_discount
    with store.write() as conn:
        conn.execute(insert(t.company).values(id=1, profile=profile_to_json(company)))
        conn.execute(
            insert(t.periods),
            [
                dict(id=1, code=PREVIOUS_PERIOD, name="Каталог 15/2026",
                     starts_on=date(2026, 10, 20), ends_on=date(2026, 11, 9), ordering_open=False),
                dict(id=2, code=CURRENT_PERIOD, name="Каталог 16/2026",
                     starts_on=date(2026, 11, 10), ends_on=date(2026, 11, 30), ordering_open=True),
            ],
        )
        category_names = sorted({p[2] for p in PRODUCTS})
        conn.execute(
            insert(t.categories),
            [dict(id=i, name=name) for i, name in enumerate(category_names, 1)],
        )
        rows = []
        for period_id in (1, 2):
            for code, name, category, retail, points, stock in PRODUCTS:
                retail_price = Decimal(retail) + (0 if period_id == 2 else Decimal(-50))
                rows.append(dict(
                    period_id=period_id, code=code, name=name, description=f"{name}.",
                    category_id=category_names.index(category) + 1,
                    retail_price=retail_price,
                    consultant_price=(retail_price * (1 - discount)).quantize(Decimal("0.01")),
                    points=Decimal(points), stock=stock,
                ))
        conn.execute(insert(t.products), rows)
        conn.execute(
            insert(t.promotions),
            [
                dict(period_id=2, kind="percent_off", title="−10% на тушь «Объём»",
                     product_code="33012", percent=Decimal(10), threshold=None,
                     closed_sale=False),
                dict(period_id=2, kind="gift_over_threshold",
                     title="Гель для душа в подарок от 3 000 ₽", product_code="34001",
                     percent=Decimal(0), threshold=Decimal(3000), closed_sale=False),
                dict(period_id=2, kind="delivery_product",
                     title="Пробник вместо оплаты доставки", product_code="38000",
                     percent=Decimal(0), threshold=None, closed_sale=False),
                dict(period_id=2, kind="percent_off", title="Закрытая распродажа: кисти −30%",
                     product_code="39000", percent=Decimal(30), threshold=None,
                     closed_sale=True),
            ],
        )
        password_hash = hash_secret(PASSWORD)

        def member(p: Person, *, sponsor: Person | None, path: str, status: str = "active",
                   kind: str = "consultant", registered: datetime, loyalty: bool = False,
                   birth: date = date(1985, 5, 17)) -> dict:
            return dict(
                id=p.id, registration_number=p.registration_number, kind=kind, status=status,
                full_name=p.full_name, name_folded=p.full_name.casefold(), email=p.email,
                phone=p.phone, birth_date=birth, postcode="101000", city=p.city,
                street="ул. Примерная, 1", country="DE" if p is KLAUS else "RU",
                passport=None, sponsor_id=sponsor.id if sponsor else None,
                enroller_id=sponsor.id if sponsor else None, path=path,
                registered_at=registered,
                activated_at=registered if status != "pending" else None,
                closed_at=NOW - timedelta(days=3) if status == "closed" else None,
                loyalty_enrolled=loyalty,
                loyalty_since=registered.date() if loyalty else None,
                password_hash=password_hash if status != "pending" else None,
            )

        conn.execute(
            insert(t.members),
            [
                member(ANNA, sponsor=None, path="/1/", registered=datetime(2019, 3, 1, 10),
                       loyalty=True, birth=date(1980, 2, 29)),
                member(OLGA_MSK, sponsor=ANNA, path="/1/2/", registered=datetime(2021, 6, 1, 9),
                       loyalty=True),
                member(OLGA_KZN, sponsor=ANNA, path="/1/3/", registered=datetime(2022, 1, 15, 9),
                       kind="customer"),
                member(IRINA, sponsor=ANNA, path="/1/4/", registered=datetime(2023, 8, 20, 9)),
                member(KLAUS, sponsor=OLGA_MSK, path="/1/2/5/",
                       registered=datetime(2024, 4, 2, 9)),
                member(NEWBIE, sponsor=ANNA, path="/1/6/", status="pending",
                       registered=NOW - timedelta(days=1)),
                member(CLOSED, sponsor=ANNA, path="/1/7/", status="closed",
                       registered=datetime(2020, 1, 1, 9)),
                member(PETR, sponsor=None, path="/8/", registered=datetime(2018, 1, 1, 9)),
            ],
        )
        conn.execute(
            insert(t.balance_ledger),
            [
                dict(member_id=ANNA.id, at=NOW - timedelta(days=30), kind="top_up",
                     amount=Decimal(10000), note="card"),
                dict(member_id=OLGA_MSK.id, at=NOW - timedelta(days=30), kind="top_up",
                     amount=Decimal(500), note="terminal"),
                dict(member_id=PETR.id, at=NOW - timedelta(days=30), kind="top_up",
                     amount=Decimal(7000), note="card"),
            ],
        )
        conn.execute(
            insert(t.points_ledger),
            [
                dict(member_id=ANNA.id, at=NOW - timedelta(days=40), kind="earned",
                     points=Decimal(120), expires_on=date(2026, 12, 1), note="sponsor points"),
                dict(member_id=ANNA.id, at=NOW - timedelta(days=10), kind="spent",
                     points=Decimal(-20), expires_on=None, note="spent on products"),
            ],
        )
    store.close()
    return path
