"""Schema 1: the store as mlm-tui first shipped it (made whole by
``migrations.create_version_1``; a store of today is made whole by ``create_fresh``)."""

from __future__ import annotations

revision = "r01"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # the first schema: nothing comes before it
