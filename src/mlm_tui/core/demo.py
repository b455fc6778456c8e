"""The deterministic demo store: a company, a catalog, a team and two years of orders.

``build_demo`` fills an empty store so a newcomer can log in at once and every screen
has something to show. The same seed (and day) always gives the same rows: every choice
comes from one ``random.Random(seed)``, drawn in a fixed order.

It must stay fast at scale (a million orders in well under two minutes), so rows are
written with the plain ``sqlite3`` module in big batches inside one transaction, in the
exact forms the schema's types store: money and points as integers of hundredths,
timestamps as ISO text ``YYYY-MM-DDTHH:MM:SS``, dates as ``YYYY-MM-DD``, booleans as 0/1.
Ids are chosen here, not read back, so rows can refer to each other without a query.

Numbers the demo gives out: registration numbers ``1000000 + member id``; orders,
invoices and claims are numbered as the store numbers them (``core.rules.numbers``).
"""

from __future__ import annotations

import json
import random
import sqlite3
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate
from math import sqrt
from pathlib import Path
from typing import Any, TypeAlias

from mlm_tui.core import demo_words as words
from mlm_tui.core.alerts import QUIET_MONTHS, WARN_DAYS, unspent_lots
from mlm_tui.core.company import demo_company, profile_to_json
from mlm_tui.core.errors import Conflict, ValidationError
from mlm_tui.core.files import PRIVATE, FileModes
from mlm_tui.core.models import (
    CompanyProfile,
    DeliveryMethod,
    LedgerKind,
    MemberKind,
    MemberStatus,
    NotificationKind,
    OrderSource,
    OrderStatus,
    PaymentMethod,
    PointsEntry,
    PointsKind,
    PromotionKind,
    ShipmentStatus,
)
from mlm_tui.core.money import Money
from mlm_tui.core.notices import NoticeCode, money_param, word_decision, word_notice
from mlm_tui.core.retention_rules import add_months
from mlm_tui.core.rules import cancellation, numbers
from mlm_tui.core.rules.payment import payment_methods_once_for

DEMO_PASSWORD = "demo-2026"
MARKETS = ("ru", "de")
REGISTRATION_BASE = 1_000_000
HISTORY_DAYS = 730  # orders cover the last two years
PERIOD_DAYS = 21  # a catalog every three weeks
EVENTS_DAYS = 45  # tracking events only for parcels shipped this recently
BATCH_ORDERS = 50_000
MAX_ORDERS = 20_000_000  # ten times the largest store measured: a typo, not a wish, beyond it
# Codes every demo catalog holds, whatever its size: the README and the app's hints show
# them, and an example must work when typed.
EXAMPLE_CODES = (32548, 33012)

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class DemoLogin:
    registration_number: str
    email: str
    password: str


def demo_login(market: str = "ru") -> DemoLogin:
    """The demo consultant's login: the same in every demo store of a market."""
    people = words.RUSSIAN if market == "ru" else words.GERMAN
    return DemoLogin(str(REGISTRATION_BASE + 1), f"demo@{people.email_domain}", DEMO_PASSWORD)


# What the app offers on its login screen when it finds a demo store.
DEMO_LOGIN = demo_login("ru")


def build_demo(
    store_path: Path,
    *,
    products: int = 3200,
    orders: int = 15000,
    members: int = 200,
    seed: int = 7,
    today: date | None = None,
    market: str = "ru",
    progress: Progress | None = None,
    force: bool = False,
    modes: FileModes = PRIVATE,
) -> DemoLogin:
    """Fill ``store_path`` with demo data and return the demo consultant's login.

    ``members`` is the size of the demo consultant's downline (she comes on top);
    ``products`` the size of the current catalog. Refuses (``Conflict``, field ``store``)
    to touch a store that already holds data unless ``force`` is given, which rebuilds it.

    The store is built in a file of its own beside ``store_path`` and takes its place
    only once complete: a build stopped half-way (killed, a full disk) leaves the store
    that was there as it was, and the next build starts clean. ``modes`` say who may
    read it (``core.files``).
    """
    check_sizes(products=products, orders=orders, members=members, market=market)
    if not force and _holds_data(store_path):
        raise Conflict(
            f"{store_path} already holds data; rebuild it with force (--force)", field="store"
        )
    from mlm_tui.core.local.store import StoreError, make_folder

    make_folder(store_path.parent, modes)
    partial = store_path.with_name(f".{store_path.name}.building")
    _remove(partial)  # what a build that was killed left
    try:
        login = _build(partial, modes, products=products, orders=orders, members=members,
                       seed=seed, today=today, market=market, progress=progress or _silent)
        _remove(store_path)  # an old -wal must never be read as the new file's
        partial.replace(store_path)
    except sqlite3.Error as exc:
        _remove(partial)
        raise StoreError(f"the demo store could not be built in {store_path.parent}: {exc}",
                         field="store") from exc
    except BaseException:
        _remove(partial)
        raise
    return login


def _build(path: Path, modes: FileModes, *, products: int, orders: int, members: int,
           seed: int, today: date | None, market: str, progress: Progress) -> DemoLogin:
    from mlm_tui.core.local.search_index import add_search_functions
    from mlm_tui.core.local.store import Store
    from mlm_tui.core.passwords import hash_secret

    Store(path, modes).close()  # the schema, full-text tables and triggers
    day = today or datetime.now(UTC).date()
    conn = sqlite3.connect(path, isolation_level=None)
    add_search_functions(conn)  # the search index's triggers call them
    try:
        _bulk_pragmas(conn)
        conn.execute("BEGIN")
        demo = _Demo(conn, random.Random(seed), day, market, progress)
        demo.company()
        demo.catalog(products)
        login = demo.team(members, hash_secret(DEMO_PASSWORD))
        demo.orders(orders)
        demo.wallets()
        demo.inbox()
        demo.balances()  # last: accepted claims credit the balance too
        conn.execute("COMMIT")
        demo.report("finishing", 0, 1)
        conn.execute("PRAGMA analysis_limit = 1000")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA journal_mode = WAL")
        demo.report("finishing", 1, 1)
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
    return login


def _with_examples(codes: list[int]) -> list[int]:
    """``codes`` sorted, each of ``EXAMPLE_CODES`` in place of the nearest other code: the
    random draws are not changed, so the rest of the demo data stays as it was."""
    codes = sorted(codes)
    for example in EXAMPLE_CODES:
        if example in codes:
            continue
        nearest = min((i for i, code in enumerate(codes) if code not in EXAMPLE_CODES),
                      key=lambda i: abs(codes[i] - example))
        codes[nearest] = example
    return sorted(codes)


def _silent(_phase: str, _done: int, _total: int) -> None:
    return None


def check_sizes(*, products: int, orders: int, members: int, market: str) -> None:
    """What ``build_demo`` refuses, checked before anything is made."""
    if market not in MARKETS:
        raise ValidationError(f"market must be one of {', '.join(MARKETS)}", field="market")
    if not 10 <= products <= 900_000:
        raise ValidationError("products must be between 10 and 900000", field="products")
    if not 0 <= orders <= MAX_ORDERS:
        raise ValidationError(f"orders must be between 0 and {MAX_ORDERS}", field="orders")
    if not 0 <= members <= 1_000_000:
        raise ValidationError("members must be between 0 and 1000000", field="members")


