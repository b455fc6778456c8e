"""One real team server for a whole test worker, serving many stores at once.

Started once per pytest worker (``python -m tests.remote_server``): uvicorn on a free port
of 127.0.0.1, printed on the first line of its output. A request for
``/{store}/api/v1/...`` goes to ``create_app`` over the store named by ``{store}`` (its
data folder, base64url), made on first use; ``DELETE /_stores/{store}`` closes it again.
Each store's clock reads the file ``clock`` beside the store, which the test's clock
writes, so moving the test's clock moves the server's.

A test may change a few of the backend's tuning constants to take another path through
the code (``KNOBS``): the client sends their values with each request (``X-Test-Knobs``)
and they are set here before the request runs. Only this test server reads that header.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import socket
import sys
from datetime import datetime
from importlib import import_module
from pathlib import Path
from typing import Any

import uvicorn

from tests.cheap_hashing import use_cheap_password_hashing
from tests.shared_sql_cache import share_compiled_sql

# module, name: constants the contract tests set to walk both ways through a query.
KNOBS = (
    ("mlm_tui.core.local.catalog", "RANK_AT_MOST"),
    ("mlm_tui.core.local.history", "FEW_BUYERS"),
    ("mlm_tui.core.local.history", "MANY_BUYERS"),
    ("mlm_tui.core.local.team", "SMALL_TEAM"),
)
CLOCK_FILE = "clock"
# A file beside the store naming the PostgreSQL database to serve instead of the store file
# (``tests.postgres``): written by the test before its first request.
DATABASE_FILE = "database"
# What the test server's payment provider signs its notifications with.
PROVIDER_SECRET = "test-provider-secret-of-the-test-server"


def store_id(data_dir: Path) -> str:
    return base64.urlsafe_b64encode(str(data_dir).encode()).decode().rstrip("=")


def _data_dir(store: str) -> Path:
    return Path(base64.urlsafe_b64decode(store + "=" * (-len(store) % 4)).decode())


def knob_values() -> dict[str, Any]:
    return {f"{module}:{name}": getattr(import_module(module), name) for module, name in KNOBS}


def _set_knobs(header: bytes) -> None:
    for key, value in json.loads(header).items():
        module, name = key.split(":")
        setattr(import_module(module), name, value)


class FileClock:
    """The time written in a file (by the test's clock), read at every call."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self) -> datetime:
        return datetime.fromisoformat(self.path.read_text())


class Stores:
    """The ASGI app: one server app whose store is named by the first part of the path."""

    def __init__(self) -> None:
        from mlm_tui.server.app import build_app

        self.contexts: dict[str, Any] = {}
        self.databases: dict[str, Any] = {}  # one store (and pool) per database, kept
        self.app = build_app(self._context)

    def _on_database(self, data_dir: Path, url: str) -> Any:
        """A context over the database ``url``, whose store outlives the test: each test
        loads the database anew (``tests.postgres``), and a pool of connections costs
        more to open than the test takes."""
        from mlm_tui.core.local.databases import open_store
        from mlm_tui.core.notifier import Notifier
        from mlm_tui.core.settings import load_settings
        from mlm_tui.server.context import ServerContext

        settings = load_settings(data_dir=data_dir, database=url)
        if url not in self.databases:
            self.databases[url] = open_store(settings)
        return ServerContext(settings, self.databases[url], FileClock(data_dir / CLOCK_FILE),
                             Notifier.from_settings(settings))

    def _context(self, request: Any) -> Any:
        from mlm_tui.core.settings import load_settings
        from mlm_tui.server.context import ServerContext

        store = request.scope["root_path"].rsplit("/", 1)[-1]
        if store not in self.contexts:
            data_dir = _data_dir(store)
            database = data_dir / DATABASE_FILE
            if database.exists():
                self.contexts[store] = self._on_database(data_dir, database.read_text().strip())
            else:
                self.contexts[store] = ServerContext.open(load_settings(data_dir=data_dir),
                                                          FileClock(data_dir / CLOCK_FILE))
        return self.contexts[store]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            for context in self.contexts.values():
                context.close()
            for database in self.databases.values():
                database.close()
            await send({"type": "lifespan.shutdown.complete"})
            return
        _, store, *_rest = scope["path"].split("/", 2)
        if store == "_stores":
            await self._forget(scope, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"x-test-knobs":
                _set_knobs(value)
        await self.app(dict(scope, root_path=scope.get("root_path", "") + "/" + store),
                       receive, send)

    async def _forget(self, scope: dict[str, Any], send: Any) -> None:
        context = self.contexts.pop(scope["path"].split("/")[2], None)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        if context is not None and context.store in self.databases.values():
            return  # the database's store is kept for the next test
        if context is not None:
            # Closing checkpoints the store's log (some ms): the test goes on meanwhile.
            await asyncio.get_running_loop().run_in_executor(None, context.close)


def main() -> None:
    import os

    os.environ["MLM_TUI_PAYMENT_PROVIDER_SECRET"] = PROVIDER_SECRET
    use_cheap_password_hashing()
    share_compiled_sql()
    app = Stores()
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # A port given: the same server started again where its clients left it.
    sock.bind(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0))
    sock.listen(128)  # connections wait in the queue until the server is up
    print(sock.getsockname()[1], flush=True)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    config = uvicorn.Config(app, log_level="warning", access_log=False,
                            timeout_graceful_shutdown=2)
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
