"""What RemoteBackend does before and beside the requests: the address, the network."""

from __future__ import annotations

import socket

import pytest

from mlm_tui.core.errors import Offline, ValidationError
from mlm_tui.core.remote import RemoteBackend


@pytest.mark.parametrize("url", ["http://example.com", "http://10.0.0.5:8080",
                                 "http://team.example.ru/", "HTTP://192.168.1.1"])
def test_plain_http_to_another_host_is_refused(url):
    with pytest.raises(ValidationError) as caught:
        RemoteBackend(url)
    assert caught.value.field == "server"
    assert "https://" in caught.value.message


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:80",
                                 "https://team.example.ru"])
def test_loopback_and_https_are_taken(url):
    backend = RemoteBackend(url)
    assert backend.describe() == url.rstrip("/")
    backend.close()


def test_plain_http_to_another_host_is_taken_when_asked_for():
    backend = RemoteBackend("http://10.0.0.5:8080", insecure=True)
    assert backend.describe() == "http://10.0.0.5:8080"
    backend.close()


@pytest.mark.parametrize("url", ["ftp://example.com", "example.com", "https://"])
def test_an_address_that_is_no_server_is_refused(url):
    with pytest.raises(ValidationError) as caught:
        RemoteBackend(url)
    assert caught.value.field == "server"


def test_a_server_that_does_not_answer_is_offline():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    backend = RemoteBackend(f"http://127.0.0.1:{port}", retries=1)
    with pytest.raises(Offline) as caught:
        backend.company()
    assert caught.value.field == "server"
    backend.close()
