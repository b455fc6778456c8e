"""Team reads: name search, a member's overview and monthly volume, the team tree.

What a leader notices: namesakes told apart by city, months without orders shown as
zero, cancelled orders not counted, and nobody outside her team ever shown.
"""

from __future__ import annotations

import inspect
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import count

import pytest
from sqlalchemy import insert, update

from mlm_tui.core.backend import Backend
from mlm_tui.core.errors import DomainError, NotFound, ValidationError
from mlm_tui.core.errors import from_dict as error_from_dict
from mlm_tui.core.local import schema as t
from mlm_tui.core.local import team as team_module
from mlm_tui.core.models import (
    Address,
    Checkout,
    ClaimLine,
    DeliveryMethod,
    MonthVolume,
    OrderFilter,
    OrderSource,
    PaymentMethod,
    PreparedLine,
    PreparedOrder,
    SeenTotals,
)
from mlm_tui.core.money import Money
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
@pytest.mark.on_postgres  # search, the downline's range, volume
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
@pytest.mark.on_postgres  # search, the downline's range, volume
def test_the_full_name_narrows_to_the_two_olgas(anna):
    matches = anna.search_members("Ольга Иванова")
    assert sorted(m.city for m in matches) == ["Казань", "Москва"]


@pytest.mark.usefixtures("search_way")
@pytest.mark.parametrize("query", ["ОЛЬГА ИВ", "ольга", "Иван", "  иванова  "])
@pytest.mark.on_postgres  # search, the downline's range, volume
def test_search_ignores_case_and_finds_word_beginnings(anna, query):
    assert world.OLGA_KZN.id in {m.id for m in anna.search_members(query)}


@pytest.mark.usefixtures("search_way")
@pytest.mark.parametrize("query", ["müller", "MÜLLER", "klaus", "Mull"])
@pytest.mark.on_postgres  # search, the downline's range, volume
def test_latin_names_with_umlauts_are_found(anna, query):
    assert [m.full_name for m in anna.search_members(query)] == [world.KLAUS.full_name]


@pytest.mark.usefixtures("search_way")
def test_a_match_shows_the_phone_masked(anna):
    (klaus,) = anna.search_members("Klaus")
    assert klaus.phone_masked.endswith("05")
    assert world.KLAUS.phone not in klaus.phone_masked
    assert "1234" not in klaus.phone_masked


@pytest.mark.usefixtures("search_way")
@pytest.mark.on_postgres  # search, the downline's range, volume
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
@pytest.mark.on_postgres  # search, the downline's range, volume
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
@pytest.mark.on_postgres  # search, the downline's range, volume
def test_petr_is_never_opened_by_any_path(anna, read):
    with pytest.raises(NotFound) as caught:
        read(anna, world.PETR.id)
    assert caught.value.field == "member"
    with pytest.raises(NotFound):
        read(anna, 999_999)  # the same answer as for a member who does not exist


@pytest.mark.usefixtures("search_way")
@pytest.mark.on_postgres  # search, the downline's range, volume
def test_a_downline_member_cannot_open_her_upline(backend):
    backend.login(world.OLGA_MSK.registration_number, world.PASSWORD)
    with pytest.raises(NotFound):
        backend.member(world.ANNA.id)
    with pytest.raises(NotFound):
        backend.member_overview(world.OLGA_KZN.id)
    assert [m.full_name for m in backend.search_members("Анна")] == []
    assert {m.id for m in backend.search_members("а")} <= {world.OLGA_MSK.id, world.KLAUS.id}
    assert [m.id for m in backend.search_members("müller")] == [world.KLAUS.id]


# --- every read path, decided ----------------------------------------------------------------
#
# A method of the Backend that names a member, an order, an invoice, a parcel or a claim is
# either checked against the signed-in member's downline (DOWNLINE_CHECKED: the probes below
# run it on members she must not see) or reads only her own data (OWN_DATA, with the reason).
# A new method that names one of these and is in neither table fails the guard, so nobody
# adds a read path without deciding who may use it.


@dataclass(frozen=True)
class Refused:
    """Called with someone else's reference: refused exactly as an unknown one would be."""

    names: str  # what the reference is: "member" (an id), "order" or "invoice" (a number)
    call: Callable[[object, object], object]


