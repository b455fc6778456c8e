"""``mlm-tui serve``: the team server on uvicorn.

The app is made by a factory in each worker process (uvicorn's ``--workers`` starts
several), from the settings the environment names: every worker opens the one store, and
SQLite's WAL, busy timeout and ``BEGIN IMMEDIATE`` writes keep them in step (on
PostgreSQL, ``--database``: one advisory lock, see :mod:`mlm_tui.core.local.postgres`). uvicorn ends
gracefully on SIGTERM: it stops taking connections and lets requests in flight finish.

On Linux each worker listens on a socket of its own (``SO_REUSEPORT``), and the kernel
spreads new connections over them evenly. With uvicorn's one shared socket, the worker that
woke first accepted every connection waiting: when a team's clients reconnected together,
one worker took nearly all of them for as long as they stayed open, and the other idled.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
from pathlib import Path
from typing import Any, TypeVar

from fastapi import FastAPI

from mlm_tui.core.settings import load_settings
from mlm_tui.server.app import create_app
from mlm_tui.server.context import AddressLimit

GRACE_SECONDS = 20  # how long in-flight requests may take to finish at shutdown


_Socket = TypeVar("_Socket", bound=socket.socket)

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
    options: dict[str, Any] = dict(
        factory=True, host=host, port=port, workers=workers, access_log=False,
        proxy_headers=False, timeout_graceful_shutdown=GRACE_SECONDS, log_level="info")
    if workers == 1 or not sys.platform.startswith("linux"):
        uvicorn.run("mlm_tui.server.serve:app_from_environment", **options)
        return
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config("mlm_tui.server.serve:app_from_environment", **options)
    try:
        listening = _WorkersPort.bound(host, port)
    except OSError as error:  # the port is taken: said as uvicorn says it
        logging.getLogger("uvicorn.error").error(
            "error while attempting to bind on address %s: %s", (host, port),
            (error.strerror or str(error)).lower())
        raise SystemExit(3) from None  # uvicorn's exit status for a server that cannot start
    logging.getLogger("uvicorn.error").info(
        "Listening on http://%s:%d with %d workers", f"[{host}]" if ":" in host else host,
        listening.getsockname()[1], workers)
    Multiprocess(config, sockets=[listening]).run()


class _WorkersPort(socket.socket):
    """The server's address, held by the parent (bound, never listening, so the kernel
    hands it no connection). A worker process is given it pickled, and unpickling binds a
    new socket of the worker's own to the same address, so each worker listens on its own."""

    @classmethod
    def bound(cls, host: str, port: int) -> _WorkersPort:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        # Sockets that share a port let any other process of the same user share it too: a
        # second server started on the port by mistake would take half the connections.
        # A plain bind first fails, as it should, if anything holds the port already.
        with socket.socket(family, socket.SOCK_STREAM) as alone:
            alone.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            alone.bind((host, port))
            port = alone.getsockname()[1]  # the port given, if asked for any (0)
        return _bind_shared(cls(family, socket.SOCK_STREAM), host, port)

    def __reduce__(self) -> tuple[object, tuple[int, str, int]]:
        host, port = self.getsockname()[:2]
        return _own_socket, (int(self.family), host, port)


def _own_socket(family: int, host: str, port: int) -> socket.socket:
    """A worker's own socket on the server's address (see :class:`_WorkersPort`)."""
    return _bind_shared(socket.socket(family, socket.SOCK_STREAM), host, port)


def _bind_shared(sock: _Socket, host: str, port: int) -> _Socket:
    """``sock`` bound to the address, sharing the port with the others bound so."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _log_requests() -> None:
    # uvicorn's own access log prints whole paths and query strings (numbers, searches):
    # ours prints path templates only.
    log = logging.getLogger("mlm_tui.server")
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
