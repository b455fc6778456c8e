"""The team server's application: ``create_app(settings)`` serves one store under
``/api/v1`` (see :mod:`mlm_tui.core.remote.routes` for what each endpoint is)."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from mlm_tui.core.dates import utc_now
from mlm_tui.core.remote.routes import API_PREFIX
from mlm_tui.core.settings import Settings
from mlm_tui.server import problems
from mlm_tui.server.context import AddressLimit, ContextOf, ServerContext
from mlm_tui.server.endpoints import Described, add_routes, describe_routes
from mlm_tui.server.service import add_service_routes

access_log = logging.getLogger("mlm_tui.server.access")
DEFAULT_ADDRESS_LIMIT = AddressLimit()


def create_app(settings: Settings, *, clock: Callable[[], datetime] | None = None,
               address_limit: AddressLimit | None = DEFAULT_ADDRESS_LIMIT) -> FastAPI:
    """The server over the store of ``settings``, opened now and closed at shutdown.
    ``address_limit``: the ceiling on sign-in, reset and registration requests per client
    address (None: none)."""
    context = ServerContext.open(settings, clock or utc_now, address_limit)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        context.close()

    app = build_app(lambda _request: context, lifespan=lifespan)
    app.state.context = context
    return app


def build_app(context_of: ContextOf, *, lifespan: Any = None) -> FastAPI:
    """The API over the store ``context_of`` gives for each request."""
    app = FastAPI(
        title="mlm-tui team server",
        version="1",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    problems.install(app, context_of)
    served = add_routes(app, context_of)
    add_service_routes(app, context_of)
    app.openapi = lambda: _openapi(app, served)  # type: ignore[method-assign]

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "alive"}

    @app.get("/readyz", include_in_schema=False)
    def readyz(request: Request) -> Response:
        try:
            context_of(request).store.check()
        except Exception:  # not ready, whatever the reason: the log has it
            access_log.exception("the store cannot be read")
            return JSONResponse({"status": "store unavailable"}, status_code=503)
        return JSONResponse({"status": "ready"})

    app.add_middleware(AccessLog)
    return app


def _openapi(app: FastAPI, served: list[Described]) -> dict[str, Any]:
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        # The member's API as documented, never served itself: its endpoints are served
        # by ``app``, which reads their parameters more cheaply than FastAPI's dependencies.
        described = FastAPI(title=app.title, version=app.version)
        describe_routes(described, served)
        document = get_openapi(title=app.title, version=app.version,
                               routes=described.routes + app.routes)
        _say_times_are_utc(document)
        app.openapi_schema = document
    return app.openapi_schema


def _say_times_are_utc(node: Any) -> None:
    """The store's times are UTC without an offset ("2026-11-20T12:00:00"): what RFC 3339's
    date-time would refuse. Said as what they are."""
    if isinstance(node, dict):
        if node.get("format") == "date-time":
            node["format"] = "utc-date-time"
            node["pattern"] = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$"
            node["description"] = "UTC, written without an offset"
        for value in node.values():
            _say_times_are_utc(value)
    elif isinstance(node, list):
        for value in node:
            _say_times_are_utc(value)


class AccessLog:
    """One line per request: method, path template, status, milliseconds, member id. The
    template, never the path: numbers, codes and tokens stay out of the log. (Plain ASGI:
    a middleware class of Starlette's costs more than the requests it logs.)"""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def noting_status(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_status)
        finally:
            route = scope.get("route")
            member = scope.get("state", {}).get("member_id")
            access_log.info("%s %s %d %.1fms member=%s", scope["method"],
                            getattr(route, "path", "-"), status,
                            (time.perf_counter() - started) * 1000, member or "-")
