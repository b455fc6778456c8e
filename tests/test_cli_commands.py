"""Every ``mlm-tui`` command, started as from the shell: its help, and the command itself
on a small store, each in a process that has imported nothing of the package yet."""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mlm_tui.cli import build_parser
from mlm_tui.cli_ssh import mlm_tui_command, path_problems, store_problems, unix_user
from mlm_tui.core.demo import DEMO_PASSWORD, build_demo
from mlm_tui.core.settings import load_settings
from tests.remote_server import CLOCK_FILE, store_id
from tests.ssh_keys import ANNA_FINGERPRINT, ANNA_KEY

pytestmark = pytest.mark.long_running  # runs for seconds: first in the run

DRIVER = Path(__file__).with_name("fresh_commands.py")
CAMT_SAMPLE = Path(__file__).parent / "data" / "camt053-three-transfers.xml"


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
              ) -> list[tuple[str, ...]]:
    """The leaf commands, as typed: ``("maintenance", "claim", "list")``."""
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        return [path]
    return [leaf for name, sub in groups[0].choices.items()
            for leaf in _commands(sub, (*path, name))]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fresh") / "data" / "store.db"
    build_demo(path, products=20, orders=120, members=4)
    return path


def _real_commands(data: Path, fresh: Path, server: str) -> dict[tuple[str, ...], list[dict]]:
    conn = sqlite3.connect(data / "store.db")
    try:
        (code,) = conn.execute("SELECT min(code) FROM products").fetchone()
        (claim,) = conn.execute("SELECT number FROM claims WHERE status = 'submitted'"
                                ).fetchone()
        with conn:  # two top-ups awaiting their money: one to confirm, one to refuse
            conn.executemany(
                "INSERT INTO payment_requests(reference, member_id, purpose, method, amount, "
                "state, requested_at, decided_by, note) VALUES (?, 1, 'top_up', 'transfer', "
                "150000, 'pending', '2026-11-20T12:00:00', '', '')",
                [("TU-2611-900001",), ("TU-2611-900002",)])
        # Of the parcels on their way: one back at the warehouse (its order paid, for the
        # warehouse's file), one for a carrier's event, one stopped by its buyer and
        # waiting in the service's queue.
        (paid, moving, stopped) = conn.execute(
            "SELECT s.tracking_number, s.shipped_at, o.id, o.number, o.placed_at "
            "FROM shipments s JOIN orders o ON o.id = s.order_id "
            "WHERE o.status = 'shipped' ORDER BY o.id LIMIT 3").fetchall()
        with conn:
            conn.execute("DELETE FROM shipment_events WHERE shipment_id IN "
                         "(SELECT id FROM shipments WHERE order_id = ?)", (paid[2],))
            conn.execute("DELETE FROM shipments WHERE order_id = ?", (paid[2],))
            conn.execute("UPDATE orders SET status = 'paid' WHERE id = ?", (paid[2],))
            conn.execute("UPDATE orders SET status = 'stop_requested' WHERE id = ?",
                         (stopped[2],))
            conn.execute("INSERT INTO delivery_stops(order_id, requested_at, returned, state, "
                         "decided_by, note) VALUES (?, ?, 0, 'requested', '', '')",
                         (stopped[2], stopped[1]))
    finally:
        conn.close()
    (fresh.parent / "files").mkdir(parents=True, exist_ok=True)
    shipped = fresh.parent / "files" / "shipped.csv"
    shipped.write_text("order_number,carrier,tracking_number,shipped_at\n"
                       f"{paid[3]},cdek,1599999999,{paid[1]}\n", encoding="utf-8")
    events = fresh.parent / "files" / "events.csv"
    events.write_text("tracking_number,at,status\n"
                      f"{moving[0]},{moving[1]},out_for_delivery\n", encoding="utf-8")
    at = ["--data-dir", str(data)]
    # The offline commands keep a cart and an outbox of their own, for a team server: here
    # the worker's test server, serving the same store.
    served = ["--data-dir", str(fresh.parent / "client"), "--server", server]
    (data / CLOCK_FILE).write_text(datetime.now(UTC).replace(tzinfo=None).isoformat(),
                                   encoding="utf-8")
    return {
        ("demo",): [{"argv": ["--data-dir", str(fresh), "demo", "--products", "10",
                              "--orders", "10", "--members", "0"]}],
        ("login",): [{"argv": [*at, "login", "1000001", "--password-stdin"],
                      "stdin": DEMO_PASSWORD + "\n"}],
        ("catalog", "search"): [{"argv": [*at, "catalog", "search", code, "--json"]}],
        ("catalog", "show"): [{"argv": [*at, "catalog", "show", code]}],
        ("orders", "list"): [{"argv": [*at, "orders", "list", "--limit", "2", "--csv"]}],
        ("volume",): [{"argv": [*at, "volume", "1000001", "--json"]}],
        ("inbox",): [{"argv": [*at, "inbox", "--unread"]}],
        ("maintenance", "retention"): [{"argv": [*at, "maintenance", "retention"]}],
        ("maintenance", "export-personal-data"): [
            {"argv": [*at, "maintenance", "export-personal-data", "1000002"]}],
        ("maintenance", "erase-personal-data"): [
            {"argv": [*at, "maintenance", "erase-personal-data", "1000003", "--yes"]}],
        ("maintenance", "claim", "list"): [{"argv": [*at, "maintenance", "claim", "list"]}],
        ("maintenance", "claim", "decide"): [
            {"argv": [*at, "maintenance", "claim", "decide", claim, "--reject",
                      "--reason", "Not covered."]}],
        ("maintenance", "service-accounts", "add"): [
            {"argv": [*at, "maintenance", "service-accounts", "add", "irina",
                      "--password-stdin"], "stdin": "service-pass-2026\n"}],
        ("maintenance", "service-accounts", "list"): [
            {"argv": [*at, "maintenance", "service-accounts", "list"]}],
        ("maintenance", "service-accounts", "disable"): [
            {"argv": [*at, "maintenance", "service-accounts", "disable", "irina"]}],
        ("maintenance", "payments", "list"): [
            {"argv": [*at, "maintenance", "payments", "list", "--pending"]}],
        ("maintenance", "payments", "confirm"): [
            {"argv": [*at, "maintenance", "payments", "confirm", "TU-2611-900001"]}],
        ("maintenance", "payments", "reject"): [
            {"argv": [*at, "maintenance", "payments", "reject", "TU-2611-900002",
                      "--reason", "No transfer arrived."]}],
        ("maintenance", "payments", "import"): [
            {"argv": [*at, "maintenance", "payments", "import", str(CAMT_SAMPLE)]}],
        ("maintenance", "shipments", "import"): [
            {"argv": [*at, "maintenance", "shipments", "import", str(shipped)]}],
        ("maintenance", "shipments", "events", "import"): [
            {"argv": [*at, "maintenance", "shipments", "events", "import", str(events)]}],
        ("maintenance", "delivery-stops", "list"): [
            {"argv": [*at, "maintenance", "delivery-stops", "list", "--open"]}],
        ("maintenance", "delivery-stops", "decide"): [
            {"argv": [*at, "maintenance", "delivery-stops", "decide", stopped[3], "--credit"]}],
        ("cart", "add"): [{"argv": [*served, "login", "1000001", "--password-stdin"],
                           "stdin": DEMO_PASSWORD + "\n"},
                          {"argv": [*served, "cart", "add", code, "2"]}],
        ("cart", "show"): [{"argv": [*served, "cart", "show", "--json"]}],
        ("checkout",): [{"argv": [*served, "checkout", "--pay", "cash_to_courier"]}],
        ("outbox",): [{"argv": [*served, "outbox", "--json"]}],
        ("sync",): [{"argv": [*served, "sync"]}],
        ("cart", "clear"): [{"argv": [*served, "cart", "clear"]}],
        ("db", "upgrade"): [{"argv": [*at, "db", "upgrade"]}],
        ("db", "copy"): [{"argv": [*at, "db", "copy", "--from", str(data / "store.db"),
                                   "--to", str(fresh.parent / "copied.db")]}],
        ("logout",): [{"argv": [*at, "logout"]}],
        ("keys", "add"): [{"argv": [*at, "keys", "add", "-"], "stdin": ANNA_KEY}],
        ("keys", "list"): [{"argv": [*at, "keys", "list"]}],
        ("keys", "remove"): [{"argv": [*at, "keys", "remove", ANNA_FINGERPRINT]}],
        ("ssh-keys",): [{"argv": [*at, "ssh-keys", unix_user(), *ANNA_KEY.split()[:2]]}],
        # Without a terminal and without a command it refuses, as the app does.
        ("ssh-session",): [{"argv": [*at, "ssh-session", "--key-id", "1"], "expect": 2}],
        # It says what is wrong with this host (1) if anything is.
        ("ssh-setup",): [{"argv": [*at, "ssh-setup"], "expect": int(bool(
            path_problems(mlm_tui_command())
            + store_problems(load_settings(data_dir=data), unix_user())))}],
    }


