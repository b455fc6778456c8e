"""The cancellation fee's parts: forming the order always, the round trip only once shipped."""

from __future__ import annotations

import json
from decimal import Decimal

from mlm_tui.core.company import demo_company, profile_from_json, profile_to_json
from mlm_tui.core.models import FeePart
from mlm_tui.core.money import Money
from mlm_tui.core.rules.cancellation import cancellation_fee

RU = demo_company("ru")


def rub(amount: str) -> Money:
    return Money(Decimal(amount), "RUB")


def test_an_unshipped_order_pays_for_forming_only() -> None:
    assert cancellation_fee(RU, shipped=False, paid=rub("3000")) == (
        FeePart("forming the order", rub("150")),)


def test_a_shipped_order_pays_for_forming_and_the_round_trip() -> None:
    assert cancellation_fee(RU, shipped=True, paid=rub("3000")) == (
        FeePart("forming the order", rub("150")), FeePart("delivery there and back", rub("300")))


def test_nothing_is_withheld_beyond_what_was_paid_from_the_balance() -> None:
    assert cancellation_fee(RU, shipped=True, paid=rub("200")) == (
        FeePart("forming the order", rub("150")), FeePart("delivery there and back", rub("50")))
    assert cancellation_fee(RU, shipped=True, paid=rub("0")) == ()


def test_the_company_keeps_both_parts() -> None:
    again = profile_from_json(profile_to_json(RU))
    assert (again.cancellation_forming_fee, again.cancellation_round_trip_fee) == (
        rub("150"), rub("300"))


def test_a_profile_stored_with_one_flat_fee_still_reads() -> None:
    stored = json.loads(profile_to_json(RU))
    del stored["cancellation_forming_fee"], stored["cancellation_round_trip_fee"]
    stored["cancellation_fee"] = "120"
    old = profile_from_json(json.dumps(stored))
    # What an unshipped cancel cost before stays so; no round trip until the company sets one.
    assert old.cancellation_forming_fee == rub("120")
    assert old.cancellation_round_trip_fee == rub("0")
