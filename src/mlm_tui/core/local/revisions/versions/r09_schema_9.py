"""Schema 8 to 9: the hand-written step ``migrations._v8_to_v9``.

The team server's idempotency keys and its per-address request counts."""

from __future__ import annotations

from alembic import op

from mlm_tui.core.local import migrations

revision = "r09"
down_revision = "r08"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.run_step(op.get_bind(), 8)
