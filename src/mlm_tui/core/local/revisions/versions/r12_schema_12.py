"""Schema 11 to 12: the hand-written step ``migrations._v11_to_v12``.

Members' SSH public keys, and the key a session was opened with."""

from __future__ import annotations

from alembic import op

from mlm_tui.core.local import migrations

revision = "r12"
down_revision = "r11"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.run_step(op.get_bind(), 11)
