"""My claims: filed from an order, decided by the service, the decision in the inbox and
in the list of claims."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mlm_tui.core.local.claim_decisions import accept_claim, reject_claim
from mlm_tui.screens.claim import ClaimScreen
from mlm_tui.screens.claims import ClaimsScreen
from mlm_tui.screens.inbox import InboxScreen
from mlm_tui.screens.order import OrderScreen
from tests import world
from tests.screens.snapshot_app import make_app, open_screen, screen_text, settle

pytestmark = pytest.mark.anyio

DECIDED_AT = world.NOW + timedelta(days=3)


async def file_a_claim(pilot) -> str:
    """Anna returns one cream of her delivered order, as she would from the order."""
    await settle(pilot)
    await pilot.app.push_screen(OrderScreen(world.ORDER_ANNA_DELIVERED))
    await settle(pilot)
    await pilot.press("r")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ClaimScreen)
    await pilot.press("plus", "tab", *"Крем протёк", "ctrl+s")
    await settle(pilot)
    [claim] = pilot.app.backend.claims()
    return claim.number


def table_rows(app) -> list[str]:
    return [line for line in screen_text(app).splitlines() if line.startswith(" CL-")]


async def test_a_decided_claim_is_unread_in_the_inbox_and_decided_in_my_claims(
        tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(120, 40)) as pilot:
        number = await file_a_claim(pilot)
        accept_claim(app.backend.store, number, now=DECIDED_AT)

        await open_screen(pilot, "inbox")
        assert isinstance(app.screen, InboxScreen)
        text = screen_text(app)
        assert "1 unread" not in text  # the notice of receipt and the decision: two
        assert "2 unread" in text
        [decision] = [line for line in text.splitlines() if f"Claim {number} accepted" in line]
        assert "●" in decision and "23.11.2026" in decision

        await open_screen(pilot, "claims")
        assert isinstance(app.screen, ClaimsScreen)
        [row] = table_rows(app)
        assert "accepted" in row and "599,20 ₽" in row and "INV-2608-000001" in row
        assert "1 claim · 0 awaiting a decision" in screen_text(app)
        assert "Balance 9 188,60 ₽" in screen_text(app)  # the header caught up with the credit
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert f"Claim {number} · invoice INV-2608-000001 · order RU-2608-000001" in text
        assert "32548  Крем для лица «Нежность» × 1" in text
        assert "Reason: Крем протёк" in text
        assert ("Decided on 23.11.2026: Accepted: 599,20 ₽ credited to your balance."
                in text)


async def test_the_list_reads_again_when_shown_again_and_keeps_the_open_claim(
        tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        number = await file_a_claim(pilot)
        await open_screen(pilot, "claims")
        await pilot.press("enter")
        await settle(pilot)
        [row] = table_rows(app)
        assert "awaiting" in row and "27.11.2026" in row
        assert "Awaiting the decision, due by 27.11.2026" in screen_text(app)

        await open_screen(pilot, "inbox")
        reject_claim(app.backend.store, number, now=DECIDED_AT, reason="Товар без дефекта")
        await pilot.press("ctrl+y")  # back to the same claims screen, by its key
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        [row] = table_rows(app)
        assert "rejected" in row and "₽" not in row
        assert "Decided on 23.11.2026: Rejected: Товар без дефекта" in screen_text(app)


async def test_with_no_claims_the_list_says_how_to_file_one(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        text = screen_text(app)
        assert "No claims yet." in text
        assert "How to file a claim" in text
        assert "and press r  Return / claim." in text
