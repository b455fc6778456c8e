"""Schema 2 to 3: the hand-written step ``migrations._v2_to_v3``."""

from __future__ import annotations

from alembic import op

from mlm_tui.core.local import migrations

revision = "r03"
down_revision = "r02"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.run_step(op.get_bind(), 2)