@dataclass(frozen=True)
class Hidden:
    """A list: whom it shows (member ids) when asked about ``who``."""

    shows: Callable[[object, world.Person], set[int]]


_BUYER_OF = {o.number: o.buyer.id for o in world.WORLD_ORDERS}
_UNKNOWN = {"member": 999_999, "order": "RU-0000-000000", "invoice": "INV-0000-000000"}


def _probe_checkout(member_id: object) -> Checkout:
    return Checkout(DeliveryMethod.COURIER, PaymentMethod.BALANCE, "probe-order",
                    buyer_id=member_id)  # type: ignore[arg-type]


def _probe_prepared(member_id: object) -> PreparedOrder:
    return PreparedOrder((PreparedLine("32548", 1),), _probe_checkout(member_id),
                         SeenTotals(Money.zero("RUB"), Decimal(0)))


def _placed_in_a_batch(backend: object, member_id: object) -> object:
    """The batch answers each order alone: its refusal is raised as the order's own."""
    (outcome,) = backend.place_prepared_orders([_probe_prepared(member_id)])  # type: ignore[attr-defined]
    if outcome.error:
        raise error_from_dict(json.loads(outcome.error))
    return outcome.order


DOWNLINE_CHECKED: dict[str, tuple[Refused | Hidden, ...]] = {
    "member": (Refused("member", lambda b, ref: b.member(ref)),),
    "member_overview": (Refused("member", lambda b, ref: b.member_overview(ref)),),
    "monthly_volume": (Refused("member", lambda b, ref: b.monthly_volume(ref, months=3)),),
    "team_volume": (Refused("member", lambda b, ref: b.team_volume(ref, months=3)),),
    "team_children": (Refused("member", lambda b, ref: b.team_children(ref)),),
    "orders_page": (
        Refused("member", lambda b, ref: b.orders_page(OrderFilter(member_id=ref))),
        Hidden(lambda b, who: {o.buyer_id for o in b.orders_page(OrderFilter()).items}),
    ),
    "order_history": (
        Refused("member", lambda b, ref: b.order_history(OrderFilter(member_id=ref))),
        Hidden(lambda b, who: {o.buyer_id for o in b.order_history(OrderFilter()).page.items}),
    ),
    "order_month_counts": (
        Refused("member", lambda b, ref: b.order_month_counts(OrderFilter(member_id=ref))),),
    "count_orders": (Refused("member", lambda b, ref: b.count_orders(OrderFilter(member_id=ref))),),
    "order_months": (Refused("member", lambda b, ref: b.order_months(OrderFilter(member_id=ref))),),
    "place_order": (Refused("member", lambda b, ref: b.place_order(_probe_checkout(ref))),),
    "place_prepared_order": (
        Refused("member", lambda b, ref: b.place_prepared_order(_probe_prepared(ref))),),
    "place_prepared_orders": (Refused("member", _placed_in_a_batch),),
    "quote_prepared_order": (
        Refused("member", lambda b, ref: b.quote_prepared_order(_probe_prepared(ref))),),
    "order": (Refused("order", lambda b, ref: b.order(ref)),),
    "cancellation_quote": (Refused("order", lambda b, ref: b.cancellation_quote(ref)),),
    "cancel_order": (Refused("order", lambda b, ref: b.cancel_order(ref)),),
    "request_delivery_stop": (Refused("order", lambda b, ref: b.request_delivery_stop(ref)),),
    "repeat_order": (Refused("order", lambda b, ref: b.repeat_order(ref)),),
    "correct_order_source": (
        Refused("order", lambda b, ref: b.correct_order_source(ref, OrderSource.SO)),),
    "shipment": (Refused("order", lambda b, ref: b.shipment(ref)),),
    "invoice": (Refused("invoice", lambda b, ref: b.invoice(ref)),),
    "invoice_pdf": (Refused("invoice", lambda b, ref: b.invoice_pdf(ref)),),
    "claimable_invoice": (Refused("invoice", lambda b, ref: b.claimable_invoice(ref)),),
    "email_invoice": (Refused("invoice", lambda b, ref: b.email_invoice(ref)),),
    "submit_claim": (Refused("invoice", lambda b, ref: b.submit_claim(
        ref, [ClaimLine("32548", 1)], "damaged in transit")),),
    "search_members": (Hidden(lambda b, who: {
        m.id for query in (who.full_name, who.registration_number)
        for m in b.search_members(query)}),),
    "shipments_in_transit": (Hidden(lambda b, who: {
        _BUYER_OF[p.order_number] for p in b.shipments_in_transit()}),),
}

