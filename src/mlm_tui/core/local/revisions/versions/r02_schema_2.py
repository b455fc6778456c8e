"""Schema 1 to 2: the hand-written step ``migrations._v1_to_v2``."""

from __future__ import annotations

from alembic import op

from mlm_tui.core.local import migrations

revision = "r02"
down_revision = "r01"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.run_step(op.get_bind(), 1)
