"""The store's schema revisions (Alembic), one file each in ``versions/``; run by
:func:`mlm_tui.core.local.migrations.upgrade_to_current`, no alembic.ini needed."""
