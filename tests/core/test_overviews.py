"""What a screen opens with, in one call: each answer is what the single calls it stands for
would say, for the signed-in member only.

Over HTTP a call is a round trip: a screen that needs several things at once asks for them
together (``catalog_overview``, ``checkout_overview``, ``wallet_overview``,
``period_promotions``, ``claimable_invoice``), and a quick order puts all its lines in with
one call (``add_lines_to_cart``).
"""

from __future__ import annotations

import pytest

from mlm_tui.core.errors import NotFound
from mlm_tui.core.models import ClaimLine, OrderStatus, TopUpMethod
from mlm_tui.core.money import Money
from tests import world

pytestmark = pytest.mark.usefixtures("world_orders")

DELIVERED = world.INVOICES[world.ORDER_ANNA_DELIVERED]


def test_the_catalog_opens_with_its_categories_and_first_products(anna):
    opened = anna.catalog_overview(limit=5)
    assert list(opened.categories) == anna.categories()
    assert opened.page == anna.search_products_page("", limit=5)
    assert len(opened.page.items) == 5 and opened.page.next_after is not None


def test_checkout_opens_with_who_orders_the_cart_and_the_balance(anna):
    anna.add_to_cart("32548", 2)
    opened = anna.checkout_overview()
    assert opened.member == anna.me()
    assert opened.cart == anna.cart()
    assert [(line.product.code, line.quantity) for line in opened.cart.lines] == [("32548", 2)]
    assert opened.balance == anna.balance()


def test_the_wallet_opens_with_both_amounts_and_the_first_page_of_each_ledger(anna):
    world.confirmed_top_up(anna, Money("150", "RUB"))
    asked = anna.top_up(Money("90", "RUB"), TopUpMethod.TRANSFER)
    opened = anna.wallet_overview(limit=2)
    assert opened.payment_requests == (asked,)
    assert opened.balance == anna.balance()
    assert opened.ledger == anna.balance_ledger(limit=2)
    assert opened.points == anna.points_wallet()
    assert opened.points_ledger == anna.points_ledger(limit=2)
    assert opened.ledger.items[0].amount == Money("150", "RUB")


def test_promotions_open_with_their_period(anna):
    opened = anna.period_promotions()
    assert opened.period == anna.current_period()
    assert list(opened.promotions) == anna.promotions()


def test_a_claim_form_opens_with_the_invoice_its_order_and_the_claims_on_it(anna):
    claim = anna.submit_claim(DELIVERED, [ClaimLine("32548", 1)], "Крем протёк")
    opened = anna.claimable_invoice(DELIVERED)
    assert opened.invoice == anna.invoice(DELIVERED)
    assert opened.order_status is OrderStatus.DELIVERED
    assert opened.earlier == (claim,)
    other = world.INVOICES[world.ORDER_KLAUS_ENROLMENT]
    assert anna.claimable_invoice(other).earlier == ()


@pytest.mark.parametrize("invoice", [world.INVOICES[world.ORDER_PETR_DELIVERED],
                                     "INV-0000-000000"])
def test_another_teams_invoice_is_not_there_to_claim(anna, invoice):
    with pytest.raises(NotFound):
        anna.claimable_invoice(invoice)


def test_lines_go_into_the_cart_together_and_a_refused_one_says_why(anna):
    added = anna.add_lines_to_cart([("32548", 1), ("NOPE1", 1), ("33012", 2), ("32548", 0)])
    assert added.cart == anna.cart()
    assert {(line.product.code, line.quantity) for line in added.cart.lines} == {
        ("32548", 1), ("33012", 2)}
    refused = {(r.product_code, r.error, r.field) for r in added.refused}
    assert refused == {("NOPE1", "not_found", "code"), ("32548", "validation", "quantity")}
    assert all(r.message for r in added.refused)


def test_no_line_taken_still_answers_with_the_cart(anna):
    anna.add_to_cart("33012", 1)
    added = anna.add_lines_to_cart([("NOPE1", 1)])
    assert added.cart == anna.cart()
    assert [r.product_code for r in added.refused] == ["NOPE1"]


def test_finishing_a_lesson_answers_with_the_progress(anna):
    assert anna.complete_lesson("welcome") == {"welcome"} == anna.training_progress()
    assert anna.complete_lesson("catalog") == {"welcome", "catalog"}
