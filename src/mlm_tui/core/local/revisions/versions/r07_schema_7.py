"""Schema 6 to 7: the hand-written step ``migrations._v6_to_v7``.

When each order was paid, taken from its status history (None: not paid yet)."""

from __future__ import annotations

from alembic import op

from mlm_tui.core.local import migrations

revision = "r07"
down_revision = "r06"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.run_step(op.get_bind(), 6)
