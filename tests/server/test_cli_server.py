"""Every CLI command works against a team server: ``--server URL`` or ``MLM_TUI_SERVER``."""

from __future__ import annotations

import io
import json
import sys

import pytest

from mlm_tui.cli import main
from tests import world
from tests.remote_server import CLOCK_FILE, store_id


@pytest.fixture
def server_url(remote_server, world_orders, clock):
    clock.mirror = world_orders.parent / CLOCK_FILE
    return f"{remote_server}/{store_id(world_orders.parent)}"


@pytest.fixture
def run(capsys, monkeypatch, tmp_path):
    """``mlm-tui ARGS`` with a data dir that holds no store: whatever it shows came from
    the server."""
    empty = tmp_path / "no-store-here"

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["--data-dir", str(empty), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_login_list_and_logout_over_the_server(run, server_url):
    code, out, _ = run("--server", server_url, "login", "1000001", "--password-stdin",
                       stdin=world.PASSWORD + "\n")
    assert (code, "Logged in as Анна Смирнова (1000001)" in out) == (0, True)
    code, out, _ = run("--server", server_url, "orders", "list", "--json")
    assert code == 0
    numbers = {order["number"] for order in json.loads(out)}
    assert world.ORDER_KLAUS_HERMES in numbers and world.ORDER_PETR_DELIVERED not in numbers
    code, out, _ = run("--server", server_url, "catalog", "show", "32548", "--json")
    assert (code, json.loads(out)["code"]) == (0, "32548")
    assert run("--server", server_url, "logout")[0] == 0
    code, _, err = run("--server", server_url, "orders", "list")
    assert (code, "not logged in" in err) == (1, True)


def test_the_server_may_come_from_the_environment(run, server_url, monkeypatch):
    monkeypatch.setenv("MLM_TUI_SERVER", server_url)
    assert run("login", "1000001", "--password-stdin", stdin=world.PASSWORD + "\n")[0] == 0
    code, out, _ = run("volume", world.OLGA_MSK.registration_number, "--json")
    assert code == 0 and json.loads(out)


def test_the_session_is_kept_per_server(run, server_url, remote_server, world_file):
    assert run("--server", server_url, "login", "1000001", "--password-stdin",
               stdin=world.PASSWORD + "\n")[0] == 0
    other = f"{remote_server}/{store_id(world_file.parent)}-elsewhere"
    code, _, err = run("--server", other, "orders", "list")
    assert (code, "not logged in" in err) == (1, True)


def test_plain_http_to_another_host_is_refused_before_anything_is_sent(run):
    code, _, err = run("--server", "http://10.255.255.1:8080", "orders", "list")
    assert code == 1 and "http://" in err and "--insecure" in err


def test_a_server_that_is_not_there_is_said_plainly(run):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, _, err = run("--server", f"http://127.0.0.1:{port}", "login", "1000001",
                       "--password-stdin", stdin=world.PASSWORD + "\n")
    assert code == 1 and "cannot be reached" in err
