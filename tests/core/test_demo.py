"""The demo store: deterministic, complete enough for every screen, and usable at once."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from mlm_tui.core.demo import DEMO_LOGIN, DEMO_PASSWORD, build_demo, demo_login
from mlm_tui.core.errors import Conflict, ValidationError

TODAY = date(2026, 11, 20)
SMALL = dict(products=60, orders=600, members=30, today=TODAY)


def build(folder: Path, **overrides) -> tuple[Path, object]:
    path = folder / "store.db"
    login = build_demo(path, **{**SMALL, **overrides})
    return path, login


def rows(path: Path, sql: str, *args) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def content(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows, except the password hash (salted afresh on every build)."""
    tables = [name for (name,) in rows(
        path, "SELECT name FROM sqlite_master WHERE type = 'table' "
              "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'")]
    dump = {table: rows(path, f"SELECT * FROM {table} ORDER BY rowid") for table in tables}
    dump["members"] = rows(path, "SELECT * FROM members ORDER BY id")
    hash_column = [c[1] for c in rows(path, "PRAGMA table_info(members)")].index("password_hash")
    dump["members"] = [row[:hash_column] + row[hash_column + 1:] for row in dump["members"]]
    return dump


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, object]:
    return build(tmp_path_factory.mktemp("demo"))


def test_the_same_seed_gives_the_same_store(demo, tmp_path):
    first, _ = demo
    second, _ = build(tmp_path)
    assert content(first) == content(second)
    other, _ = build(tmp_path / "other", seed=8)
    assert content(other)["orders"] != content(first)["orders"]


def test_the_demo_consultant_can_log_in(demo, tmp_path):
    from mlm_tui.core.local import LocalBackend
    from mlm_tui.core.settings import load_settings

    path, login = demo
    assert login == DEMO_LOGIN == demo_login("ru")  # what the app offers on a demo store
    assert login.password == DEMO_PASSWORD
    backend = LocalBackend(load_settings(data_dir=path.parent))
    try:
        session = backend.login(login.registration_number, login.password)
        assert session.registration_number == login.registration_number
        backend.logout()
        assert backend.login(login.email, login.password).member_id == session.member_id
        assert len(backend.search_members("Ольга Иванова")) >= 3
    finally:
        backend.close()


def test_sizes_are_honoured(demo):
    path, _ = demo
    assert rows(path, "SELECT count(*) FROM members") == [(SMALL["members"] + 1,)]
    assert rows(path, "SELECT count(*) FROM orders") == [(SMALL["orders"],)]
    assert rows(path, "SELECT count(*) FROM products p JOIN periods c ON c.id = p.period_id "
                      "WHERE c.ordering_open = 1") == [(SMALL["products"],)]
    assert rows(path, "SELECT count(*) FROM orders o WHERE NOT EXISTS "
                      "(SELECT 1 FROM order_lines l WHERE l.order_id = o.id)") == [(0,)]


def test_every_order_source_appears(demo):
    path, _ = demo
    assert {s for (s,) in rows(path, "SELECT DISTINCT source FROM orders")} == {
        "SO", "IO", "AS", "IN"}


def test_the_common_name_is_shared_across_cities(demo):
    path, _ = demo
    cities = [c for (c,) in rows(path, "SELECT city FROM members WHERE full_name = ?",
                                 "Ольга Иванова")]
    assert len(cities) >= 3
    assert len(set(cities)) == len(cities)


def test_the_team_has_customers_loyalty_members_pending_and_closed(demo):
    path, _ = demo
    kinds = dict(rows(path, "SELECT kind, count(*) FROM members GROUP BY kind"))
    statuses = dict(rows(path, "SELECT status, count(*) FROM members GROUP BY status"))
    assert kinds["customer"] > 0 and kinds["consultant"] > 0
    assert statuses.keys() == {"active", "pending", "closed"}
    assert rows(path, "SELECT count(*) FROM members WHERE loyalty_enrolled = 1")[0][0] > 0
    assert rows(path, "SELECT count(*) FROM members WHERE path NOT LIKE '/1/%'") == [(0,)]


def test_orders_add_up_and_follow_the_lifecycle(demo):
    path, _ = demo
    mismatched = rows(path, """
        SELECT o.id FROM orders o JOIN order_lines l ON l.order_id = o.id
        GROUP BY o.id
        HAVING o.retail != sum(l.unit_retail * l.quantity)
            OR o.total != sum(l.unit_price * l.quantity) + o.delivery_fee
            OR o.points != sum(l.points_each * l.quantity)""")
    assert mismatched == []
    statuses = dict(rows(path, "SELECT status, count(*) FROM orders GROUP BY status"))
    assert {"delivered", "cancelled"} <= statuses.keys()
    # The newest orders are still under way; a year-old one has long arrived.
    recent = {s for (s,) in rows(path, "SELECT status FROM orders ORDER BY placed_at DESC "
                                       "LIMIT 5")}
    assert recent & {"placed", "paid", "shipped"}
    old = {s for (s,) in rows(path, "SELECT status FROM orders WHERE placed_at < '2025-11-01'")}
    assert old <= {"delivered", "cancelled", "credited"}
    assert rows(path, "SELECT max(placed_at) < '2026-11-20' FROM orders") == [(1,)]


