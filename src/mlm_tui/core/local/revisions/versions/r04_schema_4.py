"""Schema 3 to 4: the hand-written step ``migrations._v3_to_v4``."""

from __future__ import annotations

from alembic import op

from mlm_tui.core.local import migrations

revision = "r04"
down_revision = "r03"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.run_step(op.get_bind(), 3)
