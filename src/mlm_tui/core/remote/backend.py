"""RemoteBackend: the Backend over HTTP, talking to ``mlm-tui serve``.

Every method is made from the route table (:mod:`mlm_tui.core.remote.routes`), the same
table the server's endpoints are made from. One httpx client per backend keeps its
connections alive; every call has a timeout. A call that failed on the way is sent again
only when that is safe: reads, idempotent writes, and requests that create something,
which carry one Idempotency-Key for all their tries so the server creates once. A server
that cannot be reached is the domain ``Offline`` error; problem details come back as the
domain errors the server raised (``errors.from_dict``).
"""

from __future__ import annotations

import hashlib
import inspect
import ipaddress
import json
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import fields
from typing import Any, cast
from urllib.parse import urlencode, urlsplit

import httpx

from mlm_tui.core import errors as e
from mlm_tui.core.backend import Backend
from mlm_tui.core.errors import N_
from mlm_tui.core.models import Session
from mlm_tui.core.remote import routes as r
from mlm_tui.core.remote import wire

TIMEOUT = httpx.Timeout(15.0, connect=5.0)
RETRIES = 2
_BACKOFF = (0.1, 0.4)
# After the server could not be connected to, calls fail at once for this long, except
# the probes (the change poll), which find it back.
UNREACHABLE_SECONDS = 10.0
_PROBES = frozenset({"changes_since"})
# Statuses a proxy or a restarting server answers with before the request was handled.
_NOT_REACHED = frozenset({502, 503, 504})


