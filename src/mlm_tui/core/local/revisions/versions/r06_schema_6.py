"""Schema 5 to 6: the hand-written step ``migrations._v5_to_v6``.

Both search indexes built anew from folded text (see ``SEARCH_INDEX_DDL``)."""

from __future__ import annotations

from alembic import op

from mlm_tui.core.local import migrations

revision = "r06"
down_revision = "r05"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.run_step(op.get_bind(), 5)
