"""``mlm-tui cart``, ``checkout``, ``outbox`` and ``sync`` against a team server that is
there, then away, then back: the order is placed once, or queued and sent later, or waits
with its new price for a decision."""

from __future__ import annotations

import io
import json
import sys

import pytest

from mlm_tui.cli import main
from tests import world
from tests.core.test_prepared_orders import set_price
from tests.faulty_proxy import FaultyProxy
from tests.remote_server import CLOCK_FILE, store_id


class Line:
    """The team server reached through a line that can be cut and mended on one port."""

    def __init__(self, server_port: int) -> None:
        self.server_port = server_port
        self.proxy = FaultyProxy(server_port, target=b"-")
        self.port = self.proxy.port

    def cut(self) -> None:
        self.proxy.close()

    def mend(self) -> None:
        self.proxy = FaultyProxy(self.server_port, target=b"-", port=self.port)


@pytest.fixture
def line(remote_server, world_file, clock):
    clock.mirror = world_file.parent / CLOCK_FILE
    kept = Line(int(remote_server.rsplit(":", 1)[1]))
    yield kept
    kept.proxy.close()


@pytest.fixture
def run(capsys, monkeypatch, tmp_path, line, world_file):
    url = f"http://127.0.0.1:{line.port}/{store_id(world_file.parent)}"
    client = tmp_path / "client"

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["--data-dir", str(client), "--server", url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    assert run("login", "1000001", "--password-stdin", stdin=world.PASSWORD + "\n")[0] == 0
    return run


def test_online_checkout_prints_the_order_number(run):
    code, out, _ = run("cart", "add", "32548", "2", "33012")
    assert code == 0 and "online" in out
    code, out, _ = run("cart", "show", "--json")
    cart = json.loads(out)
    assert [(line["code"], line["quantity"]) for line in cart["lines"]] == [
        ("32548", 2), ("33012", 1)]
    code, out, _ = run("checkout", "--pay", "balance", "--pickup", "PP-MSK-2", "--json")
    (order,) = json.loads(out)
    assert order["state"] == "sent" and order["order_number"].startswith("RU-2611-")
    assert order["to_pay"] == cart["to_pay"]
    code, out, _ = run("orders", "list", "--json")
    assert order["order_number"] in {o["number"] for o in json.loads(out)}


def test_offline_the_order_is_queued_and_sync_sends_it_once_back_online(run, line):
    assert run("cart", "add", "32548")[0] == 0  # online once: the catalog is kept
    line.cut()
    code, out, _ = run("cart", "add", stdin="33012 2\n35555 1\n")
    assert code == 0 and "offline — prices as of" in out
    code, out, _ = run("checkout", "--pay", "balance", "--pickup", "PP-MSK-2")
    assert code == 0 and "Q-000001" in out and "queued — will be sent when online" in out
    code, out, _ = run("outbox", "--json")
    assert [o["state"] for o in json.loads(out)] == ["queued"]
    line.mend()
    code, out, _ = run("sync", "--json")
    report = json.loads(out)
    assert [o["queued_number"] for o in report["sent"]] == ["Q-000001"]
    number = report["sent"][0]["order_number"]
    code, out, _ = run("sync")
    assert "Nothing to send." in out
    code, out, _ = run("orders", "list", "--json")
    assert [o["number"] for o in json.loads(out)].count(number) == 1


def test_a_price_changed_meanwhile_waits_and_is_confirmed(run, line, world_file):
    assert run("cart", "add", "32548", "2")[0] == 0
    line.cut()
    assert run("checkout", "--pay", "balance", "--pickup", "PP-MSK-2")[0] == 0
    set_price(world_file, "32548", "999")
    line.mend()
    code, out, _ = run("sync")
    assert "needs your decision" in out and "now " in out
    code, out, _ = run("outbox", "--json")
    (waiting,) = json.loads(out)
    assert waiting["differences"] == ["to_pay"] and waiting["now_to_pay"] != waiting["to_pay"]
    code, out, _ = run("outbox", "confirm", "Q-000001", "--json")
    assert code == 0
    (sent,) = json.loads(out)
    assert sent["state"] == "sent" and sent["to_pay"] == waiting["now_to_pay"]


def test_a_waiting_order_can_be_dropped_and_a_sending_one_cannot(run, line, world_file):
    assert run("cart", "add", "32548")[0] == 0
    line.cut()
    run("checkout", "--pay", "balance", "--pickup", "PP-MSK-2")
    set_price(world_file, "32548", "999")
    line.mend()
    run("sync")
    code, out, _ = run("outbox", "drop", "Q-000001", "--json")
    assert json.loads(out)[0]["state"] == "dropped"
    code, _, err = run("outbox", "drop", "Q-000009")
    assert code == 1 and "Q-000009" in err


def test_a_code_the_catalog_does_not_hold_is_named(run):
    code, _, err = run("cart", "add", "99999")
    assert code == 1 and "99999" in err
    code, out, _ = run("cart", "show", "--json")
    assert json.loads(out)["lines"] == []


def test_editing_a_waiting_order_takes_its_lines_back_into_the_cart(run, line, world_file):
    assert run("cart", "add", "32548", "2")[0] == 0
    line.cut()
    assert run("checkout", "--pay", "balance", "--pickup", "PP-MSK-2")[0] == 0
    set_price(world_file, "32548", "999")
    line.mend()
    run("sync")
    code, out, _ = run("outbox", "edit", "Q-000001", "--json")
    assert code == 0
    assert [(ln["code"], ln["quantity"]) for ln in json.loads(out)["lines"]] == [("32548", 2)]
    code, out, _ = run("outbox", "--json")
    assert json.loads(out)[0]["state"] == "dropped"
    code, _, err = run("outbox", "edit", "Q-000001")
    assert code == 1 and "Q-000001" in err
