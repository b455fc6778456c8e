"""Domain errors as RFC 9457 problem details, and the HTTP status of each.

The body carries the error's wire form (``errors.to_dict``: code, message, field and its
parameters) beside the RFC's ``type``, ``title`` and ``status``; the client reads it back
with ``errors.from_dict``. Nothing else ever reaches a client: an unexpected failure is
logged here and answered with a bare 500 problem, never a stack trace.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from math import ceil
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from mlm_tui.core import errors as e
from mlm_tui.core.local.store import StoreError
from mlm_tui.server.context import ContextOf

PROBLEM_JSON = "application/problem+json"
_log = logging.getLogger("mlm_tui.server")

# The first class in an error's MRO found here gives its status.
STATUS: dict[type[e.DomainError], int] = {
    e.NotAuthenticated: 401,
    e.Throttled: 429,
    e.NotFound: 404,
    e.Forbidden: 403,
    e.ValidationError: 422,
    e.Conflict: 409,
    e.DeliveryFailed: 502,
    e.Offline: 503,
    StoreError: 503,
}


def status_of(error: e.DomainError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 400


def problem(error: e.DomainError, now: datetime) -> JSONResponse:
    status = status_of(error)
    body: dict[str, Any] = {
        "type": f"urn:mlm-tui:problem:{error.code}",
        "title": error.code.replace("_", " ").capitalize(),
        "status": status,
        "detail": error.message,
        **e.to_dict(error),
    }
    headers = {}
    if isinstance(error, e.Throttled):
        wait = (error.retry_at - now).total_seconds()
        headers["Retry-After"] = str(max(1, ceil(wait)))
    if isinstance(error, e.NotAuthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    return ProblemResponse(body, status_code=status, headers=headers)


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_JSON

    def render(self, content: Any) -> bytes:
        # ASCII with escapes: a message quoting what was typed may hold a lone surrogate.
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode()


def install(app: Any, context_of: ContextOf) -> None:
    """Answer every failure of ``app`` as a problem."""

    async def http_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        code = {404: e.NotFound.code, 401: e.NotAuthenticated.code}.get(error.status_code,
                                                                           "http_error")
        body = {"type": "about:blank", "title": str(error.detail), "status": error.status_code,
                "code": code, "message": str(error.detail), "field": None}
        return ProblemResponse(body, status_code=error.status_code,
                               headers=getattr(error, "headers", None))

    async def domain(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, e.DomainError)
        return problem(error, context_of(request).clock())

    async def invalid(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        found = [e.ValidationError(str(each.get("msg", "invalid")), field=_field(each))
                 for each in error.errors()]
        if not found:
            found = [e.ValidationError("invalid request")]
        return problem(found[0] if len(found) == 1 else e.ValidationErrors(found),
                       context_of(request).clock())

    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        _log.error("failed: %s %s: %s", request.method, _template(request),
                   type(error).__name__, exc_info=error)
        body = {"type": "about:blank", "title": "Internal Server Error", "status": 500,
                "code": "error", "message": "the server failed; it has been logged",
                "field": None}
        return ProblemResponse(body, status_code=500)

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(e.DomainError, domain)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(Exception, unexpected)


def _field(detail: Any) -> str | None:
    names = [str(part) for part in detail.get("loc", ()) if part not in ("body", "query",
                                                                          "path", "header")]
    return names[-1] if names else None


def _template(request: Request) -> str:
    route = request.scope.get("route")
    return str(getattr(route, "path", "?"))
