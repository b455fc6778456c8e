"""The API's endpoints, made from the route table (:mod:`mlm_tui.core.remote.routes`).

Each endpoint gets a real signature (typed path, query and header parameters, and one
JSON body model made from the method's parameters), from which FastAPI writes the OpenAPI
document's description of every parameter and answer; requests are read and checked
against the same types by :mod:`mlm_tui.server.requests`. The endpoint runs the
Backend method on a backend bound to the request's bearer token and answers with the
wire codec; a request that creates something goes through its Idempotency-Key.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import json
import typing
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any

from fastapi import Body, FastAPI, Header, Path, Query, Request, Response, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, StrictBool, StrictInt, StrictStr, create_model
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from mlm_tui.core import errors as e
from mlm_tui.core.backend import Backend
from mlm_tui.core.local import idempotency
from mlm_tui.core.remote import routes as r
from mlm_tui.core.remote import wire
from mlm_tui.server.context import ContextOf
from mlm_tui.server.requests import read_request

# The requests a client address may make only so many of, by the kind counted.
_LIMITED = {"login": "sign_in", "activate_member": "sign_in",
            "request_password_reset": "reset", "confirm_password_reset": "reset",
            "register_member": "registration"}
_bearer = HTTPBearer(auto_error=False, description="the token of POST /api/v1/sessions")
_P = inspect.Parameter


def add_routes(app: FastAPI, context_of: ContextOf) -> list[Described]:
    """Serve every route of the table on ``app``; what is served, to be described when the
    OpenAPI document is first asked for (:func:`describe_routes`)."""
    served = []
    for route in r.ROUTES:
        endpoint = _endpoint(route, context_of)
        app.router.routes.append(_Served(route, endpoint).route)
        served.append(Described(route, endpoint))
    return served


class Described(typing.NamedTuple):
    """A route of the table as served: what its description is made from."""

    route: r.Route
    endpoint: Callable[..., Response]


def describe_routes(described: FastAPI, served: list[Described]) -> None:
    """Describe what :func:`add_routes` served on ``described``, whose OpenAPI document is
    the API's: the same endpoint with its parameters as FastAPI parameters there, read by
    :mod:`mlm_tui.server.requests` where it is served. This is most of the work of making
    the server (FastAPI builds a model of every parameter and answer), so a server does it
    only when its document is asked for, not at each start."""
    for route, endpoint in served:
        returns = route.returns()
        answers_nothing = returns is type(None)
        # A document (a PDF) is described as what it is, not as a JSON string.
        document: dict[str, Any] = {} if route.media_type == r.JSON else {
            "response_class": Response,
            "responses": {route.status: {"content": {route.media_type: {
                "schema": {"type": "string", "format": "binary"}}}}}}
        described.add_api_route(
            r.API_PREFIX + route.path,
            endpoint,
            methods=[route.verb],
            name=route.method,
            summary=_summary(route.method),
            response_model=None if answers_nothing or document else returns,
            status_code=204 if answers_nothing else route.status,
            tags=[route.path.strip("/").split("/")[0]],
            **document,
        )


class _Served:
    """A route of the table served: its request read, then its endpoint run in a thread."""

    def __init__(self, route: r.Route, endpoint: Callable[..., Response]) -> None:
        self.table_route = route
        self.endpoint = endpoint
        self.body_model = _body_model(route)
        self.route = Route(r.API_PREFIX + route.path, self.serve, methods=[route.verb],
                           name=route.method, include_in_schema=False)

    async def serve(self, request: Request) -> Response:
        # FastAPI's router names only its own routes to the request: the log wants this one.
        request.scope["route"] = self.route
        values = await read_request(self.table_route, self.body_model, request)
        return await run_in_threadpool(self.endpoint, **values)


def _summary(method: str) -> str:
    doc = inspect.getdoc(getattr(Backend, method)) or ""
    first = doc.split("\n\n")[0].replace("\n", " ")
    return first or method.replace("_", " ").capitalize()


# A JSON body says what it means: "2" is no quantity and true is no number, as the
# Backend's own checks have it.
_STRICT: dict[Any, Any] = {int: StrictInt, bool: StrictBool, str: StrictStr}


@cache
def _body_model(route: r.Route) -> type[BaseModel] | None:
    fields: dict[str, Any] = {}
    for param in route.params():
        if param.where == "body":
            fields[param.name] = (_STRICT.get(param.annotation, param.annotation),
                                  ... if param.required else param.default)
    if not fields:
        return None
    name = "".join(part.capitalize() for part in route.method.split("_")) + "Request"
    return create_model(name, **fields)


def _signature(route: r.Route, body: type[BaseModel] | None) -> inspect.Signature:
    params = [_P("request", _P.KEYWORD_ONLY, annotation=Request),
              _P("credentials", _P.KEYWORD_ONLY,
                 annotation=Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
                 default=None)]
    for param in route.params():
        default = _P.empty if param.required else param.default
        if param.where == "path":
            params.append(_P(param.name, _P.KEYWORD_ONLY,
                             annotation=Annotated[param.annotation, Path()]))
        elif param.where == "query":
            if default is _P.empty and _allows_none(param.annotation):
                default = None  # the client leaves out what is None
            params.append(_P(param.name, _P.KEYWORD_ONLY,
                             annotation=Annotated[param.annotation, Query()], default=default))
        elif param.where == "query-fields":
            hints = typing.get_type_hints(param.annotation)
            for field in dataclasses.fields(param.annotation):
                params.append(_P(field.name, _P.KEYWORD_ONLY,
                                 annotation=Annotated[hints[field.name], Query()],
                                 default=field.default))
    if body is not None:
        params.append(_P("body", _P.KEYWORD_ONLY, annotation=Annotated[body, Body()]))
    if route.creates:
        params.append(_P("idempotency_key", _P.KEYWORD_ONLY, annotation=Annotated[
            str, Header(alias="Idempotency-Key", min_length=1, max_length=255,
                        description="one key per request that creates something")]))
    return inspect.Signature(params)


def _allows_none(annotation: Any) -> bool:
    return type(None) in typing.get_args(annotation)


def _arguments(route: r.Route, values: dict[str, Any]) -> dict[str, Any]:
    """The Backend method's arguments from the request's parts."""
    body = values.get("body")
    found: dict[str, Any] = {}
    for param in route.params():
        if param.where in ("path", "query"):
            found[param.name] = values[param.name]
        elif param.where == "bearer":
            continue
        elif param.where == "query-fields":
            found[param.name] = param.annotation(**{
                field.name: values[field.name]
                for field in dataclasses.fields(param.annotation)})
        else:
            found[param.name] = getattr(body, param.name)
    return found


def _endpoint(route: r.Route, context_of: ContextOf) -> Callable[..., Response]:
    body_model = _body_model(route)
    returns = route.returns()
    answers_nothing = returns is type(None)

    def answer(result: Any) -> Response:
        if answers_nothing:
            return Response(status_code=204)
        if route.media_type != r.JSON:
            return Response(result, status_code=route.status, media_type=route.media_type)
        return Response(wire.dump(returns, result), status_code=route.status,
                        media_type=r.JSON)

    def endpoint(**values: Any) -> Response:
        request: Request = values["request"]
        context = context_of(request)
        if route.method in _LIMITED:
            address = request.client.host if request.client else "unknown"
            context.count_request(_LIMITED[route.method], address)
        credentials: HTTPAuthorizationCredentials | None = values["credentials"]
        token = credentials.credentials if credentials else None
        arguments = _arguments(route, values)
        if route.method == "resume":
            if not token:
                raise e.NotAuthenticated("send the session token as a bearer token")
            session = context.backend().resume(token)
            request.state.member_id = session.member_id
            return answer(session)
        if route.method == "logout":
            try:
                backend = context.backend(token)
            except e.NotAuthenticated:
                return answer(None)  # ended already: logging out again is no error
            backend.logout()
            if token:
                context.sessions.forget(token)  # not used again here, even for a moment
            return answer(None)
        # What needs no session is answered alike whoever asks (a session that has just
        # ended does not stop a poll or a new login).
        backend = context.backend(None if route.public else token)
        held = backend.session()
        request.state.member_id = held.member_id if held else None
        call = getattr(backend, route.method)
        if not route.creates or held is None:
            return answer(call(**arguments))
        key = values["idempotency_key"]
        fingerprint = _fingerprint(route, arguments, body_model, values.get("body"))
        now = context.clock()
        # The key's lookup, the operation and its kept answer commit together: a failure
        # anywhere leaves neither the order (say) nor the key, and a copy of this request
        # waits for the write lock and then finds the answer.
        with context.store.one_transaction() as conn:
            kept = idempotency.kept_answer(conn, held.member_id, key, fingerprint, now)
            if kept is not None:
                return Response(kept.body or None, status_code=kept.status,
                                media_type="application/json" if kept.body else None,
                                headers={"Idempotent-Replayed": "true"})
            response = answer(call(**arguments))
            idempotency.keep(conn, held.member_id, key, fingerprint, now,
                             response.status_code, bytes(response.body).decode())
            # Mail goes after the commit; should it fail, what it was for is taken back,
            # and so is this answer: a retry runs the request again.
            member_id = held.member_id
            context.store.after_commit(
                None, undo=lambda conn: idempotency.forget(conn, member_id, key))
        return response

    endpoint.__signature__ = _signature(route, body_model)  # type: ignore[attr-defined]
    endpoint.__name__ = route.method
    return endpoint


def _fingerprint(route: r.Route, arguments: dict[str, Any], body_model: type[BaseModel] | None,
                 body: Any) -> str:
    """What makes two requests the same request: the method and its arguments."""
    parts: dict[str, Any] = {"method": route.method}
    for param in route.params():
        if param.where != "body":
            parts[param.name] = wire.to_plain(param.annotation, arguments[param.name])
    if body_model is not None and body is not None:
        parts["body"] = body.model_dump(mode="json")
    text = json.dumps(parts, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()