def test_shipped_orders_have_a_parcel_with_an_estimated_window(demo):
    path, _ = demo
    unshipped = rows(path, "SELECT count(*) FROM orders o WHERE o.status IN "
                           "('shipped', 'delivered') AND NOT EXISTS "
                           "(SELECT 1 FROM shipments s WHERE s.order_id = o.id)")
    assert unshipped == [(0,)]
    assert rows(path, "SELECT count(*) FROM shipments WHERE estimated_from IS NULL "
                      "OR estimated_to < estimated_from") == [(0,)]
    assert rows(path, "SELECT count(*) FROM shipment_events")[0][0] > 0
    assert rows(path, "SELECT count(*) FROM invoices") == [(SMALL["orders"],)]


def test_last_order_dates_and_balances_are_consistent(demo):
    path, _ = demo
    wrong = rows(path, """
        SELECT m.id FROM members m
        WHERE m.last_order_at IS NOT (SELECT max(placed_at) FROM orders o
                                      WHERE o.buyer_id = m.id AND o.status != 'cancelled')""")
    assert wrong == []
    negative = rows(path, "SELECT member_id FROM balance_ledger GROUP BY member_id "
                          "HAVING sum(amount) < 0")
    assert negative == []
    assert rows(path, "SELECT sum(amount) > 0 FROM balance_ledger WHERE member_id = 1") == [(1,)]


def test_promotions_of_every_kind_and_a_closed_sale(demo):
    path, _ = demo
    kinds = {k for (k,) in rows(path, "SELECT kind FROM promotions WHERE period_id = 2")}
    assert kinds == {"percent_off", "gift_over_threshold", "delivery_product"}
    assert rows(path, "SELECT count(*) FROM promotions WHERE closed_sale = 1")[0][0] >= 1


def test_products_have_russian_names_and_exact_prices(demo):
    path, _ = demo
    names = [n for (n,) in rows(path, "SELECT name FROM products WHERE period_id = 2")]
    assert any("«" in name for name in names)
    codes = [c for (c,) in rows(path, "SELECT code FROM products WHERE period_id = 2")]
    assert len(set(codes)) == len(codes) and all(len(c) == 5 for c in codes)
    # Consultant price = retail less the 20 % consultant discount, to the kopeck.
    off = rows(path, "SELECT count(*) FROM products "
                     "WHERE consultant_price != (retail_price * 80 + 50) / 100")
    assert off == [(0,)]


def test_the_inbox_and_claims_have_something_to_show(demo):
    path, _ = demo
    assert rows(path, "SELECT count(*) FROM notifications WHERE member_id = 1")[0][0] >= 3
    assert {s for (s,) in rows(path, "SELECT status FROM claims")} == {
        "submitted", "accepted", "rejected"}


def test_a_german_store(tmp_path):
    path, login = build(tmp_path, market="de", members=12, orders=200)
    assert login == demo_login("de") and login.email.endswith("@example.de")
    profile = rows(path, "SELECT profile FROM company")[0][0]
    assert '"currency": "EUR"' in profile
    assert ("Ätherische Öle",) in rows(path, "SELECT name FROM categories")


@pytest.mark.parametrize("market", ["ru", "de"])
def test_every_member_can_be_found_by_their_phone(tmp_path, market):
    """A reset code goes to the phone a member types: every stored number must be one."""
    path, _login = build(tmp_path, market=market, members=40, orders=20)
    phones = rows(path, "SELECT phone, country FROM members WHERE phone IS NOT NULL")
    assert len(phones) > 30
    assert [(phone, country) for phone, country in phones
            if _normalised(phone, country) != phone] == []


def _normalised(phone: str, country: str) -> str | None:
    from mlm_tui.core.errors import ValidationError
    from mlm_tui.core.validation import normalise_phone

    try:
        return normalise_phone(phone, region=country)
    except ValidationError:
        return None


def test_an_existing_store_is_kept_unless_forced(demo, tmp_path):
    path, _ = build(tmp_path, orders=10)
    with pytest.raises(Conflict) as caught:
        build_demo(path, **SMALL)
    assert caught.value.field == "store"
    assert rows(path, "SELECT count(*) FROM orders") == [(10,)]
    build_demo(path, **{**SMALL, "orders": 20}, force=True)
    assert rows(path, "SELECT count(*) FROM orders") == [(20,)]


