"""Lists from the command line are complete unless a limit is asked for, and a limit that
leaves something out says so."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from mlm_tui import cli
from mlm_tui.core.demo import DEMO_PASSWORD, build_demo
from tests.cli_runner import copy_store, runner

# More orders than the old default of 100 and more "для" products than the old 50.
SIZES = dict(products=200, orders=600, members=12)
CUT = "mlm-tui: showing {limit} of more; drop --limit for all\n"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("exports") / "store.db"
    build_demo(path, **SIZES)
    return path


@pytest.fixture
def data_dir(demo_template, tmp_path) -> Path:
    return copy_store(demo_template, tmp_path)


@pytest.fixture
def run(data_dir, capsys, monkeypatch):
    # Small pages: every export below spans several.
    monkeypatch.setattr(cli, "PAGE_SIZE", 64)

    run = runner(data_dir, capsys, monkeypatch)
    code, _, err = run("login", "1000001", "--password-stdin", stdin=DEMO_PASSWORD + "\n")
    assert code == 0, err
    return run


@pytest.fixture
def backend(data_dir):
    from mlm_tui.core.demo import DEMO_LOGIN
    from mlm_tui.core.local import LocalBackend
    from mlm_tui.core.settings import load_settings

    backend = LocalBackend(load_settings(data_dir=data_dir))
    backend.login(DEMO_LOGIN.registration_number, DEMO_LOGIN.password)
    yield backend
    backend.close()


def every_order(backend) -> list[str]:
    from mlm_tui.core.models import OrderFilter

    numbers, after = [], None
    while True:
        page = backend.orders_page(OrderFilter(), after=after, limit=1000)
        numbers += [o.number for o in page.items]
        if page.next_after is None:
            return numbers
        after = page.next_after


def test_orders_as_csv_hold_every_order_in_order(run, backend):
    code, out, err = run("orders", "list", "--csv")
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    expected = every_order(backend)
    assert len(expected) > 100
    assert [row["Order"] for row in rows] == expected


def test_orders_as_json_and_as_a_table_hold_every_order(run, backend):
    expected = every_order(backend)
    code, out, err = run("orders", "list", "--json")
    assert (code, err) == (0, "")
    assert [o["number"] for o in json.loads(out)] == expected
    code, out, err = run("orders", "list", "--source", "AS", "--json")
    loyalty = [o["number"] for o in json.loads(out)]
    assert len(loyalty) > cli.PAGE_SIZE
    code, out, err = run("orders", "list", "--source", "AS")
    assert (code, err) == (0, "")
    assert all(number in out for number in loyalty)
    assert out.count("Order") == 1  # one heading over every page


def test_catalog_search_as_csv_and_json_holds_every_match(run, backend):
    expected = [p.code for p in backend.search_products("для", limit=10**6)]
    assert len(expected) > 50
    code, out, err = run("catalog", "search", "для", "--csv")
    assert (code, err) == (0, "")
    assert [row["Code"] for row in csv.DictReader(io.StringIO(out))] == expected
    code, out, err = run("catalog", "search", "для", "--json")
    assert (code, err) == (0, "")
    assert [p["code"] for p in json.loads(out)] == expected


@pytest.mark.parametrize("command", [["orders", "list"], ["catalog", "search", "для"]])
def test_a_limit_that_leaves_some_out_says_so_on_stderr(run, command):
    code, out, err = run(*command, "--csv", "--limit", "70")
    assert (code, err) == (0, CUT.format(limit=70))
    assert len(list(csv.DictReader(io.StringIO(out)))) == 70


def test_a_limit_that_leaves_nothing_out_says_nothing(run, backend):
    everything = len(every_order(backend))
    code, out, err = run("orders", "list", "--csv", "--limit", str(everything))
    assert (code, err) == (0, "")
    assert len(list(csv.DictReader(io.StringIO(out)))) == everything
    code, out, err = run("catalog", "search", "для", "--json", "--limit", "1000")
    assert (code, err) == (0, "")