OWN_DATA: dict[str, str] = {
    "login": "authenticates: the login names the caller's own account",
    "request_password_reset": "the caller's own contact; the same answer whether it exists",
    "confirm_password_reset": "proved by the code sent to the caller's own contact",
    "register_member": "creates a member under the signed-in sponsor; names no existing one",
    "activate_member": "the new member's own account, proved by the activation code",
    "search_products": "category_id names a catalog category, the same for everyone",
    "search_products_page": "category_id names a catalog category, the same for everyone",
    "complete_lesson": "lesson_id names a lesson of the course; progress is the caller's own",
    "claims": "the signed-in member's own claims only",
    "checkout_overview": "the signed-in member's own details, cart and balance",
    "notifications": "the signed-in member's own inbox only",
    "mark_notification_read": "a notification of the caller's own inbox; any other is NotFound",
}

# What in a method's name, its parameters' names or their types says it names a member,
# an order, an invoice, a parcel or a claim.
_NAMES_A_REFERENCE = re.compile(
    r"member|order|invoice|shipment|parcel|claim|notification|login|contact|regist"
    r"|checkout|number|filter|_id\b")


def _backend_methods() -> dict[str, inspect.Signature]:
    return {name: inspect.signature(value) for name, value in vars(Backend).items()
            if inspect.isfunction(value) and not name.startswith("_")}


def _names_a_reference(name: str, signature: inspect.Signature) -> bool:
    words = [name] + [f"{p.name} {p.annotation}" for p in signature.parameters.values()
                      if p.name != "self"]
    return bool(_NAMES_A_REFERENCE.search(" ".join(words).lower()))


def test_every_backend_path_naming_a_member_order_or_invoice_has_decided_who_may_use_it():
    methods = _backend_methods()
    naming = {name for name, signature in methods.items() if _names_a_reference(name, signature)}
    # The detector sees the ones everybody knows (else the guard below guards nothing).
    assert {"member", "orders_page", "invoice", "shipment", "submit_claim",
            "place_order"} <= naming
    undecided = naming - DOWNLINE_CHECKED.keys() - OWN_DATA.keys()
    assert not undecided, (
        f"decide who may call {sorted(undecided)}: add a probe to DOWNLINE_CHECKED or a "
        "reason to OWN_DATA")
    assert not DOWNLINE_CHECKED.keys() & OWN_DATA.keys()
    stale = (DOWNLINE_CHECKED.keys() | OWN_DATA.keys()) - methods.keys()
    assert not stale, f"no longer Backend methods: {sorted(stale)}"
    assert all(reason.strip() for reason in OWN_DATA.values())


class _Spy:
    """The backend, noting which of its methods a probe called."""

    def __init__(self, backend) -> None:
        self._backend = backend
        self.called: set[str] = set()

    def __getattr__(self, name: str):
        self.called.add(name)
        return getattr(self._backend, name)


def _reference(names: str, person: world.Person) -> object:
    if names == "member":
        return person.id
    first = next(o for o in world.WORLD_ORDERS if o.buyer is person)
    return first.number if names == "order" else first.invoice


def _refusal(probe: Refused, backend, ref: object) -> tuple[type, str | None, str]:
    """How a probe was refused, with the reference itself blanked out of the message."""
    with pytest.raises(NotFound) as caught:
        probe.call(backend, ref)
    return type(caught.value), caught.value.field, caught.value.message.replace(str(ref), "…")


# Signed in as OLGA_MSK: her upline, her two sisters in Anna's team (one her namesake) and
# another team's head are all outside her downline. OLGA_KZN has no orders to probe with.
_OUTSIDERS = {"upline": world.ANNA, "sibling": world.IRINA, "namesake sibling": world.OLGA_KZN,
              "other team": world.PETR}
