"""A TCP proxy on 127.0.0.1 between a client and the team server that breaks one request
on purpose.

It breaks requests whose first line matches ``target``: the next one when armed with a
fault (``arm``), or each one at the rate given, by a seeded draw (``plan``):

- ``before``: the connection is closed before the request reaches the server;
- ``after_request``: the whole request reaches the server, then the connection is closed
  (the server may run it; the client never hears);
- ``after_commit``: the request reaches the server and its answer comes back to the
  proxy, so the server has finished (committed), and the connection is closed before the
  client reads a byte of it.

Everything else passes through untouched. The server it forwards to may change
(``upstream``) when a test restarts it on another port.
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
from collections import Counter

FAULTS = ("before", "after_request", "after_commit")


class FaultyProxy:
    def __init__(self, upstream_port: int, target: bytes, *, port: int = 0) -> None:
        self.upstream = upstream_port
        self.target = target
        self.applied: Counter[str] = Counter()
        self._armed: str | None = None
        self._plan: tuple[random.Random, float] | None = None
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", port))
        self.port = self._listener.getsockname()[1]
        self._open: set[socket.socket] = set()
        threading.Thread(target=self._accept, daemon=True).start()

    def arm(self, fault: str | None) -> None:
        with self._lock:
            self._armed = fault

    def plan(self, seed: int, rate: float) -> None:
        """Break each target request with probability ``rate``, the fault drawn at random."""
        with self._lock:
            self._plan = (random.Random(seed), rate)

    def close(self) -> None:
        _close(self._listener)  # shut down first: a close alone leaves accept() listening
        for sock in list(self._open):
            _close(sock)

    def _take(self, request: bytes) -> str | None:
        with self._lock:
            first_line = request.split(b"\r\n", 1)[0]
            if self.target not in first_line:
                return None
            if self._armed is None and self._plan is not None:
                draw, rate = self._plan
                if draw.random() < rate:
                    self._armed = draw.choice(FAULTS)
            if self._armed is None:
                return None
            fault, self._armed = self._armed, None
            self.applied[fault] += 1
            return fault

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        # One request, then its answer (HTTP/1.1 without pipelining, as httpx sends).
        try:
            server = socket.create_connection(("127.0.0.1", self.upstream), timeout=10)
        except OSError:
            _close(client)  # the server is down: the client sees a refused connection
            return
        self._open |= {client, server}
        try:
            while True:
                request = _read_message(client)
                if not request:
                    return
                fault = self._take(request)
                if fault == "before":
                    return
                server.sendall(request)
                if fault == "after_request":
                    return
                answer = _read_message(server)
                if not answer or fault == "after_commit":
                    return  # answered, so done and committed: the client never hears
                client.sendall(answer)
        except OSError:
            return
        finally:
            _close(client)
            _close(server)
            self._open -= {client, server}


def _read_message(sock: socket.socket) -> bytes:
    """One whole HTTP message (head and body by its Content-Length), or b"" at the end."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return b""
        body += chunk
    return head + b"\r\n\r\n" + body


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
