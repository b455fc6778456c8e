"""``mlm-tui serve``: the team server on uvicorn.

The app is made by a factory in each worker process (uvicorn's ``--workers`` starts
several), from the settings the environment names: every worker opens the one store, and
SQLite's WAL, busy timeout and ``BEGIN IMMEDIATE`` writes keep them in step (on
PostgreSQL, ``--database``: one advisory lock, see :mod:`mlm_tui.core.local.postgres`). uvicorn ends
gracefully on SIGTERM: it stops taking connections and lets requests in flight finish.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from fastapi import FastAPI

from mlm_tui.core.settings import load_settings
from mlm_tui.server.app import create_app
from mlm_tui.server.context import AddressLimit

GRACE_SECONDS = 20  # how long in-flight requests may take to finish at shutdown


# How ``serve`` tells its worker processes the per-address ceiling.
_PER_ADDRESS = "MLM_TUI_SERVE_SIGN_INS_PER_MINUTE"


def app_from_environment() -> FastAPI:
    """The app over the store ``MLM_TUI_DATA_DIR`` (or ``MLM_TUI_DATABASE``) names (set
    by ``serve``)."""
    _log_requests()
    per_address = int(os.environ.get(_PER_ADDRESS, "30"))
    return create_app(load_settings(),
                      address_limit=AddressLimit(per_address) if per_address else None)


def serve(data_dir: Path | None, *, host: str, port: int, workers: int,
          per_address: int = 30, database: str | None = None) -> None:
    import uvicorn

    if data_dir is not None:
        os.environ["MLM_TUI_DATA_DIR"] = str(data_dir)
    if database is not None:
        os.environ["MLM_TUI_DATABASE"] = database  # the workers read it, as the settings do
    os.environ[_PER_ADDRESS] = str(per_address)
    app_from_environment().state.context.close()  # a store that cannot open fails here, once
    uvicorn.run("mlm_tui.server.serve:app_from_environment", factory=True, host=host,
                port=port, workers=workers, access_log=False, proxy_headers=False,
                timeout_graceful_shutdown=GRACE_SECONDS, log_level="info")


def _log_requests() -> None:
    # uvicorn's own access log prints whole paths and query strings (numbers, searches):
    # ours prints path templates only.
    log = logging.getLogger("mlm_tui.server")
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
