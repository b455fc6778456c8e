"""Schema 10 to 11: the hand-written step ``migrations._v10_to_v11``.

A member's own language; notices kept as a code with parameters, and a claim's
decision as the service's own words. Nothing is filled in: a member without a language
is written to in the company's, a notice without a code and a decision without its
note show the text they were stored with."""

from __future__ import annotations

from alembic import op

from mlm_tui.core.local import migrations

revision = "r11"
down_revision = "r10"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrations.run_step(op.get_bind(), 10)
