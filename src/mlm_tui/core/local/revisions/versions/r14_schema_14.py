"""Schema 13 to 14: the hand-written step ``migrations._delivery_stops``.

The service's queue of delivery stops, with the orders already stopped waiting in it."""

from __future__ import annotations

from alembic import op

from mlm_tui.core.local import migrations

revision = "r14"
down_revision = "r13"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.run_step(op.get_bind(), 13)
