"""Snapshots of My claims at 80x24 (SSH) and 120x40: a list with an open and a decided
claim, a decided claim's detail, and the empty list with its hint.

Claims are filed through the Backend and decided through the service's operation, at the
world's fixed clock, before the screen opens; the rest is the keys a person presses.
"""

from __future__ import annotations

from datetime import timedelta

from mlm_tui.core.local.claim_decisions import accept_claim
from mlm_tui.core.models import ClaimLine
from tests import world
from tests.screens.snapshot_app import make_app, open_screen, settle

DELIVERED = world.INVOICES[world.ORDER_ANNA_DELIVERED]


async def two_claims(pilot) -> None:
    """An older claim on the cream, accepted three days on; a newer one on the gel, open."""
    await settle(pilot)
    backend = pilot.app.backend
    cream = backend.submit_claim(DELIVERED, [ClaimLine("32548", 1)], "Крем протёк")
    backend.submit_claim(DELIVERED, [ClaimLine("34001", 1)], "Не тот аромат")
    accept_claim(backend.store, cream.number, now=world.NOW + timedelta(days=3))
    await open_screen(pilot, "claims")


async def decided_claim_detail(pilot) -> None:
    await two_claims(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)


async def no_claims(pilot) -> None:
    await settle(pilot)
    await open_screen(pilot, "claims")


class TestMyClaims:
    def test_an_open_and_a_decided_claim(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, with_orders=True)
        assert snap_sizes(app, two_claims) == []

    def test_a_decided_claims_detail(self, snap_sizes, tmp_path):
        app = make_app(tmp_path, with_orders=True)
        assert snap_sizes(app, decided_claim_detail) == []

    def test_no_claims_yet(self, snap_sizes, tmp_path):
        assert snap_sizes(make_app(tmp_path), no_claims) == []
