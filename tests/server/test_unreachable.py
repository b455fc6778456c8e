"""A server that cannot be reached costs one wait, not one per call: after the first
failure to connect, calls say "offline" at once, while the change poll keeps probing
and finds the server back."""

from __future__ import annotations

import httpx
import pytest

from mlm_tui.core.errors import Offline
from mlm_tui.core.remote.backend import RemoteBackend


class Switch(httpx.BaseTransport):
    """A network that is down or up, counting the requests that tried it."""

    def __init__(self) -> None:
        self.down, self.tries = True, 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.tries += 1
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json={"kinds": [], "cursor": 7}
                              if request.url.path.endswith("/changes")
                              else False)


def test_after_the_first_failure_calls_do_not_wait_and_the_poll_finds_the_server_back():
    network = Switch()
    backend = RemoteBackend("http://127.0.0.1:9", transport=network, retries=0)
    with pytest.raises(Offline):
        backend.is_empty()
    assert network.tries == 1
    with pytest.raises(Offline):
        backend.is_empty()
    assert network.tries == 1  # not tried: known unreachable a moment ago
    network.down = False
    assert backend.changes_since(None).cursor == 7  # the poll probes regardless
    assert backend.is_empty() is False
    assert network.tries == 3