_REFUSALS = [
    pytest.param(method, probe, who, id=f"{method}-{probe.names}-{label}")
    for method, probes in DOWNLINE_CHECKED.items()
    for probe in probes if isinstance(probe, Refused)
    for label, who in _OUTSIDERS.items()
    if probe.names == "member" or who is not world.OLGA_KZN
]
_HIDINGS = [
    pytest.param(method, probe, who, id=f"{method}-{label}")
    for method, probes in DOWNLINE_CHECKED.items()
    for probe in probes if isinstance(probe, Hidden)
    for label, who in _OUTSIDERS.items()
]


@pytest.mark.usefixtures("world_orders")
@pytest.mark.parametrize(("method", "probe", "outsider"), _REFUSALS)
def test_outside_her_downline_a_member_gets_the_answer_for_what_does_not_exist(
        backend, method, probe, outsider):
    backend.login(world.OLGA_MSK.registration_number, world.PASSWORD)
    spy = _Spy(backend)
    refused = _refusal(probe, spy, _reference(probe.names, outsider))
    assert method in spy.called
    assert refused == _refusal(probe, backend, _UNKNOWN[probe.names])


@pytest.mark.usefixtures("world_orders")
@pytest.mark.parametrize(("method", "probe", "outsider"), _HIDINGS)
@pytest.mark.on_postgres  # search, the downline's range, volume
def test_outside_her_downline_nobody_shows_in_her_lists(backend, method, probe, outsider):
    backend.login(world.OLGA_MSK.registration_number, world.PASSWORD)
    spy = _Spy(backend)
    assert outsider.id not in probe.shows(spy, outsider)
    assert method in spy.called


@pytest.mark.usefixtures("world_orders")
@pytest.mark.parametrize(
    ("method", "probe"),
    [pytest.param(method, probe, id=f"{method}-{type(probe).__name__.lower()}")
     for method, probes in DOWNLINE_CHECKED.items() for probe in probes],
)
def test_the_same_paths_open_her_own_downline(backend, method, probe):
    # The probes are not refused for some other reason: on KLAUS, below her, they work
    # (or fail for what the order is, never as if he did not exist).
    backend.login(world.OLGA_MSK.registration_number, world.PASSWORD)
    if isinstance(probe, Hidden):
        assert world.KLAUS.id in probe.shows(backend, world.KLAUS)
        return
    try:
        probe.call(backend, _reference(probe.names, world.KLAUS))
    except NotFound as error:
        pytest.fail(f"{method} hides Klaus from his own sponsor: {error.message}")
    except DomainError:
        pass  # refused for what the order is (delivered, an empty cart): it was found


# --- member and overview -------------------------------------------------------------------


def test_member_reads_contact_data_and_address(anna):
    klaus = anna.member(world.KLAUS.id)
    assert klaus.full_name == "Klaus Müller"
    assert klaus.city == "München"
    assert klaus.address is not None and klaus.address.country == "DE"
    assert klaus.sponsor_id == world.OLGA_MSK.id


def give_klaus_a_passport(anna) -> None:
    with anna.store.write() as conn:
        conn.execute(update(t.members).where(t.members.c.id == world.KLAUS.id)
                     .values(passport="C01X00T47"))


@pytest.mark.parametrize("viewer", [world.ANNA, world.OLGA_MSK], ids=["upline", "sponsor"])
def test_uplines_see_contacts_masked_and_never_passport_or_birth_date(backend, viewer):
    give_klaus_a_passport(backend)
    backend.login(viewer.email, world.PASSWORD)
    for klaus in (backend.member(world.KLAUS.id),
                  backend.member_overview(world.KLAUS.id).member):
        assert (klaus.email, klaus.phone) == ("k***s@example.de", "+49 *** ***-**-05")
        assert klaus.address == Address("", "München", "", "DE")
        assert (klaus.passport, klaus.birth_date) == (None, None)
        assert klaus.masked
        assert (klaus.full_name, klaus.registration_number) == ("Klaus Müller", "1000005")


def test_a_member_sees_all_of_her_own_data(backend):
    give_klaus_a_passport(backend)
    backend.login(world.KLAUS.email, world.PASSWORD)
    for klaus in (backend.member(world.KLAUS.id), backend.me(),
                  backend.member_overview(world.KLAUS.id).member):
        assert (klaus.email, klaus.phone) == (world.KLAUS.email, world.KLAUS.phone)
        assert klaus.address == Address("101000", "München", "ул. Примерная, 1", "DE")
        assert (klaus.passport, klaus.birth_date) == ("C01X00T47", date(1985, 5, 17))
        assert not klaus.masked


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


