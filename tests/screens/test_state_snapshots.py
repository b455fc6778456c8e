"""Snapshots of the states the daily-path snapshots do not reach, at 80x24 and 120x40.

Each state is reached with the keys a person would press, on the test world at a fixed
clock (see ``snapshot_app``). What would differ between runs is pinned first: the reset
code (random) is a known one, the exports folder is named relative to the working
directory (``data/exports/...``, not a temporary path), the export's time stamp is the
world's clock, and the unreachable mail server is a fixed closed port.
"""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import insert, update

from mlm_tui.core.local import schema as t
from mlm_tui.core.local.store import Store
from mlm_tui.core.settings import SmtpSettings
from mlm_tui.screens.invoice import InvoiceScreen
from tests import world
from tests.conftest import Clock
from tests.screens.keys import keys, typed
from tests.screens.snapshot_app import make_app, open_screen, settle
from tests.screens.test_cart import filled
from tests.screens.test_snapshots import _cart

RESET_CODE = "24681357"
NEW_PASSWORD = "Lavender-field-77"
# Port 1 (tcpmux) is served nowhere nowadays: connecting is refused at once.
CLOSED_PORT = 1


@pytest.fixture
def known_reset_code(monkeypatch: pytest.MonkeyPatch) -> str:
    """Every code the backend issues is RESET_CODE, so a wrong one is surely wrong."""
    monkeypatch.setattr("mlm_tui.core.local.auth.new_numeric_code", lambda digits: RESET_CODE)
    return RESET_CODE


@pytest.fixture
def relative_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """The app's files named as ``data/...`` from ``tmp_path``: the same text every run."""
    monkeypatch.chdir(tmp_path)

    def pin(app):
        app.settings = replace(app.settings, data_dir=Path("data"), config_dir=Path("config"),
                               state_dir=Path("state"))
        return app

    return pin


