"""Requests to the test servers, which speak plain HTTP on 127.0.0.1.

``httpx.get`` and its kin build a client for every call, and every client loads the
system's certificate bundle (about 20 ms of CPU) although no test server speaks TLS. A
test polling a starting server ten times a second spent more CPU on that than the server
spent starting. These share one client that loads no certificates and keeps no
connection open, so a server stopped between two calls leaves nothing stale behind.
"""

from __future__ import annotations

import httpx

_CLIENT = httpx.Client(verify=False, limits=httpx.Limits(max_keepalive_connections=0))

request = _CLIENT.request
get = _CLIENT.get
post = _CLIENT.post
delete = _CLIENT.delete
