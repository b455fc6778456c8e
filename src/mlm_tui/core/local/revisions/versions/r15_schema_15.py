"""Schema 14 to 15: the hand-written step ``migrations._word_index``.

PostgreSQL: each product's words in a B-tree (``product_word``), filled from the
products; SQLite is left as it is."""

from __future__ import annotations

from alembic import op

from mlm_tui.core.local import migrations

revision = "r15"
down_revision = "r14"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.run_step(op.get_bind(), 14)
