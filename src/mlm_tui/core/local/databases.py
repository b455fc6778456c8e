"""Which store the settings name: the SQLite file in the data folder, or the PostgreSQL
database of ``database`` (``--database``, ``MLM_TUI_DATABASE``)."""

from __future__ import annotations

from mlm_tui.core.local.store import Store, StoreError
from mlm_tui.core.settings import Settings


def open_store(settings: Settings) -> Store:
    if settings.database is None:
        return Store(settings.store_path, settings.file_modes)
    from mlm_tui.core.local.postgres import PostgresStore, is_database_url, redacted

    if not is_database_url(settings.database):
        raise StoreError(f"{redacted(settings.database)} is not a database this mlm-tui "
                         "can use: give a postgresql://… URL", field="database")
    return PostgresStore(settings.database)
