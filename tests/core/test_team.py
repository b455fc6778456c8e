"""Team reads: name search, a member's overview and monthly volume, the team tree.

What a leader notices: namesakes told apart by city, months without orders shown as
zero, cancelled orders not counted, and nobody outside her team ever shown.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from itertools import count

import pytest
from sqlalchemy import insert, update

from mlm_tui.core.errors import NotFound, ValidationError
from mlm_tui.core.local import schema as t
from mlm_tui.core.local import team as team_module
from mlm_tui.core.models import MonthVolume
from tests import world

_numbers = count(1)


def add_order(backend, buyer: world.Person, placed_at: datetime, points: str, *,
              source: str = "SO", status: str = "delivered") -> None:
    """An order written straight into the store, as the history would hold it."""
    with backend.store.write() as conn:
        conn.execute(insert(t.orders).values(
            number=f"T{next(_numbers):07d}", buyer_id=buyer.id, placed_by_id=buyer.id,
            source=source, status=status, period_id=2, placed_at=placed_at,
            retail=Decimal(1000), discount=Decimal(200), delivery_fee=Decimal(0),
            total=Decimal(800), points=Decimal(points), payment_method="balance",
            delivery_method="courier",
        ))


# --- name search ---------------------------------------------------------------------------


@pytest.fixture(params=["small team", "large team"])
def search_way(request, monkeypatch):
    """A small team is matched by reading it whole, a large one through the index: every
    search test runs both ways."""
    if request.param == "large team":
        monkeypatch.setattr(team_module, "SMALL_TEAM", 0)
    return request.param


@pytest.mark.usefixtures("search_way")
def test_three_ivanovas_are_told_apart_by_city(anna):
    matches = anna.search_members("иванова")
    assert [(m.full_name, m.city) for m in matches] == [
        ("Ирина Иванова", "Тверь"),
        ("Ольга Иванова", "Казань"),
        ("Ольга Иванова", "Москва"),
    ]
    assert {m.registration_number for m in matches} == {
        world.OLGA_MSK.registration_number, world.OLGA_KZN.registration_number,
        world.IRINA.registration_number}


@pytest.mark.usefixtures("search_way")
def test_the_full_name_narrows_to_the_two_olgas(anna):
    matches = anna.search_members("Ольга Иванова")
    assert sorted(m.city for m in matches) == ["Казань", "Москва"]


@pytest.mark.usefixtures("search_way")
@pytest.mark.parametrize("query", ["ОЛЬГА ИВ", "ольга", "Иван", "  иванова  "])
def test_search_ignores_case_and_finds_word_beginnings(anna, query):
    assert world.OLGA_KZN.id in {m.id for m in anna.search_members(query)}


@pytest.mark.usefixtures("search_way")
@pytest.mark.parametrize("query", ["müller", "MÜLLER", "klaus", "Mull"])
def test_latin_names_with_umlauts_are_found(anna, query):
    assert [m.full_name for m in anna.search_members(query)] == [world.KLAUS.full_name]


@pytest.mark.usefixtures("search_way")
def test_a_match_shows_the_phone_masked(anna):
    (klaus,) = anna.search_members("Klaus")
    assert klaus.phone_masked.endswith("05")
    assert world.KLAUS.phone not in klaus.phone_masked
    assert "1234" not in klaus.phone_masked


@pytest.mark.usefixtures("search_way")
def test_search_respects_the_limit_and_ignores_empty_or_odd_input(anna):
    assert len(anna.search_members("иванова", limit=2)) == 2
    assert anna.search_members("") == []
    assert anna.search_members('  "  ') == []
    assert anna.search_members('ольга" OR "пётр') == []  # FTS syntax is plain text


def test_a_registration_number_finds_that_member_only(anna):
    assert [m.full_name for m in anna.search_members(f" {world.KLAUS.registration_number} ")
            ] == ["Klaus Müller"]
    assert anna.search_members(world.KLAUS.registration_number[:4]) == []


@pytest.mark.usefixtures("search_way")
@pytest.mark.parametrize("query", ["Пётр", "ПЁТР", "Чужой", "п", world.PETR.registration_number])
def test_petr_of_another_team_is_never_found(anna, query):
    assert world.PETR.id not in {m.id for m in anna.search_members(query)}


# --- who may be opened ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "read",
    [
        lambda b, i: b.member(i),
        lambda b, i: b.member_overview(i),
        lambda b, i: b.monthly_volume(i, months=3),
        lambda b, i: b.team_volume(i, months=3),
        lambda b, i: b.team_children(i),
    ],
    ids=["member", "overview", "monthly_volume", "team_volume", "team_children"],
)
def test_petr_is_never_opened_by_any_path(anna, read):
    with pytest.raises(NotFound) as caught:
        read(anna, world.PETR.id)
    assert caught.value.field == "member"
    with pytest.raises(NotFound):
        read(anna, 999_999)  # the same answer as for a member who does not exist


@pytest.mark.usefixtures("search_way")
def test_a_downline_member_cannot_open_her_upline(backend):
    backend.login(world.OLGA_MSK.registration_number, world.PASSWORD)
    with pytest.raises(NotFound):
        backend.member(world.ANNA.id)
    with pytest.raises(NotFound):
        backend.member_overview(world.OLGA_KZN.id)
    assert [m.full_name for m in backend.search_members("Анна")] == []
    assert {m.id for m in backend.search_members("а")} <= {world.OLGA_MSK.id, world.KLAUS.id}
    assert [m.id for m in backend.search_members("müller")] == [world.KLAUS.id]


# --- member and overview -------------------------------------------------------------------


def test_member_reads_contact_data_and_address(anna):
    klaus = anna.member(world.KLAUS.id)
    assert klaus.full_name == "Klaus Müller"
    assert klaus.city == "München"
    assert klaus.address is not None and klaus.address.country == "DE"
    assert klaus.sponsor_id == world.OLGA_MSK.id


def test_overview_names_enroller_and_sponsor_and_three_months(anna):
    add_order(anna, world.KLAUS, datetime(2026, 10, 5, 10), "40")
    overview = anna.member_overview(world.KLAUS.id)
    assert overview.sponsor is not None and overview.sponsor.full_name == "Ольга Иванова"
    assert overview.sponsor.registration_number == world.OLGA_MSK.registration_number
    assert overview.enroller == overview.sponsor
    assert [v.month for v in overview.volume] == ["2026-09", "2026-10", "2026-11"]
    assert [v.points for v in overview.volume] == [0, 40, 0]
    assert [v.ordered for v in overview.volume] == [False, True, False]


def test_an_enroller_outside_the_team_stays_unnamed(anna):
    with anna.store.write() as conn:
        conn.execute(update(t.members).where(t.members.c.id == world.IRINA.id)
                     .values(enroller_id=world.PETR.id))
    overview = anna.member_overview(world.IRINA.id)
    assert overview.enroller is None
    assert overview.sponsor is not None and overview.sponsor.full_name == "Анна Смирнова"


def test_a_member_sees_her_own_sponsor(backend):
    backend.login(world.KLAUS.registration_number, world.PASSWORD)
    overview = backend.member_overview(world.KLAUS.id)
    assert overview.sponsor is not None and overview.sponsor.id == world.OLGA_MSK.id


def test_the_root_has_no_sponsor(anna):
    overview = anna.member_overview(world.ANNA.id)
    assert overview.sponsor is None and overview.enroller is None


# --- monthly volume ------------------------------------------------------------------------


def test_monthly_volume_counts_points_orders_and_loyalty_orders(anna):
    add_order(anna, world.OLGA_MSK, datetime(2026, 11, 1, 0, 0), "12.5")
    add_order(anna, world.OLGA_MSK, datetime(2026, 11, 19, 23, 59), "30", source="AS")
    add_order(anna, world.OLGA_MSK, datetime(2026, 11, 2), "100", status="cancelled")
    add_order(anna, world.OLGA_MSK, datetime(2026, 10, 31, 23, 59, 59), "7", source="AS")
    add_order(anna, world.OLGA_MSK, datetime(2026, 8, 31, 23, 59, 59), "999")  # too old
    add_order(anna, world.OLGA_KZN, datetime(2026, 11, 3), "55")  # someone else
    volume = anna.monthly_volume(world.OLGA_MSK.id, months=3)
    assert volume == [
        MonthVolume("2026-09", Decimal(0), 0, 0),
        MonthVolume("2026-10", Decimal(7), 1, 1),
        MonthVolume("2026-11", Decimal("42.5"), 2, 1),
    ]


def test_monthly_volume_crosses_the_new_year(anna):
    add_order(anna, world.IRINA, datetime(2025, 12, 24), "20")
    volume = anna.monthly_volume(world.IRINA.id, months=12)
    assert volume[0].month == "2025-12" and volume[0].points == 20
    assert volume[-1].month == "2026-11"
    assert len(volume) == 12


@pytest.mark.parametrize("months", [0, -1, 121])
def test_an_impossible_number_of_months_names_the_field(anna, months):
    with pytest.raises(ValidationError) as caught:
        anna.monthly_volume(world.ANNA.id, months=months)
    assert caught.value.field == "months"


# --- the team ------------------------------------------------------------------------------


def test_team_volume_gives_every_direct_member_the_same_as_one_by_one(anna):
    add_order(anna, world.OLGA_MSK, datetime(2026, 11, 10), "30", source="AS")
    add_order(anna, world.IRINA, datetime(2026, 9, 10), "15")
    add_order(anna, world.KLAUS, datetime(2026, 11, 10), "80")  # second level: not listed
    team = anna.team_volume(world.ANNA.id, months=3)
    assert set(team) == {world.OLGA_MSK.id, world.OLGA_KZN.id, world.IRINA.id,
                         world.NEWBIE.id, world.CLOSED.id}
    for member_id, volume in team.items():
        assert volume == anna.monthly_volume(member_id, months=3)
    assert team[world.OLGA_MSK.id][-1].loyalty_orders == 1
    assert team[world.IRINA.id][0].points == 15


def test_team_children_shows_points_this_month_and_who_has_a_downline(anna):
    add_order(anna, world.OLGA_MSK, datetime(2026, 11, 10), "30")
    add_order(anna, world.OLGA_MSK, datetime(2026, 10, 10), "99")  # last month
    nodes = {node.member.id: node for node in anna.team_children(world.ANNA.id)}
    assert set(nodes) == {world.OLGA_MSK.id, world.OLGA_KZN.id, world.IRINA.id,
                          world.NEWBIE.id, world.CLOSED.id}
    assert nodes[world.OLGA_MSK.id].points_this_month == 30
    assert nodes[world.OLGA_MSK.id].children == 1
    assert nodes[world.IRINA.id].points_this_month == 0
    assert nodes[world.IRINA.id].children == 0
    assert nodes[world.NEWBIE.id].status == "pending"
    assert nodes[world.OLGA_KZN.id].kind == "customer"
    (klaus,) = anna.team_children(world.OLGA_MSK.id)
    assert klaus.member.full_name == "Klaus Müller"
