"""A small, fixed store that every test can reason about by name.

Built by direct inserts (fast, no business rules in the way) at a fixed clock, so
the same file can be opened by LocalBackend or served to RemoteBackend.

Who is who:
- ANNA (1000001) is the signed-in consultant, root of her team, with money on her balance.
- Her downline: three "Иванова" in different cities (one of them, OLGA_MSK, has a downline
  of her own: KLAUS), a pending newcomer and a closed account.
- PETR (2000001) heads another team: nobody in Anna's team may see him or his orders.

The order history (``build_world(path, with_orders=True)`` or ``add_orders(path)``; the
plain world has no orders, and tests of "never ordered" rely on that). Twelve orders from
August to November 2026, every one with an invoice (``INVOICES[number]``):
- ANNA: ORDER_ANNA_DELIVERED (SO, paid from the balance, a delivered CDEK parcel),
  ORDER_ANNA_LOYALTY (AS, delivered), ORDER_ANNA_PAID (SO, paid from the balance, not
  shipped: cancelling refunds it less the fee), ORDER_ANNA_PLACED (SO, to pay at the
  service centre). A top-up of ANNA_ORDERS_TOP_UP precedes them.
- OLGA_MSK: ORDER_OLGA_LOYALTY (AS, delivered), ORDER_OLGA_SHIPPED (SO, CDEK parcel in
  transit).
- KLAUS: ORDER_KLAUS_ENROLMENT (IN, delivered), ORDER_KLAUS_HERMES (IO, a Hermes parcel
  in transit, tracking HERMES_TRACKING, events and an estimated window).
- IRINA: ORDER_IRINA_DELIVERED (IO), ORDER_IRINA_CANCELLED (SO, cancelled).
- PETR: ORDER_PETR_DELIVERED, ORDER_PETR_SHIPPED (a parcel in transit): never visible to
  Anna's team.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert

from mlm_tui.core.company import demo_company, profile_to_json
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.orders import invoice_number, order_number
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


def build_world(path: Path, *, with_orders: bool = False) -> Path:
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
                     title="Пробник в обмен на оплату доставки", product_code="38000",
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
    if with_orders:
        add_orders(path)
    return path


# --- the order history (opt-in: add_orders) ------------------------------------------------


@dataclass(frozen=True)
class WorldOrder:
    id: int
    buyer: Person
    placed_at: datetime
    source: str
    status: str  # the last of placed -> paid -> shipped -> delivered, or cancelled
    payment: str
    lines: tuple[tuple[str, int], ...]  # code, quantity
    carrier: str | None = None  # a shipment when shipped or delivered by a carrier
    tracking: str = ""

    @property
    def number(self) -> str:
        return order_number(demo_company("ru"), self.placed_at, self.id)

    @property
    def invoice(self) -> str:
        return invoice_number(self.placed_at, self.id)

    @property
    def period_id(self) -> int:
        return 2 if self.placed_at >= datetime(2026, 11, 10) else 1


HERMES_TRACKING = "H1003456789012345"
ANNA_ORDERS_TOP_UP = Decimal(5000)

WORLD_ORDERS = (
    WorldOrder(1, ANNA, datetime(2026, 8, 12, 10), "SO", "delivered", "balance",
               (("32548", 2), ("34001", 1)), "cdek", "1098765432"),
    WorldOrder(2, KLAUS, datetime(2026, 8, 20, 11), "IN", "delivered", "cash_to_courier",
               (("36000", 1), ("36001", 2))),
    WorldOrder(3, IRINA, datetime(2026, 9, 2, 9, 30), "IO", "delivered", "service_centre",
               (("33012", 3),)),
    WorldOrder(4, OLGA_MSK, datetime(2026, 9, 10, 14), "AS", "delivered", "service_centre",
               (("35555", 1),)),
    WorldOrder(5, PETR, datetime(2026, 10, 1, 10), "SO", "delivered", "balance",
               (("39000", 1),)),
    WorldOrder(6, ANNA, datetime(2026, 10, 5, 12), "AS", "delivered", "balance",
               (("36000", 1), ("38100", 2))),
    WorldOrder(7, IRINA, datetime(2026, 10, 20, 16), "SO", "cancelled", "cash_to_courier",
               (("32548", 1),)),
    WorldOrder(8, KLAUS, datetime(2026, 11, 5, 10), "IO", "shipped", "instalments",
               (("36000", 2),), "hermes", HERMES_TRACKING),
    WorldOrder(9, PETR, datetime(2026, 11, 10, 9), "SO", "shipped", "balance",
               (("35555", 1),), "pochta", "80085412345678"),
    WorldOrder(10, OLGA_MSK, datetime(2026, 11, 12, 15), "SO", "shipped", "cash_to_courier",
               (("39000", 1), ("33012", 2)), "cdek", "1099887766"),
    WorldOrder(11, ANNA, datetime(2026, 11, 15, 10), "SO", "paid", "balance",
               (("35555", 1), ("32548", 1))),
    WorldOrder(12, ANNA, datetime(2026, 11, 18, 18), "SO", "placed", "service_centre",
               (("34001", 2),)),
)
_BY_ID = {o.id: o for o in WORLD_ORDERS}
ORDER_ANNA_DELIVERED = _BY_ID[1].number
ORDER_KLAUS_ENROLMENT = _BY_ID[2].number
ORDER_IRINA_DELIVERED = _BY_ID[3].number
ORDER_OLGA_LOYALTY = _BY_ID[4].number
ORDER_PETR_DELIVERED = _BY_ID[5].number
ORDER_ANNA_LOYALTY = _BY_ID[6].number
ORDER_IRINA_CANCELLED = _BY_ID[7].number
ORDER_KLAUS_HERMES = _BY_ID[8].number
ORDER_PETR_SHIPPED = _BY_ID[9].number
ORDER_OLGA_SHIPPED = _BY_ID[10].number
ORDER_ANNA_PAID = _BY_ID[11].number
ORDER_ANNA_PLACED = _BY_ID[12].number
INVOICES = {o.number: o.invoice for o in WORLD_ORDERS}

_STEPS = ("placed", "paid", "shipped", "delivered")
_SHIPPED_AFTER = timedelta(days=2)
# Stations a parcel passes, per carrier: (days after shipping, station, what happened).
_ROUTES = {
    "cdek": ((0, "Москва, склад", "принят на склад"), (1, "Москва, сортировка",
                                                       "отправлен в город получателя")),
    "pochta": ((0, "Самара 443001", "принято в отделении"), (2, "Самара МСЦ", "сортировка")),
    "hermes": ((0, "Hermes Logistik-Center Ludwigsfelde", "Die Sendung wurde sortiert."),
               (1, "Hermes Depot München", "Die Sendung ist im Zustelldepot angekommen.")),
}


def add_orders(path: Path) -> None:
    """Write the order history above into the world at ``path`` (once)."""
    company = demo_company("ru")
    fee, free_from = company.delivery_fee.amount, company.free_delivery_from.amount
    store = Store(path)
    with store.write() as conn:
        prices = {(row.period_id, row.code): row for row in conn.execute(
            t.products.select())}
        conn.execute(insert(t.balance_ledger).values(
            member_id=ANNA.id, at=datetime(2026, 8, 1, 9), kind="top_up",
            amount=ANNA_ORDERS_TOP_UP, note="card"))
        for order in WORLD_ORDERS:
            lines = [(prices[(order.period_id, code)], quantity)
                     for code, quantity in order.lines]
            retail = sum((p.retail_price * q for p, q in lines), Decimal(0))
            goods = sum((p.consultant_price * q for p, q in lines), Decimal(0))
            delivery = Decimal(0) if goods >= free_from else fee
            total = goods + delivery
            conn.execute(insert(t.orders).values(
                id=order.id, number=order.number, buyer_id=order.buyer.id,
                placed_by_id=order.buyer.id, source=order.source, status=order.status,
                period_id=order.period_id, placed_at=order.placed_at, retail=retail,
                discount=retail - goods, delivery_fee=delivery, total=total,
                points=sum((p.points * q for p, q in lines), Decimal(0)),
                payment_method=order.payment,
                delivery_method="courier" if order.carrier else "service_centre",
                pickup_point=None if order.carrier else "SC-MSK-1",
                idempotency_key=f"world-order-{order.id}",
            ))
            conn.execute(insert(t.order_lines), [
                dict(order_id=order.id, line_no=n, product_code=p.code, product_name=p.name,
                     quantity=q, unit_retail=p.retail_price, unit_price=p.consultant_price,
                     points_each=p.points, is_gift=False)
                for n, (p, q) in enumerate(lines, 1)
            ])
            conn.execute(insert(t.invoices).values(
                number=order.invoice, order_id=order.id, issued_at=order.placed_at))
            conn.execute(insert(t.order_status_history), _history(order))
            if order.payment == "balance":
                conn.execute(insert(t.balance_ledger).values(
                    member_id=order.buyer.id, at=order.placed_at, kind="payment",
                    amount=-total, order_id=order.id, note="order payment"))
            if order.carrier:
                _ship(conn, order)
        for person in (ANNA, OLGA_MSK, KLAUS, IRINA, PETR):
            last = max(o.placed_at for o in WORLD_ORDERS
                       if o.buyer is person and o.status != "cancelled")
            conn.execute(t.members.update().where(t.members.c.id == person.id)
                         .values(last_order_at=last))
    store.close()


def _history(order: WorldOrder) -> list[dict]:
    if order.status == "cancelled":
        steps = [("placed", order.placed_at), ("cancelled", order.placed_at + timedelta(hours=2))]
    else:
        paid_after = timedelta(0) if order.payment == "balance" else timedelta(days=1)
        after = {"placed": timedelta(0), "paid": paid_after, "shipped": _SHIPPED_AFTER,
                 "delivered": _SHIPPED_AFTER + timedelta(days=4)}
        reached = _STEPS[:_STEPS.index(order.status) + 1]
        steps = [(status, order.placed_at + after[status]) for status in reached]
    return [dict(order_id=order.id, status=status, at=at, note="") for status, at in steps]


def _ship(conn, order: WorldOrder) -> None:
    shipped_at = order.placed_at + _SHIPPED_AFTER
    delivered = order.status == "delivered"
    shipment_id = conn.execute(insert(t.shipments).values(
        order_id=order.id, carrier=order.carrier, tracking_number=order.tracking,
        shipped_at=shipped_at, status="delivered" if delivered else "in_transit",
        estimated_from=(shipped_at + timedelta(days=14)).date(),
        estimated_to=(shipped_at + timedelta(days=17)).date(),
    )).inserted_primary_key[0]
    events = [dict(shipment_id=shipment_id, at=shipped_at + timedelta(days=day, hours=3),
                   station=station, description=description)
              for day, station, description in _ROUTES[order.carrier]]
    if delivered:
        events.append(dict(shipment_id=shipment_id, at=shipped_at + timedelta(days=4),
                           station=order.buyer.city, description="вручено"))
    conn.execute(insert(t.shipment_events), events)


def confirmed_top_up(backend, amount, method=None):
    """A top-up the service has confirmed: the balance grows by ``amount``."""
    from mlm_tui.core.local.payments import confirm_payment
    from mlm_tui.core.models import PaymentSource, TopUpMethod

    request = backend.top_up(amount, method or TopUpMethod.CARD)
    now = backend.clock() if hasattr(backend, "clock") else NOW
    confirm_payment(backend.store, request.reference, now=now,
                    source=PaymentSource.SERVICE, decided_by="service")
    return request