# Runs until stopped: tests/server/test_serve.py starts it as from the shell, and stops it.
SERVED_ELSEWHERE = {("serve",)}


def _run(plan: list[dict], folder: Path) -> list[dict]:
    """Each step of ``plan`` in a fresh process (``fresh_commands.py``), in order."""
    (folder / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    subprocess.run([sys.executable, str(DRIVER), str(folder / "plan.json")], check=True,
                   timeout=120)
    results: list[dict] = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    failed = [(r["argv"], r["code"], r["err"][-400:])
              for step, r in zip(plan, results, strict=True)
              if r["code"] != step.get("expect", 0)]
    assert not failed
    return results


# The helps and the commands are two tests, so that two workers share the work.
def test_every_command_has_its_help_from_a_fresh_start(tmp_path: Path) -> None:
    leaves = _commands(build_parser())
    plan = [{"argv": [*leaf, "--help"]} for leaf in leaves]
    # And the app itself, which refuses a standard input that is not a terminal (a file).
    plan.append({"argv": ["--data-dir", str(tmp_path / "data")], "expect": 2})
    results = _run(plan, tmp_path)

    assert "the app needs a terminal" in results[-1]["err"]
    assert all(r["out"].startswith("usage: mlm-tui ") for r in results[:-1])


def test_every_command_runs_from_a_fresh_start(store: Path, tmp_path: Path,
                                               remote_server: str) -> None:
    leaves = _commands(build_parser())
    real = _real_commands(store.parent, tmp_path / "fresh-demo",
                          f"{remote_server}/{store_id(store.parent)}")
    assert set(real) | SERVED_ELSEWHERE == set(leaves), "a command without a fresh-start run"
    # In the order a person would: log in first, log out last.
    plan = [step for leaf in sorted(real, key=lambda c: (c != ("login",), c == ("logout",)))
            for step in real[leaf]]
    results = _run(plan, tmp_path)

    said = {tuple(r["argv"][2:4]): r["out"] for r in results}
    assert "Logged in as Анна Демидова" in said[("login", "1000001")]
    assert json.loads(said[("maintenance", "export-personal-data")])["registration_number"] \
        == "1000002"
    assert "Logged out." in said[("logout",)]
    outbox = next(r["out"] for r in results if r["argv"][-2:] == ["outbox", "--json"])
    assert [o["state"] for o in json.loads(outbox)] == ["sent"]  # checked out online
