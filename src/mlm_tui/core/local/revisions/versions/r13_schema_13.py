"""Schema 12 to 13: the hand-written step ``migrations._payments_and_service_accounts``.

Payment requests (nothing is credited until confirmed), the providers' events seen,
the service's own accounts and sessions, and the source beside each ledger credit."""

from __future__ import annotations

from alembic import op

from mlm_tui.core.local import migrations

revision = "r13"
down_revision = "r12"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.run_step(op.get_bind(), 12)
