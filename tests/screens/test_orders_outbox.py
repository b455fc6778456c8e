"""The order history shows the orders checked out offline apart from the server's: those
still to send, those waiting for a decision and those sent (with their real number)."""

from __future__ import annotations

import pytest

from mlm_tui.core.errors import Offline
from mlm_tui.core.offline.outbox import Outbox
from tests import world
from tests.screens.snapshot_app import make_app, open_screen, screen_text, settle
from tests.screens.test_outbox_screen import CHECKOUT, outbox_with_a_decision


class SendsNothing:
    """The backend with the server away whenever the outbox sends."""

    def __init__(self, backend) -> None:
        self._backend = backend

    def place_prepared_order(self, prepared):
        raise Offline("The server {url} cannot be reached.", params={"url": "x"})

    def place_prepared_orders(self, prepared):
        raise Offline("The server {url} cannot be reached.", params={"url": "x"})

    def __getattr__(self, name):
        return getattr(self._backend, name)


def with_one_more_queued(tmp_path):
    """Sent Q-000001, waiting Q-000002, dropped Q-000003 and, queued, Q-000004."""
    app = make_app(tmp_path, wrap=SendsNothing)
    outbox_with_a_decision(tmp_path)
    [path] = (app.settings.data_dir / "offline").glob("*.db")
    outbox = Outbox(path)
    outbox.queue(world.ANNA.id, outbox.get(1).seen_cart, CHECKOUT)
    outbox.close()
    return app


async def on_the_history(pilot) -> None:
    await settle(pilot)
    await open_screen(pilot, "orders")
    await settle(pilot)


@pytest.mark.anyio
async def test_queued_waiting_and_sent_orders_show_apart_in_the_history(tmp_path):
    app = with_one_more_queued(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_the_history(pilot)
        text = screen_text(app)
        sent = app.with_own_outbox(lambda outbox: outbox.get(1)).order_number
        assert "Queued, sent when online: Q-000004" in text
        assert "Waiting for your decision (F11): Q-000002" in text
        assert f"Sent from the outbox: Q-000001 → {sent}" in text
        assert "Q-000003" not in text  # dropped: never an order
        assert sent in text.split("Sent from the outbox")[1].split("\n", 1)[1]  # in the grid


@pytest.mark.anyio
async def test_offline_at_80_columns_the_header_keeps_the_title_and_member_number(tmp_path):
    app = with_one_more_queued(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_the_history(pilot)
        first, second = screen_text(app).splitlines()[:2]
        assert first.startswith("Order history ") and "OFFLINE · 1 queued" in first
        assert f"No. {world.ANNA.registration_number} " in second


@pytest.mark.anyio
async def test_nothing_checked_out_offline_adds_no_line(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_the_history(pilot)
        assert "outbox" not in screen_text(app) and "Queued" not in screen_text(app)


def test_history_with_the_outbox_snapshot(snap_sizes, tmp_path) -> None:
    assert snap_sizes(with_one_more_queued(tmp_path), on_the_history) == []
