"""Retention under the company's rules, and personal data export and erasure."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select, text

from mlm_tui.core.errors import NotFound
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.retention import erase_personal_data, export_personal_data, run_retention
from mlm_tui.core.local.store import Store
from mlm_tui.core.retention_rules import RetentionRule, add_months
from tests import world

NOW = world.NOW


@pytest.fixture
def store(world_file):
    s = Store(world_file)
    yield s
    s.close()


def add_order(store: Store, number: str, buyer: world.Person, placed_at: datetime, *,
              placed_by: world.Person | None = None, status: str = "delivered") -> None:
    with store.write() as conn:
        conn.execute(insert(t.orders).values(
            number=number, buyer_id=buyer.id, placed_by_id=(placed_by or buyer).id,
            source="SO", status=status, period_id=2, placed_at=placed_at,
            retail=Decimal(799), discount=Decimal("159.80"), delivery_fee=Decimal(0),
            total=Decimal("639.20"), points=Decimal("12.5"), payment_method="balance",
            delivery_method="pickup_point",
        ))


def due_numbers(store: Store, now: datetime = NOW) -> dict[str, RetentionRule]:
    report = run_retention(store, now=now)
    return {case.registration_number: case.rule for case in report.cases}


def test_add_months_clamps_to_the_end_of_a_short_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 11, 20), 12) == date(2026, 11, 20)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_never_ordered_is_due_three_months_after_registration(store):
    # The newcomer registered yesterday; everyone else registered years ago, none ordered.
    due = due_numbers(store)
    assert world.NEWBIE.registration_number not in due
    assert due[world.IRINA.registration_number] is RetentionRule.NO_ORDER
    # Three months after registration, to the day, the newcomer is due as well.
    later = datetime.combine(add_months((NOW - timedelta(days=1)).date(), 3), NOW.time())
    assert due_numbers(store, later - timedelta(days=1)).get(
        world.NEWBIE.registration_number) is None
    assert due_numbers(store, later)[world.NEWBIE.registration_number] is RetentionRule.NO_ORDER


def test_an_order_within_a_year_keeps_the_account(store):
    add_order(store, "R-1", world.ANNA, NOW - timedelta(days=330))
    add_order(store, "R-2", world.OLGA_MSK, datetime(2025, 11, 20, 9))  # a year ago today
    due = due_numbers(store)
    assert world.ANNA.registration_number not in due
    assert due[world.OLGA_MSK.registration_number] is RetentionRule.AFTER_LAST_ORDER


def test_a_cancelled_order_does_not_count_and_placing_for_a_customer_does(store):
    add_order(store, "R-1", world.IRINA, NOW - timedelta(days=20), status="cancelled")
    add_order(store, "R-2", world.OLGA_KZN, NOW - timedelta(days=20), placed_by=world.ANNA)
    due = due_numbers(store)
    assert due[world.IRINA.registration_number] is RetentionRule.NO_ORDER
    assert world.OLGA_KZN.registration_number not in due
    assert world.ANNA.registration_number not in due


def test_closed_accounts_are_not_listed_again(store):
    assert world.CLOSED.registration_number not in due_numbers(store)


def test_dry_run_changes_nothing(store, world_file):
    before = world_file.read_bytes()
    report = run_retention(store, now=NOW)
    assert not report.applied and report.cases
    with store.read() as conn:
        statuses = dict(conn.execute(select(t.members.c.registration_number,
                                            t.members.c.status)).all())
    assert statuses[world.IRINA.registration_number] == "active"
    assert world_file.read_bytes() == before


def test_apply_anonymises_due_accounts_and_keeps_their_orders(store):
    add_order(store, "R-1", world.OLGA_MSK, datetime(2025, 1, 10, 9))
    add_order(store, "R-2", world.ANNA, NOW - timedelta(days=5))
    report = run_retention(store, now=NOW, apply=True)
    assert report.applied
    removed = {case.registration_number for case in report.cases}
    assert world.OLGA_MSK.registration_number in removed
    assert world.ANNA.registration_number not in removed

    with store.read() as conn:
        olga = conn.execute(select(t.members).where(t.members.c.id == world.OLGA_MSK.id)).one()
        anna = conn.execute(select(t.members).where(t.members.c.id == world.ANNA.id)).one()
        orders = conn.execute(select(func.count()).select_from(t.orders)
                              .where(t.orders.c.buyer_id == world.OLGA_MSK.id)).scalar_one()
        fts_hits = conn.execute(text(
            "SELECT count(*) FROM members_fts WHERE members_fts MATCH 'ольга'")).scalar_one()
    assert olga.status == "closed" and olga.closed_at == NOW
    assert olga.full_name == "Removed member 1000002"
    assert (olga.email, olga.phone, olga.birth_date, olga.passport) == (None, None, None, None)
    assert (olga.city, olga.street, olga.postcode, olga.password_hash) == (None, None, None, None)
    assert orders == 1  # the accounting keeps the order
    assert olga.path == "/1/2/"  # her downline still hangs where it did
    assert anna.status == "active" and anna.full_name == world.ANNA.full_name
    assert fts_hits == 0  # both Olgas were due: the name search cannot find them any more

    assert run_retention(store, now=NOW).cases == ()


def test_export_personal_data_is_json_with_orders_and_ledgers(store):
    add_order(store, "R-1", world.ANNA, NOW - timedelta(days=5))
    data = export_personal_data(store, world.ANNA.registration_number)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["full_name"] == world.ANNA.full_name
    assert data["email"] == world.ANNA.email
    assert data["birth_date"] == "1980-02-29"
    assert data["address"]["city"] == "Москва"
    assert [o["number"] for o in data["orders"]] == ["R-1"]
    assert data["orders"][0]["total"] == "639.20"
    assert data["balance_ledger"][0]["amount"] == "10000.00"
    assert [p["points"] for p in data["points_ledger"]] == ["120.00", "-20.00"]


def test_export_names_sponsor_by_registration_number(store):
    data = export_personal_data(store, world.KLAUS.registration_number)
    assert data["sponsor"] == world.OLGA_MSK.registration_number


def test_erase_personal_data_on_request(store):
    erase_personal_data(store, world.IRINA.registration_number, now=NOW)
    data = export_personal_data(store, world.IRINA.registration_number)
    assert data["full_name"] == "Removed member 1000004"
    assert data["status"] == "closed"
    assert data["email"] is None and data["phone"] is None and data["birth_date"] is None


def test_erasing_an_unknown_number_names_the_field_and_changes_nothing(store, world_file):
    before = world_file.read_bytes()
    with pytest.raises(NotFound) as caught:
        erase_personal_data(store, "9999999", now=NOW)
    assert caught.value.field == "registration_number"
    assert world_file.read_bytes() == before
