"""The wire codec: every answer of every route travels to JSON and back unchanged."""

from __future__ import annotations

import json
import typing
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlm_tui.core.models import Page
from mlm_tui.core.money import Money
from mlm_tui.core.remote import routes, wire

# Amounts and points as the store keeps them: finite decimals.
st.register_type_strategy(Decimal, st.decimals(allow_nan=False, allow_infinity=False,
                                               places=4, min_value=-10**9, max_value=10**9))


def _pages(page_type):
    """Hypothesis makes no generic dataclass by itself, not even inside another one."""
    [item] = typing.get_args(page_type)
    return st.builds(Page, items=st.lists(st.from_type(item), max_size=3).map(tuple),
                     next_after=st.none() | st.text())


st.register_type_strategy(Page, _pages)
# A document (bytes) goes as it is, not through the codec.
RETURN_TYPES = sorted({route.returns() for route in routes.ROUTES} - {type(None), bytes},
                      key=repr)


def test_every_backend_method_has_a_route_and_no_route_names_another():
    assert set(routes.BY_METHOD) | routes.CLIENT_SIDE == set(routes.backend_methods())


@pytest.mark.parametrize("annotation", RETURN_TYPES, ids=repr)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_an_answer_comes_back_equal(annotation, data):
    value = data.draw(st.from_type(annotation))
    assert wire.load(annotation, wire.dump(annotation, value)) == value


def test_money_travels_as_a_decimal_string_with_its_currency():
    text = wire.dump(Money, Money(Decimal("123.45"), "RUB"))
    assert json.loads(text) == {"amount": "123.45", "currency": "RUB"}
    assert wire.load(Money, text) == Money(Decimal("123.45"), "RUB")
