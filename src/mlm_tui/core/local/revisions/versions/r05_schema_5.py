"""Schema 4 to 5: the hand-written step ``migrations._v4_to_v5``.

An index that covers a member's volume; the product index gets longer prefixes
and an update trigger that ignores stock, and is built anew from the products."""

from __future__ import annotations

from alembic import op

from mlm_tui.core.local import migrations

revision = "r05"
down_revision = "r04"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.run_step(op.get_bind(), 4)