@pytest.mark.on_postgres  # search, the downline's range, volume
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


@pytest.mark.on_postgres  # search, the downline's range, volume
def test_an_order_waiting_for_its_money_is_ordered_but_earns_no_volume_yet(anna):
    add_order(anna, world.OLGA_MSK, datetime(2026, 11, 3), "12.5")
    add_order(anna, world.OLGA_MSK, datetime(2026, 11, 4), "40", status="placed")
    november = anna.monthly_volume(world.OLGA_MSK.id, months=1)[0]
    assert (november.points, november.orders) == (Decimal("12.5"), 2)


@pytest.mark.on_postgres  # search, the downline's range, volume
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


@pytest.mark.on_postgres  # search, the downline's range, volume
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


@pytest.mark.on_postgres  # search, the downline's range, volume
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


def test_the_team_opens_with_ones_own_node_and_first_level_in_one_answer(anna):
    add_order(anna, world.ANNA, datetime(2026, 11, 12), "42")
    add_order(anna, world.ANNA, datetime(2026, 11, 13), "7", status="placed")  # not paid yet
    add_order(anna, world.ANNA, datetime(2026, 10, 12), "99")  # last month
    root = anna.team_root()
    assert root.me.member.id == world.ANNA.id
    assert root.me.points_this_month == anna.monthly_volume(world.ANNA.id, months=1)[-1].points
    assert root.me.points_this_month >= 42
    assert root.me.children == len(root.children) == 5
    assert list(root.children) == anna.team_children(world.ANNA.id)


def test_a_member_at_the_bottom_opens_a_team_of_one(backend):
    backend.login(world.KLAUS.registration_number, world.PASSWORD)
    root = backend.team_root()
    assert (root.me.member.id, root.me.children, root.children) == (world.KLAUS.id, 0, ())


# --- name search in every spelling ---------------------------------------------------------


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# Anna's newer team members, as names arrive from other systems: some decomposed (NFD),
# with ё or е, ß, ı, umlauts or their German spelling.
SPELLED = {
    20: "Ayşe Yılmaz",
    21: "Johann Strauß",
    22: "Gregor Fußmann",
    23: "Jörg Ölschläger",
    24: nfd("Фёдор Чайкин"),
    25: "Семён Федоров",
    26: "Lena Mueller",
}


@pytest.fixture
def spelled(anna):
    with anna.store.write() as conn:
        conn.execute(insert(t.members), [
            dict(id=member_id, registration_number=str(1_000_000 + member_id),
                 kind="consultant", status="active", full_name=name,
                 name_folded=name.casefold(), city="Berlin", sponsor_id=world.ANNA.id,
                 enroller_id=world.ANNA.id, path=f"/1/{member_id}/",
                 registered_at=datetime(2025, 1, 10, 9))
            for member_id, name in SPELLED.items()
        ])
    return anna


@pytest.mark.usefixtures("search_way")
@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("yilmaz", {20}),
        ("YILMAZ", {20}),
        ("ayse yil", {20}),
        ("strauss", {21}),
        ("STRAUSS", {21}),
        ("Strauß", {21}),
        ("FUSSMANN", {22}),
        ("oel", {23}),
        ("ölschl", {23}),
        ("olschlager", {23}),
        ("joerg oelschlaeger", {23}),
        ("федор", {24, 25}),  # ё and е, both ways; Федоров begins with it too
        ("фёдор", {24, 25}),
        ("федор чайкин", {24}),
        ("фёдоров", {25}),
        ("семен", {25}),
        ("чайкин", {24}),  # the decomposed name, found by the composed word
        (nfd("Фёдор Чайкин"), {24}),  # typed decomposed
        (nfd("чайкин"), {24}),
        ("müller", {world.KLAUS.id, 26}),  # the umlaut finds its German spelling too
        ("mueller", {world.KLAUS.id, 26}),
        ("muller", {world.KLAUS.id}),
    ],
)
@pytest.mark.on_postgres  # search, the downline's range, volume
def test_name_search_finds_every_spelling_of_a_name(spelled, query, wanted):
    assert {m.id for m in spelled.search_members(query)} == wanted