@pytest.mark.parametrize(
    ("field", "value"),
    [("products", 5), ("orders", -1), ("members", -1), ("market", "fr")],
)
def test_impossible_sizes_name_the_field(tmp_path, field, value):
    with pytest.raises(ValidationError) as caught:
        build_demo(tmp_path / "store.db", **{**SMALL, field: value})
    assert caught.value.field == field
    assert not (tmp_path / "store.db").exists()


def test_progress_is_reported_per_phase(tmp_path):
    seen: list[tuple[str, int, int]] = []
    build(tmp_path, progress=lambda phase, done, total: seen.append((phase, done, total)))
    phases = [phase for phase, _, _ in seen]
    assert phases[0] == "company" and phases[-1] == "finishing"
    assert ("orders", SMALL["orders"], SMALL["orders"]) in seen


def test_orders_invoices_and_claims_each_have_the_one_number_format(demo):
    import re

    path, _ = demo
    order_numbers = {n for (n,) in rows(path, "SELECT number FROM orders")}
    invoices = {n for (n,) in rows(path, "SELECT number FROM invoices")}
    claims = rows(path, "SELECT number, invoice_number FROM claims")
    assert order_numbers and all(re.fullmatch(r"RU-\d{4}-\d{6}", n) for n in order_numbers)
    assert all(re.fullmatch(r"INV-\d{4}-\d{6}", n) for n in invoices)
    assert claims and all(re.fullmatch(r"CL-\d{4}-\d{6}", n) for n, _ in claims)
    assert {invoice for _, invoice in claims} <= invoices
    # What the inbox quotes is a number the history can find.
    quoted = re.findall(r"[A-Z]{2,3}-\d{4}-\d{6}", " ".join(
        title + " " + body for title, body in rows(path, "SELECT title, body FROM notifications")))
    claim_numbers = {n for n, _ in claims}
    assert quoted and set(quoted) <= order_numbers | claim_numbers | invoices


def test_every_demo_order_is_paid_in_a_way_its_delivery_allows(demo):
    path, _ = demo
    ways = set(rows(path, "SELECT DISTINCT delivery_method, payment_method FROM orders"))
    assert ("courier", "cash_to_courier") in ways
    assert not {(d, p) for d, p in ways
                if (p == "cash_to_courier" and d != "courier")
                or (p == "service_centre" and d != "service_centre")}


# --- the demo agrees with the product's own rules -----------------------------------------


@pytest.fixture(scope="module", params=["ru", "de"])
def market_demo(request, tmp_path_factory) -> Path:
    path, _ = build(tmp_path_factory.mktemp(f"demo-{request.param}"), market=request.param)
    return path


def company_of(path: Path):
    from mlm_tui.core.company import profile_from_json

    return profile_from_json(rows(path, "SELECT profile FROM company")[0][0])


def test_an_accepted_claim_has_its_credit_on_the_balance(market_demo):
    claims = rows(market_demo, "SELECT number, member_id, status, credit, decided_at "
                               "FROM claims ORDER BY id")
    assert {status for _n, _m, status, _c, _d in claims} == {"submitted", "accepted",
                                                              "rejected"}
    for number, member, status, credit, decided_at in claims:
        credits = rows(market_demo, "SELECT member_id, amount, at FROM balance_ledger "
                                    "WHERE kind = 'refund' AND note = ?", number)
        if status == "accepted":
            assert credit and credit > 0
            assert credits == [(member, credit, decided_at)]
        else:
            assert credit is None and credits == []
        assert (decided_at is None) == (status == "submitted")
    # Each claim is on an order of its member that had arrived before the claim was sent.
    late = rows(market_demo, """
        SELECT c.number FROM claims c JOIN invoices i ON i.number = c.invoice_number
        JOIN orders o ON o.id = i.order_id
        WHERE o.buyer_id != c.member_id OR o.status != 'delivered' OR NOT EXISTS (
            SELECT 1 FROM order_status_history h WHERE h.order_id = o.id
            AND h.status = 'delivered' AND h.at < c.submitted_at)""")
    assert late == []


