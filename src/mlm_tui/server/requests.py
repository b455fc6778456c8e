"""Reading one request of the API: its path and query parameters, bearer token,
Idempotency-Key and JSON body, checked against the types the OpenAPI document gives them.

The checks are FastAPI's, made once per route instead of per parameter per request: one
pydantic model for the path and query parameters, the body model the document describes,
and the same errors (``RequestValidationError``, each error located at ``("query",
name)``, ``("body", field)``...) in the same order: path and query, header, then body.
Reading a request this way costs a fraction of FastAPI's dependency solving, which was
most of what the server spent on a request besides the store itself.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from functools import cache
from typing import Annotated, Any

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field, StringConstraints, TypeAdapter, create_model
from pydantic import ValidationError as PydanticError

from mlm_tui.core.remote import routes as r

IDEMPOTENCY_KEY = "Idempotency-Key"
KeyText = Annotated[str, StringConstraints(min_length=1, max_length=255)]
_key_text: TypeAdapter[str] = TypeAdapter(KeyText)


@dataclasses.dataclass(frozen=True, slots=True)
class _Parameter:
    name: str
    where: str  # "path" or "query"
    field: str  # its name in the route's parameter model


@cache
def _parameters(route: r.Route) -> tuple[type[BaseModel] | None, tuple[_Parameter, ...]]:
    """The model of the route's path and query parameters (a dataclass argument spread
    over the query string) and where each comes from; path parameters first, as FastAPI
    reports them."""
    found: list[tuple[str, str, Any, Any]] = []
    for param in route.params():
        if param.where == "path":
            found.append(("path", param.name, param.annotation, ...))
        elif param.where == "query":
            default = ... if param.required else param.default
            if default is ... and type(None) in typing.get_args(param.annotation):
                default = None  # the client leaves out what is None
            found.append(("query", param.name, param.annotation, default))
        elif param.where == "query-fields":
            hints = typing.get_type_hints(param.annotation)
            for field in dataclasses.fields(param.annotation):
                found.append(("query", field.name, hints[field.name], field.default))
    found.sort(key=lambda each: each[0] != "path")
    if not found:
        return None, ()
    # Fields under names of their own, read by the parameter's name: a parameter may be
    # called what a model's attribute is.
    fields = {f"p{n}": (annotation, Field(default, alias=name))
              for n, (_where, name, annotation, default) in enumerate(found)}
    model = create_model(f"{route.method}_parameters", **fields)  # type: ignore[call-overload]
    return model, tuple(_Parameter(name, where, f"p{n}")
                        for n, (where, name, _annotation, _default) in enumerate(found))


async def read_request(route: r.Route, body_model: type[BaseModel] | None,
                       request: Request) -> dict[str, Any]:
    """The request's values by name, as the route's endpoint takes them: ``request``,
    ``credentials``, each parameter, ``body`` and ``idempotency_key``."""
    values: dict[str, Any] = {"request": request, "credentials": bearer(request)}
    errors: list[Any] = []
    model, parameters = _parameters(route)
    if model is not None:
        given = {p.name: value for p in parameters
                 if (value := (request.path_params if p.where == "path"
                               else request.query_params).get(p.name)) is not None}
        where = {p.name: p.where for p in parameters}
        try:
            read = model.model_validate(given)
        except PydanticError as invalid:
            errors += [_located((where.get(str(err["loc"][0]), "query"), *err["loc"]), err)
                       for err in invalid.errors(include_url=False)]
        else:
            values.update((p.name, getattr(read, p.field)) for p in parameters)
    if route.creates:
        key = request.headers.get(IDEMPOTENCY_KEY)
        if key is None:
            errors.append(_missing(("header", IDEMPOTENCY_KEY)))
        else:
            try:
                values["idempotency_key"] = _key_text.validate_python(key)
            except PydanticError as invalid:
                errors += [_located(("header", IDEMPOTENCY_KEY, *err["loc"]), err)
                           for err in invalid.errors(include_url=False)]
    if body_model is not None:
        body = await _json_body(request)
        if body is None:
            errors.append(_missing(("body",)))
        else:
            try:
                values["body"] = body_model.model_validate(body, from_attributes=True)
            except PydanticError as invalid:
                errors += [_located(("body", *err["loc"]), err)
                           for err in invalid.errors(include_url=False)]
    if errors:
        raise RequestValidationError(errors)
    return values


def bearer(request: Request) -> HTTPAuthorizationCredentials | None:
    """The bearer token of the Authorization header, as FastAPI's HTTPBearer reads it."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if not (scheme and credentials) or scheme.lower() != "bearer":
        return None
    return HTTPAuthorizationCredentials(scheme=scheme, credentials=credentials)


async def _json_body(request: Request) -> Any:
    """The body as JSON (as FastAPI reads it: JSON unless another type is declared), its
    bytes, or None when there is none."""
    data = await request.body()
    if not data:
        return None
    declared = request.headers.get("content-type")
    if declared:
        kind = declared.split(";", 1)[0].strip().lower()
        maintype, _, subtype = kind.partition("/")
        if maintype != "application" or not (subtype == "json" or subtype.endswith("+json")):
            return data
    try:
        return json.loads(data)
    except json.JSONDecodeError as bad:
        raise RequestValidationError([{
            "type": "json_invalid", "loc": ("body", bad.pos), "msg": "JSON decode error",
            "input": {}, "ctx": {"error": bad.msg}}]) from None
    except ValueError:  # not even text
        raise HTTPException(400, "There was an error parsing the body") from None


def _located(loc: tuple[Any, ...], error: Any) -> dict[str, Any]:
    return {**error, "loc": loc}


def _missing(loc: tuple[Any, ...]) -> dict[str, Any]:
    return {"type": "missing", "loc": loc, "msg": "Field required", "input": None}