def check_server_url(url: str, *, insecure: bool = False) -> str:
    """The URL without a trailing slash; ``ValidationError`` (field ``server``) for one
    that is not http(s), or plain http to anything but this machine without ``insecure``
    (a token sent in clear over a network can be read by anyone on it)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise e.ValidationError(N_("A server address starts with https:// and names a host."),
                                field="server")
    if parts.scheme == "http" and not insecure and not is_loopback(parts.hostname):
        raise e.ValidationError(
            N_("Plain http:// is refused for {host}: use https://, or --insecure on a network "
               "you trust."), field="server", params={"host": parts.hostname})
    return url.strip().rstrip("/")


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class RemoteBackend:
    """Implements :class:`mlm_tui.core.backend.Backend` over HTTP (its methods are made
    from the route table below the class)."""

    def __init__(self, url: str, *, insecure: bool = False, ca_file: str | None = None,
                 timeout: httpx.Timeout = TIMEOUT, retries: int = RETRIES,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.url = check_server_url(url, insecure=insecure)
        self.retries = retries
        self._session: Session | None = None
        self._unreachable_until = 0.0
        self._client = httpx.Client(
            base_url=self.url + r.API_PREFIX, timeout=timeout,
            headers={"Accept": "application/json"},
            transport=transport or httpx.HTTPTransport(
                # No certificates to load for plain http (loopback, or asked for).
                verify=(ca_file or True) if self.url.startswith("https:") else False,
                limits=httpx.Limits(max_keepalive_connections=4, keepalive_expiry=30),
                # A request's headers and body go out at once, not 40 ms apart (Nagle).
                socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]))

    # --- answered here ---------------------------------------------------------------------
    def describe(self) -> str:
        return self.url

    def close(self) -> None:
        self._client.close()

    def session(self) -> Session | None:
        # The server's clock decides when a session ends: the next call says so.
        return self._session

    # --- one call --------------------------------------------------------------------------
    def _call(self, route: r.Route, values: dict[str, Any]) -> Any:
        query: dict[str, str] = {}
        body: dict[str, Any] = {}
        for param in route.params():
            value = values[param.name]
            if param.where == "path" and str(value) == "":
                # No URL names it, and no store holds a thing without a name.
                raise e.NotFound(N_("Nothing has an empty {name}."), field=param.name,
                                 params={"name": param.name})
            if param.where == "query":
                _put_query(query, param.name, wire.to_plain(param.annotation, value))
            elif param.where == "query-fields":
                plain = wire.to_plain(param.annotation, value)
                for field in fields(param.annotation):
                    _put_query(query, field.name, plain[field.name])
            elif param.where == "body":
                body[param.name] = wire.to_plain(param.annotation, value)
        headers = {"Content-Type": "application/json"} if route.verb in ("POST", "PUT") else {}
        if route.method == "resume":
            token: str | None = values["token"]
        elif route.public and route.method != "logout":
            token = None  # the session is nobody's business here
        else:
            token = self._session.token if self._session else None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if route.creates:
            headers["Idempotency-Key"] = _request_key(route, body)  # one key for every try
        if route.media_type != r.JSON:
            headers["Accept"] = f"{route.media_type}, {r.JSON}"  # JSON: a problem
        response = self._send(route, r.expand_path(route, values), query,
                              body if route.verb in ("POST", "PUT") else None, headers)
        if response.status_code >= 400:
            raise self._error(response)
        if response.status_code == 204:
            return None
        if route.media_type != r.JSON:
            return response.content
        return wire.load(route.returns(), response.content)

    def _send(self, route: r.Route, path: str, query: dict[str, str],
              body: dict[str, Any] | None, headers: dict[str, str]) -> httpx.Response:
        if route.method not in _PROBES and time.monotonic() < self._unreachable_until:
            # Found unreachable a moment ago: say so at once rather than wait for another
            # timeout; the change poll (a probe) finds the server back.
            raise e.Offline(N_("The server {url} cannot be reached."), field="server",
                            params={"url": self.url})
        attempt = 0
        while True:
            try:
                response = self._client.request(
                    route.verb, _with_query(path, query), headers=headers,
                    content=None if body is None else _json(body))
                self._unreachable_until = 0.0
            except httpx.TransportError as failure:
                if isinstance(failure, (httpx.ConnectError, httpx.ConnectTimeout)):
                    self._unreachable_until = time.monotonic() + UNREACHABLE_SECONDS
                # Nothing reached the server when it could not be connected to: always safe.
                if attempt < self.retries and (route.retryable
                                               or isinstance(failure, httpx.ConnectError)):
                    time.sleep(_BACKOFF[min(attempt, len(_BACKOFF) - 1)])
                    attempt += 1
                    continue
                raise e.Offline(N_("The server {url} cannot be reached."), field="server",
                                params={"url": self.url}) from failure
            if (response.status_code in _NOT_REACHED and route.retryable
                    and attempt < self.retries):
                time.sleep(_BACKOFF[min(attempt, len(_BACKOFF) - 1)])
                attempt += 1
                continue
            return response

    def _error(self, response: httpx.Response) -> e.DomainError:
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict) or "code" not in data:
            if response.status_code in _NOT_REACHED:
                return e.Offline(N_("The server {url} cannot be reached."), field="server",
                                 params={"url": self.url})
            return e.DomainError(N_("The server answered {status}."),
                                 params={"status": response.status_code})
        error = e.from_dict(data)
        if type(error) in (e.NotAuthenticated, e.SessionEnded):
            self._session = None  # ended on the server: this client is signed out too
        return error


def _request_key(route: r.Route, body: dict[str, Any]) -> str:
    """A new key for each request, except a prepared order's: its key is the order's own
    and its content's, so the same request sent again from another process (the outbox
    after a crash) is answered once, and the order changed after a decision is a new
    request (the store still places one order per order key)."""
    if route.method == "place_prepared_orders":
        # Sent again whole after a lost answer, the batch is answered as it was; each
        # order's own key keeps it placed once whatever batch it travels in.
        return hashlib.sha256(_json(body)).hexdigest()
    if route.method != "place_prepared_order":
        return str(uuid.uuid4())
    digest = hashlib.sha256(_json(body)).hexdigest()[:32]
    return f"{body['prepared']['checkout']['idempotency_key']}.{digest}"


def _json(body: dict[str, Any]) -> bytes:
    # ASCII with escapes: text holding a lone surrogate (undecodable bytes a user pasted)
    # still travels, for the server to refuse or fold as the local backend does.
    return json.dumps(body, ensure_ascii=True, separators=(",", ":")).encode()


def _with_query(path: str, query: dict[str, str]) -> str:
    if not query:
        return path
    # A lone surrogate cannot be UTF-8: it goes as the bytes it stands for, which the
    # server reads as a replacement character (searches fold it away).
    return path + "?" + urlencode({name: value.encode("utf-8", "surrogatepass")
                                   for name, value in query.items()})


def _put_query(query: dict[str, str], name: str, value: Any) -> None:
    if value is None:
        return
    query[name] = ("true" if value else "false") if isinstance(value, bool) else str(value)


def _method(route: r.Route) -> Callable[..., Any]:
    signature = inspect.signature(getattr(Backend, route.method))

    def call(self: RemoteBackend, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        values = dict(bound.arguments)
        if route.method == "logout":
            try:
                return self._call(route, values)
            finally:
                self._session = None
        result = self._call(route, values)
        if isinstance(result, Session):  # login, activation, resume: now signed in
            self._session = result
        if route.method == "confirm_password_reset" and self._session is not None:
            # A reset ends every session of its account: this one's too if it is theirs.
            try:
                self._call(r.BY_METHOD["resume"], {"token": self._session.token})
            except e.NotAuthenticated:
                self._session = None
        return result

    call.__name__ = route.method
    call.__doc__ = getattr(Backend, route.method).__doc__
    call.__signature__ = signature  # type: ignore[attr-defined]
    return call


for _route in r.ROUTES:
    setattr(RemoteBackend, _route.method, _method(_route))


def connect(url: str, *, insecure: bool = False, ca_file: str | None = None) -> Backend:
    """A RemoteBackend, typed as the Backend it implements."""
    return cast(Backend, RemoteBackend(url, insecure=insecure, ca_file=ca_file))
