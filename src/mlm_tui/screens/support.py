"""What several back-office screens need from the app, found in one place.

The app owns the backend; the files a screen writes (exports, invoice PDFs) and the mail
server it sends through come from the settings. The app exposes ``settings`` when it
has them; a local backend carries its own; otherwise they are read as the CLI reads them.
"""

from __future__ import annotations

from typing import Any

from mlm_tui.core.settings import Settings, load_settings


def app_settings(app: Any) -> Settings:
    """The settings in effect. Call it from a worker: it may read the config file."""
    settings = getattr(app, "settings", None)
    if isinstance(settings, Settings):
        return settings
    backend_settings = getattr(getattr(app, "_backend", None), "settings", None)
    if isinstance(backend_settings, Settings):
        return backend_settings
    return load_settings()
