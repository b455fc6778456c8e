"""Which backend the settings ask for: the team server they name, or the store here."""

from __future__ import annotations

from mlm_tui.core.backend import Backend
from mlm_tui.core.settings import Settings


def open_backend(settings: Settings) -> Backend:
    """A RemoteBackend on ``settings.server_url`` when one is set (``--server``,
    ``MLM_TUI_SERVER``, ``server`` in config.toml); else the LocalBackend on the store in
    the data dir."""
    if settings.server_url:
        from mlm_tui.core.remote import connect

        return connect(settings.server_url, insecure=settings.insecure,
                       ca_file=str(settings.server_ca) if settings.server_ca else None)
    from mlm_tui.core.local import LocalBackend

    return LocalBackend(settings)
