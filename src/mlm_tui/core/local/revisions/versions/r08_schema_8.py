"""Schema 7 to 8: the hand-written step ``migrations._v7_to_v8``.

The substring index, filled from the products (see ``PRODUCTS_SUBSTRINGS_DDL``)."""

from __future__ import annotations

from alembic import op

from mlm_tui.core.local import migrations

revision = "r08"
down_revision = "r07"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.run_step(op.get_bind(), 7)
