"""Through no endpoint does a member reach another team: every path that names an order,
an invoice, a member or a notification of Petr's team answers 404 to Anna, as if it did
not exist, and changes nothing."""

from __future__ import annotations

import pytest

from mlm_tui.core.models import OrderFilter
from mlm_tui.core.remote import routes
from tests import plain_http, world

PETRS = {
    "member_id": world.PETR.id,
    "number": world.ORDER_PETR_DELIVERED,
    "order_number": world.ORDER_PETR_SHIPPED,
    "notification_id": 999_999,
}
# A body that would be taken, were the path's thing hers.
BODIES = {
    "correct_order_source": {"source": "SO"},
    "mark_notification_read": None,
}
NAMING_ANOTHER_TEAM = [route for route in routes.ROUTES
                       if set(route.path_names) & set(PETRS)]


@pytest.fixture
def anna_remote(remote, world_orders):
    remote.login(world.ANNA.registration_number, world.PASSWORD)
    return remote


def test_every_route_naming_a_thing_is_walked():
    walked = {route.method for route in NAMING_ANOTHER_TEAM}
    assert {"order", "cancel_order", "member", "team_children", "shipment",
            "mark_notification_read", "correct_order_source"} <= walked


@pytest.mark.parametrize("route", NAMING_ANOTHER_TEAM, ids=lambda route: route.method)
def test_another_teams_thing_is_not_found(anna_remote, route):
    values = dict(PETRS)
    if route.path.startswith("/invoices"):
        values["number"] = world.INVOICES[world.ORDER_PETR_DELIVERED]
    headers = {"Authorization": f"Bearer {anna_remote.session().token}",
               "Idempotency-Key": f"walk-{route.method}"}
    before = anna_remote.count_orders(OrderFilter())
    answer = plain_http.request(route.verb, anna_remote.url + routes.API_PREFIX
                           + routes.expand_path(route, values), headers=headers,
                           json=BODIES.get(route.method) if route.verb in ("POST", "PUT")
                           else None)
    assert answer.status_code == 404, answer.text
    assert answer.json()["code"] == "not_found"
    assert anna_remote.count_orders(OrderFilter()) == before
