"""Two whole journeys at 80x24, by keys alone, checked by what a person reads on screen.

- A consultant on a demo store: logs in with the demo login the login screen shows,
  finds a product by part of its name, quick-orders two codes, changes a quantity in the
  cart (points and total follow), pays from the balance and finds the order on top of
  the history.
- A field leader: finds one of several "Иванова" by her city, reads three months of
  points, opens a month (her orders of that month), one order, and its invoice.
"""

from __future__ import annotations

import re
import shutil

import pytest

from mlm_tui.core.demo import DEMO_LOGIN
from tests import world
from tests.screens.keys import keys, typed
from tests.screens.snapshot_app import make_app, screen_text, settle

pytestmark = pytest.mark.anyio

SIZE = (80, 24)
# The demo store as `mlm-tui` builds it, small, on the world's day.




def line_with(text: str, *words: str) -> str:
    """The first line on screen holding all ``words``."""
    return next(line for line in text.splitlines() if all(word in line for word in words))


def code_of(text: str, name_part: str) -> str:
    """The product code at the start of the catalog row naming ``name_part``."""
    return line_with(text, name_part).split()[0]


def quantity_in_cart(text: str, code: str) -> str:
    """The Qty column of the cart row of ``code``: the number before its retail sum."""
    found = re.search(r"\s(\d+)\s{2,}[\d ]*\d,\d\d ₽", line_with(text, code))
    assert found, text
    return found.group(1)


def to_pay_and_points(text: str) -> tuple[str, str]:
    """The cart's totals line: ``To pay    1 296,60 ₽   Points    20 BB``."""
    found = re.search(r"To pay\s+([\d ]+,\d\d ₽)\s+Points\s+([\d ,]+ BB)",
                      line_with(text, "To pay", "Points"))
    assert found, text
    return found.group(1), found.group(2)


async def test_a_consultant_orders_from_the_demo_store_and_finds_the_order(
        tmp_path, demo_template) -> None:
    (tmp_path / "data").mkdir()
    shutil.copyfile(demo_template, tmp_path / "data" / "store.db")
    app = make_app(tmp_path, login=False, demo_login=DEMO_LOGIN)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The login screen says how to get in.
        hint = re.search(r"Demo login: (\d+), password (\S+) ", screen_text(app))
        assert hint, screen_text(app)
        number, password = hint.groups()
        await keys(pilot, typed(number), "enter", typed(password), "enter")
        text = screen_text(app)
        assert text.startswith("Catalog")
        assert "Balance 21 230,60 ₽" in line_with(text, "No. 1000001")

        # Part of a name in the catalog's search (it has the cursor) finds the product.
        await keys(pilot, *"мят")
        text = screen_text(app)
        assert "1 product" in text
        scrub = code_of(text, "Скраб для тела «Мята»")
        await keys(pilot, *["backspace"] * 3, *"зеркало")
        mirror = code_of(screen_text(app), "Зеркало «Кедр»")

        # Quick order: code, Enter, quantity (1 as offered), Enter; then two of the other.
        await keys(pilot, "f3", *scrub, "enter", "enter", *mirror, "enter", "2", "enter")
        assert "2 lines ready: 997,60 ₽, 20 BB." in screen_text(app)
        await keys(pilot, "ctrl+s")
        assert "2 lines put into the cart." in screen_text(app)

        await keys(pilot, "f4")
        text = screen_text(app)
        assert quantity_in_cart(text, scrub) == "1"
        assert quantity_in_cart(text, mirror) == "2"
        assert to_pay_and_points(text) == ("1 296,60 ₽", "20 BB")
        # One more scrub (the line under the cursor): 359,20 ₽ and 7 BB more.
        await keys(pilot, "plus")
        text = screen_text(app)
        assert quantity_in_cart(text, scrub) == "2"
        assert to_pay_and_points(text) == ("1 655,80 ₽", "27 BB")

        # Checkout: a pickup point and the balance are chosen already.
        await keys(pilot, "c")
        assert "19 574,80 ₽ stay on it after this order" in screen_text(app)
        await keys(pilot, "ctrl+s")
        text = screen_text(app)
        placed = re.search(r"✓ Order (\S+) is placed\.", text)
        assert placed, text
        order_number = placed.group(1)
        assert "1 655,80 ₽ — paid from your balance" in text
        assert "Balance 19 574,80 ₽" in line_with(text, "No. 1000001")

        # Back to the catalog, then the history: the new order is the newest.
        await keys(pilot, "enter", "f5")
        text = screen_text(app)
        assert text.startswith("Order history")
        lines = text.splitlines()
        header = next(i for i, line in enumerate(lines) if line.split()[:2] == ["Date", "Order"])
        top = lines[header + 1]
        assert order_number in top and "1 655,80 ₽" in top and "27" in top.split()
        assert f"{order_number} · SO standard order · 27 BB" in text


async def test_a_field_leader_drills_from_a_name_to_an_invoice(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)  # Анна, at the top of her team
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "f7", *"Иванова")
        text = screen_text(app)
        assert "3 matches" in text
        matches = [line for line in text.splitlines() if "Иванова" in line and "+7" in line]
        assert [line.split()[3] for line in matches] == ["Тверь", "Казань", "Москва"]
        # The one in Moscow: down into the list, and down to her row.
        moscow = next(i for i, line in enumerate(matches) if "Москва" in line)
        await keys(pilot, *["down"] * (moscow + 1), "enter")
        text = screen_text(app)
        assert "Ольга Иванова  ·  1000002" in text
        assert "Address:   Москва, ***" in text

        # Three months of points, newest first.
        months = {line.split()[0]: line.split()[2:] for line in text.splitlines()
                  if line.strip().startswith(("November", "October", "September"))}
        assert months == {"November": ["46", "1", "—"], "October": ["0", "no", "order", "—"],
                          "September": ["40", "1", "1"]}

        # November: her orders of that month, and nobody else's.
        await keys(pilot, "enter")
        text = screen_text(app)
        assert text.startswith("Order history")
        assert "1 order · newest first · November 2026 · Ольга Иванова (1000002)" in text
        row = line_with(text, "12.11.2026")
        assert row.split()[:4] == ["12.11.2026", world.ORDER_OLGA_SHIPPED, "Ольга", "Иванова"]
        assert "shipped" in row

        await keys(pilot, "enter")
        text = screen_text(app)
        assert f"Order {world.ORDER_OLGA_SHIPPED} · 12.11.2026 · shipped" in text
        invoice = world.INVOICES[world.ORDER_OLGA_SHIPPED]
        assert f"Invoice:   {invoice}" in text

        await keys(pilot, "i")
        text = screen_text(app)
        assert f"Invoice {invoice} of 12.11.2026" in text
        assert "Buyer: Ольга Иванова (1000002)" in text
        assert "Набор кистей для макияжа" in line_with(text, "39000")
        assert line_with(text, "33012").split()[-5] == "2"  # two mascaras
        assert "Total to pay:     2 696,60 ₽" in text
        assert "Points:                46 BB" in text