@pytest.fixture
def export_at_the_worlds_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The export's file name carries the wall-clock time; here it is the world's."""
    class WorldClock(datetime):
        @classmethod
        def now(cls, tz=None) -> datetime:
            return world.NOW

    monkeypatch.setattr("mlm_tui.core.export.datetime", WorldClock)


# --- login and reset -------------------------------------------------------------------------


async def reset_code_sent(pilot) -> None:
    await keys(pilot, "ctrl+r", typed(world.ANNA.email), "enter")


def give_the_newcomer_a_password(app) -> None:
    """That an account is not activated yet is said only to whoever types its password."""
    from mlm_tui.core.passwords import hash_secret

    store = Store(app.settings.store_path)
    with store.write() as conn:
        conn.execute(update(t.members).where(t.members.c.id == world.NEWBIE.id)
                     .values(password_hash=hash_secret(world.PASSWORD)))
    store.close()


class TestAccountStates:
    def test_login_not_activated_yet(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, login=False)
        give_the_newcomer_a_password(app)
        steps = lambda p: keys(p, typed(world.NEWBIE.email), "enter",  # noqa: E731
                               typed(world.PASSWORD), "enter")
        assert snap_sizes(app, steps) == []

    def test_reset_wrong_code_says_the_tries_left(self, snap_sizes, tmp_path,
                                                  known_reset_code):
        app = make_app(tmp_path, login=False)

        async def steps(pilot) -> None:
            await reset_code_sent(pilot)
            await keys(pilot, typed("12345678"), "enter", typed(NEW_PASSWORD), "enter",
                       typed(NEW_PASSWORD), "enter")

        assert snap_sizes(app, steps) == []

    def test_reset_expired_code(self, snap_sizes, tmp_path, known_reset_code):
        # The resend button's countdown goes on while a picture is taken: each size is
        # reached from a start of its own, so both are taken as long after the sending.
        clocks: list[Clock] = []

        def fresh_app():
            clocks.append(Clock())
            return make_app(tmp_path / f"run{len(clocks)}", login=False, clock=clocks[-1])

        async def steps(pilot) -> None:
            await reset_code_sent(pilot)
            clocks[-1].advance(timedelta(minutes=16))  # the code lives 15 minutes
            await pilot.pause(1.2)  # the resend button counts down once a second
            await keys(pilot, typed(known_reset_code), "enter", typed(NEW_PASSWORD), "enter",
                       typed(NEW_PASSWORD), "enter")

        assert snap_sizes(fresh_app, steps, each_from_the_start=True) == []

    def test_reset_weak_new_password(self, snap_sizes, tmp_path, known_reset_code):
        app = make_app(tmp_path, login=False)

        async def steps(pilot) -> None:
            await reset_code_sent(pilot)
            await keys(pilot, typed(known_reset_code), "enter", typed("12345678"), "enter",
                       typed("12345678"), "enter")

        assert snap_sizes(app, steps) == []

    def test_reset_asked_again_too_soon(self, snap_sizes, tmp_path, known_reset_code):
        app = make_app(tmp_path, login=False)

        async def steps(pilot) -> None:
            await reset_code_sent(pilot)
            await keys(pilot, "escape", "ctrl+r", typed(world.ANNA.email), "enter")

        assert snap_sizes(app, steps) == []


# --- checkout --------------------------------------------------------------------------------

PICKUP_POINTS = 3  # the demo company's; the courier comes after them


def sell_out(app, code: str) -> None:
    """Someone else bought the last ones while this checkout was open."""
    store = Store(app.settings.store_path)
    with store.write() as conn:
        conn.execute(update(t.products).where(t.products.c.code == code).values(stock=0))
    store.close()


class TestCheckoutStates:
    def test_courier_and_cash_to_the_courier(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, wrap=filled(("32548", 2), ("33012", 3)))
        # With a courier the ways to pay are the balance and cash to the courier.
        steps = lambda p: _cart(p, "c", *["down"] * PICKUP_POINTS, "enter",  # noqa: E731
                                "tab", "down", "enter")
        assert snap_sizes(app, steps) == []

    def test_paying_at_the_service_centre(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, wrap=filled(("32548", 2), ("33012", 3)))
        # At the service centre: the balance, or paying there (never instalments).
        steps = lambda p: _cart(p, "c", "tab", "down", "enter")  # noqa: E731
        assert snap_sizes(app, steps) == []

    def test_refused_because_a_product_sold_out_meanwhile(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, wrap=filled(("32548", 2), ("33012", 3)))

        async def steps(pilot) -> None:
            await _cart(pilot, "c")
            sell_out(app, "33012")
            await keys(pilot, "ctrl+s")

        assert snap_sizes(app, steps) == []


# --- catalog and history ---------------------------------------------------------------------

CATEGORY = "Макияж"


class TestListStates:
    def test_catalog_of_one_category(self, snap_sizes, tmp_path):
        app = make_app(tmp_path)

        async def steps(pilot) -> None:
            await settle(pilot)
            names = [category.name for category in app._backend.categories()]
            # Down past "All categories" to the category, as the list shows them.
            await keys(pilot, "ctrl+g", "enter", *["down"] * (names.index(CATEGORY) + 1),
                       "enter")

        assert snap_sizes(app, steps) == []

    def test_history_with_no_matching_orders(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, with_orders=True)

        async def steps(pilot) -> None:
            await open_screen(pilot, "orders")
            # Source IN (the fourth), then status "placed" (the first): no such order.
            await keys(pilot, "f", "tab", "enter", "down", "down", "down", "down", "enter")
            await keys(pilot, "f", "tab", "tab", "enter", "down", "enter")

        assert snap_sizes(app, steps) == []

    def test_history_right_after_export(self, snap_sizes, tmp_path, relative_data_dir,
                                        export_at_the_worlds_clock):
        app = relative_data_dir(make_app(tmp_path, with_orders=True))

        async def steps(pilot) -> None:
            await open_screen(pilot, "orders")
            await keys(pilot, "x")

        assert snap_sizes(app, steps) == []
        [exported] = (tmp_path / "data" / "exports").glob("*.csv")
        assert exported.name == "orders-20261120-120000.csv"


# --- the invoice -----------------------------------------------------------------------------


async def klaus_invoice(pilot) -> None:
    await settle(pilot)
    await pilot.app.push_screen(InvoiceScreen(world.INVOICES[world.ORDER_KLAUS_ENROLMENT]))
    await settle(pilot)


def port_is_closed(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) != 0


class TestInvoiceStates:
    def test_saved_as_pdf(self, snap_sizes, tmp_path, relative_data_dir):
        app = relative_data_dir(make_app(tmp_path, with_orders=True))

        async def steps(pilot) -> None:
            await klaus_invoice(pilot)
            await keys(pilot, "p")

        assert snap_sizes(app, steps) == []
        assert list((tmp_path / "data" / "exports").glob("invoice-*.pdf"))

    def test_email_failed_without_a_reachable_mail_server(self, snap_sizes, tmp_path):
        assert port_is_closed(CLOSED_PORT), "something listens on the port meant to be closed"
        app = make_app(tmp_path, with_orders=True)
        app.settings = replace(app.settings,
                               smtp=SmtpSettings("127.0.0.1", CLOSED_PORT, timeout=2.0))

        async def steps(pilot) -> None:
            await klaus_invoice(pilot)
            await keys(pilot, "e")

        assert snap_sizes(app, steps) == []


# --- home ------------------------------------------------------------------------------------


def klaus_has_ordered_this_month(app) -> None:
    """Klaus (no downline, no wallet) reached his target: nothing needs doing."""
    store = Store(app.settings.store_path)
    with store.write() as conn:
        conn.execute(insert(t.orders).values(
            number="K-1", buyer_id=world.KLAUS.id, placed_by_id=world.KLAUS.id, source="SO",
            status="delivered", period_id=2, placed_at=datetime(2026, 11, 19, 9),
            retail=Decimal(2499), discount=Decimal(500), delivery_fee=Decimal(0),
            total=Decimal(1999), points=Decimal(150), payment_method="balance",
            delivery_method="pickup_point"))
    store.close()


def test_home_with_nothing_to_do(snap_sizes, tmp_path):
    app = make_app(tmp_path, login=False)
    klaus_has_ordered_this_month(app)

    async def steps(pilot) -> None:
        await keys(pilot, typed(world.KLAUS.registration_number), "enter",
                   typed(world.PASSWORD), "enter")
        await keys(pilot, "ctrl+o")  # once signed in: before, there is no home to go to

    assert snap_sizes(app, steps) == []
