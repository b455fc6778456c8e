"""Schema 15 to 16: the hand-written step ``migrations._ids_from_sequences``.

PostgreSQL: the sequences of orders, payment requests and claims start after their
highest ids, which new rows now take from them; SQLite is left as it is."""

from __future__ import annotations

from alembic import op

from mlm_tui.core.local import migrations

revision = "r16"
down_revision = "r15"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.run_step(op.get_bind(), 15)