def test_parcels_and_pickups_stay_in_the_buyers_country(market_demo):
    company = company_of(market_demo)
    point_country = {p.code: p.country for p in company.pickup_points}
    carrier_country = {c.code: c.country for c in company.carriers}
    picked_up = rows(market_demo, "SELECT o.pickup_point, m.country FROM orders o "
                                  "JOIN members m ON m.id = o.buyer_id "
                                  "WHERE o.pickup_point IS NOT NULL")
    assert picked_up and all(point_country[point] == country for point, country in picked_up)
    shipped = rows(market_demo, "SELECT s.carrier, m.country FROM shipments s "
                                "JOIN orders o ON o.id = s.order_id "
                                "JOIN members m ON m.id = o.buyer_id")
    assert all(carrier_country[carrier] == country for carrier, country in shipped)
    # Members abroad are there, and their parcels go by their own country's carriers.
    home = company.locale.upper()
    abroad = {carrier for carrier, country in shipped if country != home}
    assert abroad and all(carrier_country[c] != home for c in abroad)


def test_a_paid_order_has_paid_at_as_record_payment_sets_it(market_demo):
    orders = rows(market_demo, """
        SELECT o.id, o.paid_at, (SELECT h.at FROM order_status_history h
                                 WHERE h.order_id = o.id AND h.status = 'paid')
        FROM orders o""")
    assert all(paid_at == paid for _id, paid_at, paid in orders)
    assert any(paid_at for _id, paid_at, _paid in orders)
    assert any(paid_at is None for _id, paid_at, _paid in orders)


def test_every_order_s_wallet_points_and_balance_agree_with_its_payment(market_demo):
    from mlm_tui.core.money import Money
    from mlm_tui.core.rules.cancellation import cancellation_fee

    company = company_of(market_demo)
    share = company.wallet_points_share
    orders = rows(market_demo, "SELECT id, number, placed_by_id, status, placed_at, paid_at, "
                               "total, points, payment_method FROM orders")
    points = {}
    for order_id, member, kind, amount, at, note in rows(
            market_demo, "SELECT order_id, member_id, kind, points, at, note "
                         "FROM points_ledger WHERE order_id IS NOT NULL"):
        points.setdefault(order_id, []).append((member, kind, amount, at, note))
    money = {}
    for order_id, member, kind, amount, note in rows(
            market_demo, "SELECT order_id, member_id, kind, amount, note FROM balance_ledger "
                         "WHERE order_id IS NOT NULL AND note NOT LIKE 'CL-%'"):  # not claims
        money.setdefault(order_id, []).append((member, kind, amount, note))
    cancelled_or_credited = 0
    for (order_id, number, placer, status, _placed_at, paid_at, total, order_points,
         payment) in orders:
        undone = status in ("cancelled", "credited")
        earned = int(Decimal(order_points) * share)  # hundredths, rounded down
        expected_points = []
        if paid_at and earned:
            expected_points.append((placer, "earned", earned, paid_at, number))
            if undone:
                expected_points.append((placer, "cancelled", -earned))
        got = [entry if entry[1] == "earned" else entry[:3]
               for entry in points.get(order_id, [])]
        assert got == expected_points, number
        expected_money = []
        if payment == "balance":
            expected_money.append((placer, "payment", -total, ""))
            if undone:
                cancelled_or_credited += 1
                expected_money.append((placer, "refund", total, ""))
                paid = Money(Decimal(total) / 100, company.currency)
                for part in cancellation_fee(company, shipped=status == "credited", paid=paid):
                    expected_money.append((placer, "fee", -part.amount.minor, part.what))
        assert sorted(money.get(order_id, [])) == sorted(expected_money), number
    assert cancelled_or_credited


@pytest.mark.parametrize("day", [TODAY, date(2026, 12, 1), date(2027, 3, 31)], ids=str)
def test_the_demo_consultant_s_home_has_every_kind_of_alert(tmp_path, market_demo, day):
    """On the day the store is built, whatever day of the month, every alert shows once
    with what makes it true: the points short, the lot that expires, the members named."""
    from datetime import datetime, time

    from mlm_tui.core.local import LocalBackend
    from mlm_tui.core.models import AlertKind
    from mlm_tui.core.settings import load_settings

    market = company_of(market_demo).locale
    path, login = build(tmp_path, market=market, today=day)
    backend = LocalBackend(load_settings(data_dir=path.parent),
                           clock=lambda: datetime.combine(day, time(10)))
    try:
        backend.login(login.registration_number, login.password)
        alerts = {alert.kind: alert for alert in backend.alerts()}
        assert set(alerts) == set(AlertKind)
        shortfall = alerts[AlertKind.POINTS_SHORTFALL]
        assert shortfall.points == (backend.company().monthly_points_target
                                    - backend.account_summary().points_this_month)
        assert 0 < alerts[AlertKind.POINTS_EXPIRING].points <= backend.points_wallet()
        first_level = {node.member.id for node in backend.team_children(1)}
        for kind in (AlertKind.INACTIVITY_CUTOFF, AlertKind.NO_RECENT_ORDER):
            assert alerts[kind].members
            assert {member.id for member in alerts[kind].members} <= first_level
    finally:
        backend.close()
