"""Schema 9 to 10: the hand-written step ``migrations._v9_to_v10``.

The ledgers' entries found by order: showing an order no longer reads a whole
ledger."""

from __future__ import annotations

from alembic import op

from mlm_tui.core.local import migrations

revision = "r10"
down_revision = "r09"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.run_step(op.get_bind(), 9)