def _remove(store_path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{store_path}{suffix}").unlink(missing_ok=True)


def _holds_data(store_path: Path) -> bool:
    if not store_path.exists() or store_path.stat().st_size == 0:
        return False  # an empty file holds nothing to lose
    conn = sqlite3.connect(store_path)
    try:
        return any(
            conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
            for table in ("company", "members", "products")
        )
    except sqlite3.DatabaseError:
        return True  # not a store we understand: never overwrite it silently
    finally:
        conn.close()


def _bulk_pragmas(conn: sqlite3.Connection) -> None:
    # During the build only: a crash leaves a half-built file that is never used.
    conn.execute("PRAGMA journal_mode = MEMORY")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")  # 256 MiB: indexes stay in memory
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA foreign_keys = OFF")


# --- time as the store writes it -----------------------------------------------------------

_TIMES = [f"T{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]
DAY = 86_400
HOUR = 3_600


class _Timeline:
    """Seconds since the start of the history window, formatted without datetime objects."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.start = datetime.combine(now.date() - timedelta(days=HISTORY_DAYS), time())
        self.now_ts = int((now - self.start).total_seconds())
        first = self.start.date()
        # A few weeks past today too: estimated delivery windows and expiry dates.
        self.days = [(first + timedelta(days=n)).isoformat() for n in range(HISTORY_DAYS + 500)]

    def iso(self, ts: int) -> str:
        if ts < 0:  # before the window: a member who joined years ago
            return _iso(self.start + timedelta(seconds=ts))
        day, second = divmod(ts, DAY)
        return self.days[day] + _TIMES[second]

    def day(self, ts: int) -> str:
        if ts < 0:
            return (self.start + timedelta(seconds=ts)).date().isoformat()
        return self.days[ts // DAY]

    def of(self, moment: datetime) -> int:
        return int((moment - self.start).total_seconds())


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _hundredths(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


# --- the build -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Person:
    id: int
    full_name: str
    kind: str
    status: str
    sponsor_id: int | None
    registered_ts: int  # may be negative: before the history window
    loyalty_ts: int | None
    weight: float  # how often this member orders
    country: str = ""  # where they live: their parcels go to that country's points and carriers


# A row as executemany takes it: the values of its columns, in the statement's order.
_Row: TypeAlias = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class _Catalog:
    codes: list[str]
    names: list[str]
    retail: list[int]  # hundredths
    price: list[int]
    points: list[int]
    previous: list[int]  # indexes of the products also sold in the previous period


class _Demo:
    def __init__(self, conn: sqlite3.Connection, rng: random.Random, today: date, market: str,
                 report: Progress) -> None:
        self.conn = conn
        self.rng = rng
        self.market = market
        self.report = report
        # No provider or bank confirms the demo's payments: its own step does, labelled so.
        self.profile: CompanyProfile = replace(demo_company(market), demo_payments=True)
        # Midnight: nothing in the store lies in the future of the day it was built.
        self.time = _Timeline(datetime.combine(today, time()))
        self.people: list[_Person] = []
        self.catalog_rows: _Catalog | None = None
        self.current_period_id = 2
        self.current_period_start = 0
        self.ledger: list[_Row] = []  # balance entries, sorted by time before writing
        # The demo consultant's delivered orders: (order id, delivered at, ISO).
        self.root_delivered: list[tuple[int, str]] = []
        self.root_shipped: list[int] = []
        self.lines_by_order: dict[int, list[tuple[str, int, int]]] = {}
        self.order_numbers: dict[int, str] = {}  # the demo consultant's, by order id
        self.invoice_numbers: dict[int, str] = {}
        self.home = market.upper()  # the country the company's own market is in
        # Wallet points paid orders earned (and undone ones gave back), by who placed them:
        # (at, kind, points, expires at, order id, order number).
        self.order_points: dict[int, list[_Row]] = {}

    # --- company and catalog -------------------------------------------------------------
    def company(self) -> None:
        self.report("company", 0, 1)
        self.conn.execute("INSERT INTO company(id, profile) VALUES (1, ?)",
                          (profile_to_json(self.profile),))
        self.report("company", 1, 1)

    def catalog(self, count: int) -> None:
        self.report("catalog", 0, count)
        self._periods()
        category_names = [c.russian if self.market == "ru" else c.german
                          for c in words.CATEGORIES]
        self.conn.executemany("INSERT INTO categories(id, name) VALUES (?, ?)",
                              list(enumerate(category_names, 1)))
        catalog, rows = self._products(count, category_names)
        self.catalog_rows = catalog
        self.conn.executemany(
            "INSERT INTO products(id, period_id, code, name, description, category_id, "
            "retail_price, consultant_price, points, stock) VALUES (?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        self._promotions(catalog)
        self.report("catalog", count, count)

    def _periods(self) -> None:
        today = self.time.now.date()
        number = (today.timetuple().tm_yday - 1) // PERIOD_DAYS + 1
        starts = date(today.year, 1, 1) + timedelta(days=(number - 1) * PERIOD_DAYS)
        previous_starts = starts - timedelta(days=PERIOD_DAYS)
        previous_number = (previous_starts.timetuple().tm_yday - 1) // PERIOD_DAYS + 1
        label = "Каталог" if self.market == "ru" else "Katalog"
        rows = [
            (1, f"{previous_starts.year}-{previous_number:02d}",
             f"{label} {previous_number}/{previous_starts.year}", previous_starts.isoformat(),
             (starts - timedelta(days=1)).isoformat(), 0),
            (2, f"{today.year}-{number:02d}", f"{label} {number}/{today.year}",
             starts.isoformat(), (starts + timedelta(days=PERIOD_DAYS - 1)).isoformat(), 1),
        ]
        self.conn.executemany(
            "INSERT INTO periods(id, code, name, starts_on, ends_on, ordering_open) "
            "VALUES (?,?,?,?,?,?)", rows)
        self.current_period_start = self.time.of(datetime.combine(starts, time()))

    def _products(self, count: int, category_names: list[str]) -> tuple[_Catalog, list[_Row]]:
        rng = self.rng
        currency = self.profile.currency
        discount_bp = int(self.profile.consultant_discount * 10_000)
        german_share = 1.0 if self.market == "de" else 0.08
        digits = 5 if count <= 90_000 else 6
        codes = _with_examples(rng.sample(range(10 ** (digits - 1), 10**digits), count))
        catalog = _Catalog([], [], [], [], [], [])
        current: list[_Row] = []
        previous: list[_Row] = []
        for number in codes:
            category_index = int(rng.random() * len(words.CATEGORIES))
            category = words.CATEGORIES[category_index]
            german = rng.random() < german_share
            size = rng.choice(words.SIZES_DE if german else words.SIZES) if category.sized else ""
            if german:
                name = f"{rng.choice(category.kinds_de)} {rng.choice(words.NAMES_DE)} {size}"
            else:
                name = f"{rng.choice(category.kinds_ru)} «{rng.choice(words.NAMES_RU)}»" + (
                    f", {size}" if size else "")
            name = name.strip()
            retail = rng.choice(words.PRICES[currency][category.price_band]) * 100
            if currency == "EUR":
                retail -= 10  # 12,90 €
            price = (retail * (10_000 - discount_bp) + 5_000) // 10_000
            points = 0 if rng.random() < 0.02 else _points_for(retail, currency)
            stock = 0 if rng.random() < 0.02 else int(rng.random() * 500) + 1
            code = str(number)
            description = f"{name}. {category_names[category_index]}."
            catalog.codes.append(code)
            catalog.names.append(name)
            catalog.retail.append(retail)
            catalog.price.append(price)
            catalog.points.append(points)
            current.append((None, 2, code, name, description, category_index + 1, retail,
                            price, points, stock))
            if rng.random() < 0.9:  # a tenth of the catalog is new this period
                old_retail = retail * 95 // 100
                old_price = (old_retail * (10_000 - discount_bp) + 5_000) // 10_000
                catalog.previous.append(len(catalog.codes) - 1)
                previous.append((None, 1, code, name, description, category_index + 1,
                                 old_retail, old_price, points, 0))
        return catalog, previous + current

    def _promotions(self, catalog: _Catalog) -> None:
        rng = self.rng
        currency = self.profile.currency
        picks = rng.sample(range(len(catalog.codes)), 6) + rng.sample(catalog.previous, 2)
        code = [catalog.codes[i] for i in picks]
        name = [catalog.names[i] for i in picks]
        threshold = 300_000 if currency == "RUB" else 7_500
        if self.market == "ru":
            titles = (f"−15% на {name[0]}", f"−10% на {name[1]}",
                      f"{name[2]} в подарок от 3 000 ₽", f"{name[3]} в обмен на оплату доставки",
                      f"Закрытая распродажа: {name[4]} −40%",
                      f"Закрытая распродажа: {name[5]} −30%", f"−20% на {name[6]}",
                      f"{name[7]} в подарок от 3 000 ₽")
        else:
            titles = (f"−15 % auf {name[0]}", f"−10 % auf {name[1]}",
                      f"{name[2]} gratis ab 75 €", f"{name[3]} gratis gegen die Versandkosten",
                      f"Exklusiver Abverkauf: {name[4]} −40 %",
                      f"Exklusiver Abverkauf: {name[5]} −30 %", f"−20 % auf {name[6]}",
                      f"{name[7]} gratis ab 75 €")
        off, gift, delivery = (PromotionKind.PERCENT_OFF.value,
                               PromotionKind.GIFT_OVER_THRESHOLD.value,
                               PromotionKind.DELIVERY_PRODUCT.value)
        rows = [
            (2, off, titles[0], code[0], 1500, None, 0),
            (2, off, titles[1], code[1], 1000, None, 0),
            (2, gift, titles[2], code[2], 0, threshold, 0),
            (2, delivery, titles[3], code[3], 0, None, 0),
            (2, off, titles[4], code[4], 4000, None, 1),
            (2, off, titles[5], code[5], 3000, None, 1),
            (1, off, titles[6], code[6], 2000, None, 0),
            (1, gift, titles[7], code[7], 0, threshold, 0),
        ]
        self.conn.executemany(
            "INSERT INTO promotions(period_id, kind, title, product_code, percent, threshold, "
            "closed_sale) VALUES (?,?,?,?,?,?,?)", rows)

    # --- the team ------------------------------------------------------------------------
    def team(self, count: int, password_hash: str) -> DemoLogin:
        self.report("members", 0, count + 1)
        rng = self.rng
        native, foreign = ((words.RUSSIAN, words.GERMAN) if self.market == "ru"
                           else (words.GERMAN, words.RUSSIAN))
        now_ts = self.time.now_ts
        founded = now_ts - 6 * 365 * DAY
        total = count + 1
        pending = {total - i for i in range(max(1, count // 50))} if count >= 10 else set()
        early = list(range(2, max(2, int(total * 0.6))))
        closed = set(rng.sample(early, min(len(early), max(1, count // 50)))) if count >= 10 \
            else set()
        namesakes = self._namesakes(total, pending | closed)
        first_name, surname = words.DEMO_ROOT[self.market]
        rows: list[_Row] = []
        sponsors: list[int] = [1]  # active consultants so far: who may sponsor newcomers
        paths = {1: "/1/"}
        registered = sorted(rng.randrange(founded + 30 * DAY, now_ts - 4 * DAY)
                            for _ in range(count - len(pending)))
        registered += sorted(rng.randrange(now_ts - 3 * DAY, now_ts) for _ in pending)
        cities_used: dict[str, int] = {}
        for member_id in range(1, total + 1):
            if member_id == 1:
                people, kind, sponsor, reg_ts = native, MemberKind.CONSULTANT, None, founded
                full_name = f"{first_name} {surname}"
                status = MemberStatus.ACTIVE
            else:
                people = foreign if rng.random() < 0.15 else native
                kind = MemberKind.CUSTOMER if rng.random() < 0.3 else MemberKind.CONSULTANT
                sponsor = 1 if rng.random() < 0.3 else rng.choice(sponsors)
                reg_ts = registered[member_id - 2]
                status = (MemberStatus.PENDING if member_id in pending
                          else MemberStatus.CLOSED if member_id in closed
                          else MemberStatus.ACTIVE)
                full_name = self._name(people)
            city = rng.choice(people.cities)
            if member_id in namesakes:
                people, full_name = native, words.COMMON_NAME[self.market]
                city = self._unused_city(native, cities_used)
            if kind == MemberKind.CONSULTANT and status == MemberStatus.ACTIVE:
                sponsors.append(member_id)
            loyal = status == MemberStatus.ACTIVE and (member_id == 1 or rng.random() < 0.3)
            loyalty_ts = min(now_ts - DAY, reg_ts + int(rng.random() * 400) * DAY) \
                if loyal else None
            paths[member_id] = (paths[sponsor] if sponsor else "/") + f"{member_id}/"
            enroller = sponsor
            if sponsor and sponsor != 1 and rng.random() < 0.15:
                enroller = int(paths[sponsor].strip("/").split("/")[-2])  # sponsor's sponsor
            self.people.append(_Person(
                member_id, full_name, kind.value, status.value, sponsor, reg_ts, loyalty_ts,
                _order_weight(rng, member_id, kind, status, total), people.country,
            ))
            rows.append(self._member_row(
                member_id, full_name, people, city, kind, status, sponsor, enroller,
                paths[member_id], reg_ts, loyalty_ts, password_hash, namesakes,
            ))
        self.conn.executemany(
            "INSERT INTO members(id, registration_number, kind, status, full_name, "
            "name_folded, email, phone, birth_date, postcode, city, street, country, passport, "
            "sponsor_id, enroller_id, path, registered_at, activated_at, closed_at, "
            "loyalty_enrolled, loyalty_since, password_hash, last_order_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        self.report("members", total, total)
        return demo_login(self.market)

    def _namesakes(self, total: int, excluded: set[int]) -> set[int]:
        """Ids that share the common name: at least three when the team allows."""
        candidates = [i for i in range(2, total + 1) if i not in excluded]
        wanted = min(len(candidates), max(3, total // 40))
        return set(self.rng.sample(candidates, wanted))

    def _unused_city(self, people: words.People, used: dict[str, int]) -> words.City:
        # Namesakes live in different cities while there are cities left.
        city = min(people.cities, key=lambda c: (used.get(c.name, 0), self.rng.random()))
        used[city.name] = used.get(city.name, 0) + 1
        return city

    def _name(self, people: words.People) -> str:
        rng = self.rng
        surname = rng.choice(people.surnames)
        if rng.random() < 0.8:
            return f"{rng.choice(people.women)} {words.female_surname(surname, people.country)}"
        return f"{rng.choice(people.men)} {surname}"

    def _member_row(self, member_id: int, full_name: str, people: words.People,
                    city: words.City, kind: MemberKind, status: MemberStatus,
                    sponsor: int | None, enroller: int | None, path: str, reg_ts: int,
                    loyalty_ts: int | None, password_hash: str, namesakes: set[int]) -> _Row:
        rng = self.rng
        registered = self.time.start + timedelta(seconds=reg_ts)
        if member_id == 1:
            email = demo_login(self.market).email
        else:
            email = f"{words.email_name(full_name)}.{member_id}@{people.email_domain}"
        phone = people.phone_prefix + "".join(
            str(int(rng.random() * 10)) for _ in range(people.phone_digits))
        birth = date(1960 + int(rng.random() * 40), 1 + int(rng.random() * 12),
                     1 + int(rng.random() * 28))
        street = f"{rng.choice(people.streets)}, {1 + int(rng.random() * 120)}"
        passport = (f"{int(rng.random() * 9000) + 1000} {int(rng.random() * 900000) + 100000}"
                    if people.country == "RU" and rng.random() < 0.3 else None)
        closed_at = (_iso(self.time.now - timedelta(days=10 + int(rng.random() * 300)))
                     if status == MemberStatus.CLOSED else None)
        loyalty_since = self.time.day(loyalty_ts) if loyalty_ts is not None else None
        return (
            member_id, str(REGISTRATION_BASE + member_id), kind.value, status.value, full_name,
            full_name.casefold(), email, phone, birth.isoformat(), city.postcode, city.name,
            street, people.country, passport, sponsor, enroller, path, _iso(registered),
            None if status == MemberStatus.PENDING else _iso(registered), closed_at,
            int(loyalty_ts is not None), loyalty_since,
            None if status == MemberStatus.PENDING else password_hash, None,
        )

    # --- orders --------------------------------------------------------------------------
    def orders(self, count: int) -> None:
        self.report("orders", 0, count)
        if count == 0 or self.catalog_rows is None:
            self.report("orders", count, count)
            return
        writer = _OrderWriter(self, self.catalog_rows, count)
        done = 0
        while done < count:
            size = min(BATCH_ORDERS, count - done)
            writer.batch(done, size)
            done += size
            self.report("orders", done, count)
        self.conn.executemany(
            "UPDATE members SET last_order_at = ? WHERE id = ?",
            [(self.time.iso(ts), member_id) for member_id, ts in writer.last_order.items()],
        )

    # --- balance and points --------------------------------------------------------------
    def balances(self) -> None:
        """The balance ledger: order payments, refunds, fees, claim credits and top-ups."""
        self.report("ledgers", 0, 2)
        top_up = 2_000_000 if self.profile.currency == "RUB" else 50_000
        # The demo consultant starts with money on her account.
        self.ledger.append((self.time.now_ts - 2 * DAY, 1, LedgerKind.TOP_UP.value,
                            top_up, None, "card"))
        self.ledger.sort(key=lambda entry: (entry[0], entry[1]))
        self.conn.executemany(
            "INSERT INTO balance_ledger(member_id, at, kind, amount, order_id, note) "
            "VALUES (?,?,?,?,?,?)",
            [(member, self.time.iso(ts), kind, amount, order_id, note)
             for ts, member, kind, amount, order_id, note in self.ledger],
        )
        self.report("ledgers", 1, 2)

    def wallets(self) -> None:
        """The points wallets: what paid orders earned, some spent, the unspent expiring."""
        rng = self.rng
        rows = []
        for person in self.people:
            earned = self.order_points.get(person.id, [])
            if earned or (person.kind == MemberKind.CONSULTANT.value
                          and person.status == "active"):
                rows += self._points_entries(person, rng, earned)
        self.conn.executemany(
            "INSERT INTO points_ledger(member_id, at, kind, points, expires_on, order_id, note) "
            "VALUES (?,?,?,?,?,?,?)", rows)
        self.report("ledgers", 2, 2)

    def _points_entries(self, person: _Person, rng: random.Random,
                        earned: list[_Row]) -> list[_Row]:
        """The orders' points in time order, with some spent each month and, after a year,
        a third of what is still unspent expired.

        The demo consultant keeps the points of her last year unspent, and has sponsor
        points that expire within the warning window: her home shows points about to
        expire, and what expired of hers is exactly what the wallet's rules say expired.
        """
        rows: list[_Row] = []
        wallet = 0
        notes = _POINTS_NOTES[self.market]
        now_ts = self.time.now_ts
        valid_ts = self.profile.wallet_points_valid_days * DAY
        saver = person.id == 1
        entries = sorted(earned, key=lambda entry: entry[0])
        if saver:
            at_ts = now_ts - valid_ts + (WARN_DAYS // 3) * DAY + 9 * HOUR
            entries.append((at_ts, PointsKind.EARNED.value, 2_500, at_ts + valid_ts, None,
                            notes[0]))
            entries.sort(key=lambda entry: entry[0])
        # The day of each month the member spends, if they do: after that month's orders.
        month_ts = max(person.registered_ts, 0) + 14 * DAY
        next_entry = 0
        old = 0  # earned more than a year ago
        while month_ts < now_ts:
            while next_entry < len(entries) and entries[next_entry][0] < month_ts:
                at_ts, kind, points, expires_ts, order_id, number = entries[next_entry]
                rows.append((person.id, self.time.iso(at_ts), kind, points,
                             None if expires_ts is None else self.time.day(expires_ts),
                             order_id, number))
                wallet += points
                if at_ts < now_ts - 365 * DAY:
                    old += points
                next_entry += 1
            spends = not saver or month_ts < now_ts - valid_ts
            if spends and rng.random() < 0.3 and wallet > 1_000:
                spent = wallet // 2 // 100 * 100
                rows.append((person.id, self.time.iso(month_ts), PointsKind.SPENT.value,
                             -spent, None, None, notes[1]))
                wallet -= spent
            month_ts += 30 * DAY
        for at_ts, kind, points, expires_ts, order_id, number in entries[next_entry:]:
            rows.append((person.id, self.time.iso(at_ts), kind, points,
                         None if expires_ts is None else self.time.day(expires_ts),
                         order_id, number))
            wallet += points
        if saver:
            expired, expired_ts = self._expired_unspent(rows), now_ts - 1
        else:
            expired, expired_ts = min(wallet, max(old, 0) // 3 // 100 * 100), now_ts - 20 * DAY
        if expired > 0:
            rows.append((person.id, self.time.iso(expired_ts),
                         PointsKind.EXPIRED.value, -expired, None, None, notes[2]))
        rows.sort(key=lambda row: row[1])  # the ledger reads in id order: keep it in time order
        return rows

    def _expired_unspent(self, rows: list[_Row]) -> int:
        """What of the lots that expired before today is unspent, as the wallet reckons it
        (``core.alerts.unspent_lots``), in hundredths."""
        entries = [
            PointsEntry(index, datetime.fromisoformat(at), PointsKind(kind),
                        Decimal(points) / 100,
                        None if expires_on is None else date.fromisoformat(expires_on))
            for index, (_member, at, kind, points, expires_on, _order, _note) in enumerate(rows)
        ]
        today = self.time.now.date()
        return _hundredths(sum((points for expires_on, points in unspent_lots(entries)
                                if expires_on < today), Decimal(0)))

    # --- claims and notifications --------------------------------------------------------
    def inbox(self) -> None:
        self.report("inbox", 0, 1)
        texts = _INBOX[self.market]
        now_ts = self.time.now_ts
        # The company's own messages are its text, in its language; what the system
        # says is a code with parameters, worded in the reader's (``core.notices``).
        notes: list[_Row] = [
            (1, self.time.iso(self.people[0].registered_ts + HOUR),
             NotificationKind.ACCOUNT.value, texts["welcome"][0], texts["welcome"][1],
             self.time.iso(self.people[0].registered_ts + 2 * HOUR), None, None),
            (1, self.time.iso(now_ts - 3 * DAY), NotificationKind.PROMOTION.value,
             texts["sale"][0], texts["sale"][1], None, None, None),
        ]
        self._claims(texts, notes)
        for order_id in self.root_shipped[-2:]:
            notes.append(self._notice(now_ts - DAY, NotificationKind.SHIPPING, None,
                                      NoticeCode.ORDER_SHIPPED,
                                      {"number": self.order_numbers[order_id]}))
        notes.sort(key=lambda row: row[1])
        self.conn.executemany(
            "INSERT INTO notifications(member_id, at, kind, title, body, read_at, code, "
            "params) VALUES (?,?,?,?,?,?,?,?)", notes)
        self.report("inbox", 1, 1)

    def _notice(self, at_ts: int, kind: NotificationKind, read_ts: int | None,
                code: NoticeCode, params: dict[str, str]) -> _Row:
        """A notice of the demo consultant's inbox as ``notify`` keeps one."""
        title, body = word_notice(code, params, self.profile.locale)
        return (1, self.time.iso(at_ts), kind.value, title, body,
                None if read_ts is None else self.time.iso(read_ts), code.value,
                json.dumps(params, ensure_ascii=False))

    def _claims(self, texts: dict[str, tuple[str, str]], notes: list[_Row]) -> None:
        """Three claims of the demo consultant: one waiting, one accepted, one rejected."""
        now_ts = self.time.now_ts
        decision_days = self.profile.claim_decision_days
        outcomes = (("submitted", 2 * DAY, None), ("accepted", 20 * DAY, "accepted"),
                    ("rejected", 40 * DAY, "rejected"))
        # A claim is sent for an order that had arrived by then, one claim an order.
        picks: list[int] = []
        for _status, ago, _decision in outcomes:
            sent = self.time.iso(now_ts - ago)
            arrived = [order_id for order_id, at in self.root_delivered[-60:]
                       if at < sent and order_id not in picks]
            if not arrived:
                return
            picks.append(arrived[int(self.rng.random() * len(arrived))])
        for number, (order_id, (status, ago, decision)) in enumerate(
            zip(picks, outcomes, strict=True), 1
        ):
            submitted = now_ts - ago
            decided = submitted + 5 * DAY if decision else None
            invoice = self.invoice_numbers[order_id]
            claim_number = numbers.claim_number(
                datetime.fromisoformat(self.time.iso(submitted)), number)
            reason = texts["reason"][0]
            code, quantity, unit_price = self.lines_by_order[order_id][0]
            # As accept_claim does: an accepted claim credits what the claimed lines were
            # paid, on the balance, under the claim's number.
            credit = unit_price * quantity if decision == "accepted" else None
            paid = None if credit is None else Money(Decimal(credit).scaleb(-2),
                                                     self.profile.currency)
            # As accept_claim and reject_claim keep it: the service's words, and the
            # decision worded from them in English.
            note = "" if decision == "accepted" else texts["no_defect"][0]
            worded = (word_decision(decision == "accepted", paid, note, self.profile.locale)
                      if decision else None)
            self.conn.execute(
                "INSERT INTO claims(id, number, member_id, invoice_number, reason, status, "
                "submitted_at, decision_due, decision, decided_at, credit, note) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (number, claim_number, 1, invoice, reason, status, self.time.iso(submitted),
                 self.time.day(submitted + decision_days * DAY), worded,
                 None if decided is None else self.time.iso(decided), credit,
                 note if decision else None))
            self.conn.execute(
                "INSERT INTO claim_lines(claim_id, product_code, quantity) VALUES (?,?,?)",
                (number, code, quantity))
            if credit:
                self.ledger.append((decided, 1, LedgerKind.REFUND.value, credit, order_id,
                                    claim_number))
            if decision and decided is not None:  # decided exactly when there is a decision
                said = {"number": claim_number, "invoice": invoice}
                if paid is not None:
                    code, params = NoticeCode.CLAIM_CREDITED, {**said,
                                                               "credit": money_param(paid)}
                else:
                    code, params = NoticeCode.CLAIM_REJECTED, {**said, "reason": note}
                notes.append(self._notice(decided, NotificationKind.CLAIM, decided + DAY,
                                          code, params))


def _points_for(retail: int, currency: str) -> int:
    """Points roughly follow the price: 1 point per 60 ₽ (to halves) or 0.8 per euro."""
    if currency == "RUB":
        return max(50, retail // 60 // 50 * 50)
    return max(100, retail * 8 // 10 // 100 * 100)


def _order_weight(rng: random.Random, member_id: int, kind: MemberKind, status: MemberStatus,
                  total: int) -> float:
    if status != MemberStatus.ACTIVE:
        return 0.0  # pending members never ordered; closed ones stopped long ago
    if member_id == 1:
        return 0.05 * total  # the demo consultant has a history of her own
    base = 0.2 + rng.random() ** 2 * 2
    return base * (0.5 if kind == MemberKind.CUSTOMER else 1.0)


# The order loop compares and writes plain strings: an enum's .value is a call each time.
_AS = OrderSource.AS.value
_BALANCE = PaymentMethod.BALANCE.value
_CANCELLED = OrderStatus.CANCELLED.value
_COURIER = DeliveryMethod.COURIER.value
_CREDITED = OrderStatus.CREDITED.value
_CUSTOMER = MemberKind.CUSTOMER.value
_DELIVERED = OrderStatus.DELIVERED.value
_IN = OrderSource.IN.value
_IO = OrderSource.IO.value
_LEDGER_FEE = LedgerKind.FEE.value
_LEDGER_PAYMENT = LedgerKind.PAYMENT.value
_LEDGER_REFUND = LedgerKind.REFUND.value
_PAID = OrderStatus.PAID.value
_PARCEL_DELIVERED = ShipmentStatus.DELIVERED.value
_PARCEL_IN_TRANSIT = ShipmentStatus.IN_TRANSIT.value
_PARCEL_OUT_FOR_DELIVERY = ShipmentStatus.OUT_FOR_DELIVERY.value
_PARCEL_RETURNED = ShipmentStatus.RETURNED.value
_PARCEL_STOPPED = ShipmentStatus.STOPPED.value
_PLACED = OrderStatus.PLACED.value
_SHIPPED = OrderStatus.SHIPPED.value
_SO = OrderSource.SO.value
_STOP_REQUESTED = OrderStatus.STOP_REQUESTED.value
_PARCEL_OF = {
    _SHIPPED: _PARCEL_IN_TRANSIT,
    _DELIVERED: _PARCEL_DELIVERED,
    _STOP_REQUESTED: _PARCEL_STOPPED,
    _CREDITED: _PARCEL_RETURNED,
}


class _OrderWriter:
    """Orders with their lines, invoice, status history, shipment and balance entries.

    Orders are placed in time order, so ids, numbers and the (placed_at) index grow
    together; each batch is written with one ``executemany`` per table.
    """

    def __init__(self, demo: _Demo, catalog: _Catalog, count: int) -> None:
        self.demo = demo
        self.rng = demo.rng
        self.time = demo.time
        self.catalog = catalog
        rng = self.rng
        # The business grows: twice as many orders now as on average, so recent months
        # (what people look at most) are the fullest.
        now_ts = demo.time.now_ts
        random_ = rng.random
        self.placed = sorted(int(now_ts * sqrt(random_())) for _ in range(count))
        people = demo.people
        self.registered = [p.registered_ts for p in people]  # ascending: ids in join order
        self.cumulative = list(accumulate(p.weight for p in people))
        self.ordered_before: set[int] = set()
        self.last_order: dict[int, int] = {}
        self.balance: dict[int, int] = {}
        profile = demo.profile
        self.fee = _hundredths(profile.delivery_fee.amount)
        # The parts of the cancellation fee and the notes the ledger gives them.
        self.forming_fee = (_hundredths(profile.cancellation_forming_fee.amount),
                            cancellation.FORMING)
        self.round_trip_fee = (_hundredths(profile.cancellation_round_trip_fee.amount),
                               cancellation.ROUND_TRIP)
        free = profile.free_delivery_from
        self.free_from = _hundredths(free.amount) if free else 10**12
        # The history reaches back to when instalments were still offered.
        self.payments = {d.value: [m.value for m in payment_methods_once_for(d, profile)]
                         for d in DeliveryMethod}
        # Each country's own pickup points and carriers: a member's parcel goes where
        # they live (a member abroad, with no point of ours there, gets a courier).
        self.pickups: dict[str, list[tuple[str, str]]] = {}
        for point in profile.pickup_points:
            self.pickups.setdefault(point.country, []).append((point.code, point.kind.value))
        self.carriers: dict[str, list[str]] = {}
        for carrier in profile.carriers:
            self.carriers.setdefault(carrier.country, []).append(carrier.code)
        # What record_payment credits: this share of the order's points, rounded down.
        self.share_bp = int(profile.wallet_points_share * 10_000)
        self.points_valid = profile.wallet_points_valid_days * DAY
        self.stations = words.STATIONS[demo.market]
        self.steps = words.SHIPMENT_STEPS[demo.market]
        self.notes = _HISTORY_NOTES[demo.market]
        self.products = len(self.catalog.codes)
        self._plan_alerts()

    def _plan_alerts(self) -> None:
        """Arrange the few orders that give the demo consultant's home every kind of alert.

        Two members of her first level fall silent: one placed a last order a year ago less
        a few days (the retention cut-off comes within the warning window), the other four
        months ago (three months without an order). And this month her own points stay
        below the target: once an order of hers would reach it, she places it for one of
        her customers instead.
        """
        demo, time_ = self.demo, self.time
        today = time_.now.date()
        profile = demo.profile
        near_cutoff = add_months(today, -profile.retention_after_last_order_months) \
            + timedelta(days=WARN_DAYS // 3)
        quiet = add_months(today, -(QUIET_MONTHS + 1))
        sponsors = {person.sponsor_id for person in demo.people}
        first_level = sorted(
            (person for person in demo.people
             if person.sponsor_id == 1 and person.status == MemberStatus.ACTIVE.value
             and person.id not in sponsors),  # nobody's orders are placed by them
            key=lambda person: (person.kind == _CUSTOMER, person.id))
        # Member id -> from when they order no more, after one last order placed then.
        self.falls_silent: dict[int, int] = {}
        for day in (near_cutoff, quiet):
            from_ts = time_.of(datetime.combine(day, time(9)))
            member = next((person for person in first_level
                           if person.registered_ts < from_ts - 30 * DAY
                           and person.id not in self.falls_silent), None)
            if member is not None:
                self.falls_silent[member.id] = from_ts
        self.fell_silent: set[int] = set()
        self.month_start_ts = time_.of(datetime.combine(today.replace(day=1), time()))
        self.month_target = _hundredths(profile.monthly_points_target)
        self.root_month_points = 0
        # Her customers she orders for: the first level's customers who still order.
        self.stand_ins = [person for person in first_level
                          if person.kind == _CUSTOMER and person.id not in self.falls_silent]

    def batch(self, first: int, size: int) -> None:
        orders: list[_Row] = []
        lines: list[_Row] = []
        invoices: list[_Row] = []
        history: list[_Row] = []
        shipments: list[_Row] = []
        events: list[_Row] = []
        for index in range(first, first + size):
            order_id = index + 1
            self._order(order_id, self.placed[index], orders, lines, invoices, history,
                        shipments, events)
        conn = self.demo.conn
        conn.executemany(
            "INSERT INTO orders(id, number, buyer_id, placed_by_id, source, status, period_id, "
            "placed_at, retail, discount, delivery_fee, total, points, payment_method, "
            "delivery_method, pickup_point, paid_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", orders)
        conn.executemany(
            "INSERT INTO order_lines(order_id, line_no, product_code, product_name, quantity, "
            "unit_retail, unit_price, points_each, is_gift) VALUES (?,?,?,?,?,?,?,?,0)", lines)
        conn.executemany("INSERT INTO invoices(number, order_id, issued_at) VALUES (?,?,?)",
                         invoices)
        conn.executemany(
            "INSERT INTO order_status_history(order_id, status, at, note) VALUES (?,?,?,?)",
            history)
        conn.executemany(
            "INSERT INTO shipments(id, order_id, carrier, tracking_number, shipped_at, status, "
            "estimated_from, estimated_to) VALUES (?,?,?,?,?,?,?,?)", shipments)
        conn.executemany(
            "INSERT INTO shipment_events(shipment_id, at, station, description) "
            "VALUES (?,?,?,?)", events)
        # A parcel stopped and not yet back waits in the service's queue, from the day the
        # stop was asked for.
        conn.execute(
            "INSERT INTO delivery_stops(order_id, requested_at, returned, state, decided_by, "
            "note) SELECT h.order_id, max(h.at), 0, 'requested', '', '' "
            "FROM order_status_history h JOIN orders o ON o.id = h.order_id "
            "WHERE o.status = ? AND h.status = ? GROUP BY h.order_id",
            (_STOP_REQUESTED, _STOP_REQUESTED))

    def _buyer(self, placed_ts: int) -> _Person:
        # Only members who had joined by then; more active members more often.
        joined = bisect_right(self.registered, placed_ts)
        pick = self.rng.random() * self.cumulative[joined - 1]
        people = self.demo.people
        for member_id, from_ts in self.falls_silent.items():
            if placed_ts >= from_ts and member_id not in self.fell_silent:
                return people[member_id - 1]  # their last order
        index = bisect_right(self.cumulative, pick, 0, joined - 1)
        while people[index].id in self.fell_silent:  # the demo consultant never falls silent
            index = (index + 1) % joined
        return people[index]

    def _stand_in(self, placed_ts: int, order_id: int) -> _Person | None:
        """The customer the demo consultant orders for instead of herself this month."""
        joined = [person for person in self.stand_ins if person.registered_ts <= placed_ts]
        return joined[order_id % len(joined)] if joined else None

    def _source(self, buyer: _Person, placed_ts: int) -> str:
        first = buyer.id not in self.ordered_before
        self.ordered_before.add(buyer.id)
        if first and buyer.registered_ts >= 0:  # joined within the history: enrolled then
            return _IN
        if buyer.kind == _CUSTOMER:
            return _IO
        roll = self.rng.random()
        if buyer.loyalty_ts is not None and placed_ts >= buyer.loyalty_ts and roll < 0.4:
            return _AS
        return _IO if roll > 0.99 else _SO

    def _order(self, order_id: int, placed_ts: int, orders: list[_Row], lines: list[_Row],
               invoices: list[_Row], history: list[_Row], shipments: list[_Row],
               events: list[_Row]) -> None:
        rng = self.rng
        random_ = rng.random
        catalog = self.catalog
        time_ = self.time
        buyer = self._buyer(placed_ts)
        source = self._source(buyer, placed_ts)
        placed_by = buyer.sponsor_id if (buyer.kind == _CUSTOMER
                                         and buyer.sponsor_id and random_() < 0.6) else buyer.id
        # The lines: popular products more often, no code twice.
        chosen: list[int] = []
        retail = paid = points = 0
        products = self.products
        for _ in range(1 + int(random_() * 5)):
            product = int(products * random_() * random_())
            if product in chosen:
                continue
            chosen.append(product)
            roll = random_()
            quantity = 1 if roll < 0.7 else 2 if roll < 0.9 else 3
            retail += catalog.retail[product] * quantity
            paid += catalog.price[product] * quantity
            points += catalog.points[product] * quantity
            lines.append((order_id, len(chosen), catalog.codes[product],
                          catalog.names[product], quantity, catalog.retail[product],
                          catalog.price[product], catalog.points[product]))
        if buyer.id == 1 and placed_ts >= self.month_start_ts:
            stand_in = None
            if self.root_month_points + points >= self.month_target:
                stand_in = self._stand_in(placed_ts, order_id)
            if stand_in is not None:
                buyer, placed_by = stand_in, 1
                source = self._source(buyer, placed_ts)
            else:
                self.root_month_points += points
        pickup, delivery = None, _COURIER
        if random_() >= 0.4:
            pick = random_()
            points_near = self.pickups.get(buyer.country)
            if points_near:
                pickup, delivery = points_near[int(pick * len(points_near))]
        ways = self.payments[delivery]  # only what the checkout accepted then
        payment = ways[int(random_() * len(ways))]
        fee = self.fee if paid < self.free_from and delivery != "service_centre" else 0
        total = paid + fee
        placed_iso = time_.iso(placed_ts)
        placed_at = datetime.fromisoformat(placed_iso)
        number = numbers.order_number(self.demo.market, placed_at, order_id)
        status, paid_ts, undone_ts = self._lifecycle(
            order_id, placed_ts, placed_iso, payment, total, placed_by, buyer.country, history,
            shipments, events)
        if paid_ts is not None:
            self._earn(placed_by, order_id, number, points, paid_ts, undone_ts)
        if status != _CANCELLED:
            self.last_order[buyer.id] = placed_ts
            if buyer.id in self.falls_silent and placed_ts >= self.falls_silent[buyer.id]:
                self.fell_silent.add(buyer.id)  # their last order stands: no more after it
        if buyer.id == 1:
            if status == _DELIVERED:
                self.demo.root_delivered.append((order_id, history[-1][2]))
                # What a claim returns: one of the first product, at the price paid.
                self.demo.lines_by_order[order_id] = [
                    (catalog.codes[chosen[0]], 1, catalog.price[chosen[0]])]
            elif status == _SHIPPED:
                self.demo.root_shipped.append(order_id)
        period = 2 if placed_ts >= self.demo.current_period_start else 1
        invoice = numbers.invoice_number(placed_at, order_id)
        if buyer.id == 1 and status in (_DELIVERED, _SHIPPED):  # the inbox and claims name them
            self.demo.order_numbers[order_id] = number
            self.demo.invoice_numbers[order_id] = invoice
        orders.append((order_id, number, buyer.id, placed_by,
                       source, status, period, placed_iso, retail, retail - paid, fee, total,
                       points, payment, delivery, pickup,
                       None if paid_ts is None else time_.iso(paid_ts)))
        invoices.append((invoice, order_id, placed_iso))

    def _lifecycle(self, order_id: int, placed_ts: int, placed_iso: str, payment: str,
                   total: int, payer: int, country: str, history: list[_Row],
                   shipments: list[_Row], events: list[_Row]) -> tuple[str, int | None, int | None]:
        """Walk the order along its lifecycle up to now; the last step reached is its status.

        Writes the status history, the shipment and the money moves on the way. Returns the
        status, when it was paid (None: not yet) and when it was undone (cancelled or
        credited; None: it stands).
        """
        random_ = self.rng.random
        now_ts = self.time.now_ts
        iso = self.time.iso
        notes = self.notes
        history.append((order_id, _PLACED, placed_iso, ""))
        # As checkout and record_payment do: only the balance pays when the order is placed,
        # and only what the balance paid comes back to it (less the fee) when undone.
        from_balance = payment == _BALANCE
        paid_ts = placed_ts if from_balance else placed_ts + 600 + int(random_() * 8 * HOUR)
        shipped_ts = paid_ts + 12 * HOUR + int(random_() * 36 * HOUR)
        delivered_ts = shipped_ts + 2 * DAY + int(random_() * 4 * DAY)
        fate = random_()
        if from_balance:
            self._pay(payer, placed_ts, -total, _LEDGER_PAYMENT, order_id)
        if fate < 0.03:  # cancelled before it left the warehouse
            cancel_ts = min(placed_ts + HOUR + int(random_() * 20 * HOUR), shipped_ts - HOUR)
            if cancel_ts <= now_ts:
                paid = paid_ts < cancel_ts
                if paid:
                    history.append((order_id, _PAID, iso(paid_ts), ""))
                if from_balance:
                    self._refund(payer, cancel_ts, total, order_id, shipped=False)
                history.append((order_id, _CANCELLED, iso(cancel_ts),
                                notes["cancelled"]))
                return _CANCELLED, paid_ts if paid else None, cancel_ts
        if paid_ts > now_ts:
            return _PLACED, None, None
        history.append((order_id, _PAID, iso(paid_ts), ""))
        if shipped_ts > now_ts:
            return _PAID, paid_ts, None
        history.append((order_id, _SHIPPED, iso(shipped_ts), ""))
        stopped = fate > 0.993
        stop_ts = shipped_ts + DAY
        credited_ts = stop_ts + 6 * DAY
        undone_ts = None
        if stopped and stop_ts <= now_ts:
            history.append((order_id, _STOP_REQUESTED, iso(stop_ts),
                            notes["stopped"]))
            status = _STOP_REQUESTED
            if credited_ts <= now_ts:
                history.append((order_id, _CREDITED, iso(credited_ts),
                                notes["credited"]))
                if from_balance:
                    self._refund(payer, credited_ts, total, order_id, shipped=True)
                status = _CREDITED
                undone_ts = credited_ts
        elif delivered_ts <= now_ts:
            history.append((order_id, _DELIVERED, iso(delivered_ts), ""))
            status = _DELIVERED
        else:
            status = _SHIPPED
        self._shipment(order_id, status, shipped_ts, delivered_ts, country, shipments, events)
        return status, paid_ts, undone_ts

    def _earn(self, member: int, order_id: int, number: str, points: int, paid_ts: int,
              undone_ts: int | None) -> None:
        """The wallet points a paid order credits its placer, taken back if it is undone."""
        earned = points * self.share_bp // 10_000
        if earned <= 0:
            return
        entries = self.demo.order_points.setdefault(member, [])
        entries.append((paid_ts, PointsKind.EARNED.value, earned, paid_ts + self.points_valid,
                        order_id, number))
        if undone_ts is not None:
            entries.append((undone_ts, PointsKind.CANCELLED.value, -earned, None, order_id,
                            number))

    def _pay(self, member: int, at_ts: int, amount: int, kind: str,
             order_id: int | None, note: str = "") -> None:
        balance = self.balance.get(member, 0)
        if balance + amount < 0:
            # Topped up just before, by a round sum, as people do.
            top_up = (-(balance + amount) // 100_000 + 1) * 100_000
            self.demo.ledger.append((at_ts - HOUR, member, LedgerKind.TOP_UP.value, top_up,
                                     None, "card" if self.rng.random() < 0.7 else "terminal"))
            balance += top_up
        self.balance[member] = balance + amount
        self.demo.ledger.append((at_ts, member, kind, amount, order_id, note))

    def _refund(self, member: int, at_ts: int, total: int, order_id: int, *,
                shipped: bool) -> None:
        """The refund less the fee, as ``core.rules.cancellation`` withholds it."""
        self._pay(member, at_ts, total, _LEDGER_REFUND, order_id)
        left = total
        for amount, note in (self.forming_fee, self.round_trip_fee) if shipped \
                else (self.forming_fee,):
            charged = min(amount, left)
            if charged > 0:
                self._pay(member, at_ts, -charged, _LEDGER_FEE, order_id, note)
                left -= charged

    def _shipment(self, order_id: int, status: str, shipped_ts: int, delivered_ts: int,
                  country: str, shipments: list[_Row], events: list[_Row]) -> None:
        random_ = self.rng.random
        carriers = self.carriers.get(country) or self.carriers[self.demo.home]
        carrier = carriers[int(random_() * len(carriers))]
        shipment_status = _PARCEL_OF[status]
        now_ts = self.time.now_ts
        expected_from = shipped_ts + 2 * DAY
        if shipment_status == _PARCEL_IN_TRANSIT and expected_from <= now_ts:
            shipment_status = _PARCEL_OUT_FOR_DELIVERY
        shipments.append((order_id, order_id, carrier, _tracking_number(carrier, order_id),
                          self.time.iso(shipped_ts), shipment_status,
                          self.time.day(expected_from), self.time.day(shipped_ts + 5 * DAY)))
        if shipped_ts < now_ts - EVENTS_DAYS * DAY:
            return
        steps, stations = self.steps, self.stations
        moments = [(shipped_ts, stations[0], steps[0]),
                   (shipped_ts + 10 * HOUR, stations[1], steps[1]),
                   (shipped_ts + DAY + 4 * HOUR, stations[2], steps[2])]
        if shipment_status in (_PARCEL_STOPPED, _PARCEL_RETURNED):
            moments.append((shipped_ts + DAY + 6 * HOUR, stations[2], steps[5]))
            moments.append((shipped_ts + 7 * DAY, stations[0], steps[6]))
        else:
            moments.append((expected_from, stations[3], steps[3]))
            moments.append((delivered_ts, stations[3], steps[4]))
        for at_ts, station, description in moments:
            if at_ts <= now_ts and (description != steps[4] or status == _DELIVERED):
                events.append((order_id, self.time.iso(at_ts), station, description))


def _tracking_number(carrier: str, order_id: int) -> str:
    if carrier == "pochta":
        return f"RA{order_id:09d}RU"
    if carrier == "hermes":
        return f"{10_000_000_000_000 + order_id * 7:014d}"
    if carrier == "dhl":
        return f"00340{order_id:015d}"
    return f"{1_500_000_000 + order_id:010d}"


_HISTORY_NOTES = {
    "ru": {"cancelled": "Отменён консультантом", "stopped": "Доставка остановлена",
           "credited": "Посылка вернулась, сумма зачислена на баланс"},
    "de": {"cancelled": "Vom Berater storniert", "stopped": "Zustellstopp beantragt",
           "credited": "Paket zurück, Betrag gutgeschrieben"},
}

_POINTS_NOTES = {
    "ru": ("Спонсорские баллы", "Оплата продукции баллами", "Срок действия баллов истёк"),
    "de": ("Sponsorpunkte", "Produkte mit Punkten bezahlt", "Punkte verfallen"),
}

_INBOX = {
    "ru": {
        "welcome": ("Добро пожаловать!", "Ваш кабинет консультанта готов. Начните с "
                    "курса «Успешный старт»."),
        "sale": ("Закрытая распродажа", "Для консультантов: скидки до 40% в этом каталоге."),
        "shipped": ("Заказ {number} отправлен", "Заказ {number} передан в доставку. "
                    "Номер отслеживания — в карточке заказа."),
        "no_defect": ("Дефекта не обнаружено.", ""),
        "reason": ("Повреждённая упаковка", ""),
    },
    "de": {
        "welcome": ("Willkommen!", "Dein Beraterkonto ist bereit. Beginne mit dem Kurs "
                    "„Erfolgreicher Start“."),
        "sale": ("Exklusiver Abverkauf", "Für Berater: bis zu 40 % Rabatt in diesem Katalog."),
        "shipped": ("Bestellung {number} versandt", "Bestellung {number} ist unterwegs. "
                    "Die Sendungsnummer steht in der Bestellung."),
        "no_defect": ("Kein Mangel festgestellt.", ""),
        "reason": ("Beschädigte Verpackung", ""),
    },
}

__all__ = ["DEMO_LOGIN", "DEMO_PASSWORD", "DemoLogin", "build_demo", "demo_login"]
