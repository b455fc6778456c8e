"""``mlm-tui`` from the shell: demo data, login, catalog, orders, volume, logout.

The commands run on a small demo store built for today, so "the last three months" and
"the current catalog" hold data whatever day the tests run.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from mlm_tui.cli import NOT_LOGGED_IN, main
from mlm_tui.core.demo import DEMO_PASSWORD, build_demo
from tests.cli_runner import copy_store, runner

SIZES = dict(products=40, orders=400, members=12)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "store.db"
    build_demo(path, **SIZES)
    return path


@pytest.fixture
def data_dir(demo_template, tmp_path) -> Path:
    return copy_store(demo_template, tmp_path)


@pytest.fixture
def run(data_dir, capsys, monkeypatch):
    return runner(data_dir, capsys, monkeypatch)


@pytest.fixture
def logged_in(run):
    code, _, err = run("login", "1000001", "--password-stdin", stdin=DEMO_PASSWORD + "\n")
    assert code == 0, err
    return run


def query(data_dir: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(data_dir / "store.db")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# --- demo, login, logout -------------------------------------------------------------------


def test_demo_builds_a_store_and_prints_the_login(tmp_path, capsys):
    target = ["--data-dir", str(tmp_path / "fresh")]
    assert main([*target, "demo", "--products", "20", "--orders", "30", "--members", "4"]) == 0
    out, _ = capsys.readouterr()
    assert "1000001" in out and "demo@example.ru" in out and DEMO_PASSWORD in out
    assert (tmp_path / "fresh" / "store.db").exists()

    assert main([*target, "demo", "--orders", "10"]) == 1
    _, err = capsys.readouterr()
    assert "already holds data" in err and "--force" in err

    assert main([*target, "demo", "--market", "de", "--products", "20", "--orders", "10",
                 "--force"]) == 0
    assert "demo@example.de" in capsys.readouterr().out


def test_demo_draws_a_progress_bar_on_stderr_and_prints_the_login(tmp_path, capsys,
                                                                  monkeypatch):
    # As on a user's terminal: rich draws a live bar only where escape codes are understood.
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    target = ["--data-dir", str(tmp_path / "fresh")]
    assert main([*target, "demo", "--products", "200", "--orders", "300"]) == 0
    out, err = capsys.readouterr()
    # The bar is live while building (the cursor hidden, then given back) ...
    assert err.index("\x1b[?25l") < err.rindex("\x1b[?25h")
    # ... and ends with every phase full.
    for phase, done in (("catalog", "200/200"), ("orders", "300/300")):
        line = next(line for line in err.splitlines() if phase in line and done in line)
        assert "━" in line
    assert "members" in err and "finishing" in err
    # stdout holds the login only, plain, so it can be piped or kept.
    assert "\x1b" not in out and "━" not in out
    assert f"Demo store: {tmp_path / 'fresh' / 'store.db'}" in out
    assert "Log in as 1000001 (or demo@example.ru)" in out and DEMO_PASSWORD in out


def test_login_with_the_password_on_stdin(run):
    code, out, _ = run("login", "demo@example.ru", "--password-stdin",
                       stdin=DEMO_PASSWORD + "\n")
    assert code == 0
    assert "Logged in as Анна Демидова (1000001)" in out


@pytest.fixture
def prompts(monkeypatch):
    """The password prompt (getpass, which reads the terminal, not stdin), answered with
    ``prompts.answer``; what it asked is kept in ``prompts.asked``."""
    import getpass
    from types import SimpleNamespace

    prompts = SimpleNamespace(answer=DEMO_PASSWORD, asked=[])

    def fake_getpass(prompt: str = "Password: ", stream=None) -> str:
        prompts.asked.append(prompt)
        return prompts.answer

    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    return prompts


def test_login_asks_for_the_password_without_echo(run, prompts):
    code, out, _ = run("login", "1000001", stdin="")
    assert code == 0
    assert prompts.asked == ["Password: "]
    assert "Logged in as Анна Демидова (1000001)" in out
    assert DEMO_PASSWORD not in out
    assert run("orders", "list", "--limit", "1")[0] == 0  # the session was kept


def test_login_asks_for_the_login_too_when_none_is_given(run, prompts):
    code, out, _ = run("login", stdin="demo@example.ru\n")
    assert code == 0
    assert "Registration number or e-mail: " in out
    assert prompts.asked == ["Password: "]
    assert "Logged in as Анна Демидова (1000001)" in out


def test_a_wrong_password_at_the_prompt_is_refused(run, prompts):
    prompts.answer = "not-it"
    code, _, err = run("login", "1000001", stdin="")
    assert code == 1
    assert err.startswith("mlm-tui: ") and err.count("\n") == 1
    assert "not-it" not in err
    assert run("orders", "list")[2].strip() == f"mlm-tui: {NOT_LOGGED_IN}"


def test_a_wrong_password_is_refused_and_nothing_is_kept(run):
    code, _, err = run("login", "1000001", "--password-stdin", stdin="not-it\n")
    assert code == 1
    assert err.startswith("mlm-tui: ") and err.count("\n") == 1
    assert NOT_LOGGED_IN not in err
    assert run("orders", "list")[2].strip() == f"mlm-tui: {NOT_LOGGED_IN}"


def test_commands_ask_to_log_in_first(run):
    for command in (["orders", "list"], ["volume", "1000001"]):
        code, out, err = run(*command)
        assert (code, out) == (1, "")
        assert NOT_LOGGED_IN in err


def test_logout_ends_the_session(logged_in):
    code, out, _ = logged_in("logout")
    assert code == 0 and "Logged out." in out
    assert NOT_LOGGED_IN in logged_in("orders", "list")[2]
    assert logged_in("logout")[1].strip() == "Not logged in."


# --- catalog -------------------------------------------------------------------------------


def test_catalog_search_finds_a_product_by_part_of_its_russian_name(logged_in, data_dir):
    code, name = next(
        (code, name) for code, name in query(
            data_dir, "SELECT code, name FROM products WHERE period_id = 2 ORDER BY code")
        if "«" in name
    )
    fragment = name.split("«")[1][:4].lower()  # "«Нежность»" -> "нежн"
    exit_code, out, _ = logged_in("catalog", "search", fragment, "--json", "--limit", "100")
    assert exit_code == 0
    found = {p["code"]: p for p in json.loads(out)}
    assert found[code]["name"] == name
    assert found[code]["currency"] == "RUB"
    assert found[code]["your_price"].count(".") == 1  # a plain decimal string

    exit_code, out, _ = logged_in("catalog", "search", fragment, "--limit", "100")
    assert code in out and "₽" in out


def test_exports_give_the_price_the_buyer_pays_under_its_own_name(logged_in, data_dir):
    # A closed sale takes its percent off the retail price instead of the consultant
    # discount: the export says what the demo consultant pays, as "your_price".
    ((code, retail, consultant, percent),) = query(data_dir, """
        SELECT p.code, p.retail_price, p.consultant_price, s.percent
        FROM promotions s JOIN products p ON p.code = s.product_code AND p.period_id = 2
        WHERE s.period_id = 2 AND s.closed_sale = 1 ORDER BY p.code LIMIT 1""")
    sale = (Decimal(retail) * (10_000 - percent) / 10_000 / 100).quantize(Decimal("0.01"))
    assert sale != Decimal(consultant) / 100
    _, out, _ = logged_in("catalog", "search", code, "--json")
    (found,) = [p for p in json.loads(out) if p["code"] == code]
    assert "consultant_price" not in found
    assert Decimal(found["your_price"]) == sale
    _, out, _ = logged_in("catalog", "search", code, "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert Decimal(next(r for r in rows if r["Code"] == code)["Your price"]) == sale


def test_catalog_search_as_csv_keeps_russian_names_whole(run, data_dir):
    # A name like "Эфирное масло «Персик», 150 мл" holds the separator itself.
    code, name = next(
        (code, name) for code, name in query(
            data_dir, "SELECT code, name FROM products WHERE period_id = 2 ORDER BY code")
        if "«" in name and "," in name
    )
    fragment = name.split("«")[1][:4].lower()
    exit_code, out, err = run("catalog", "search", fragment, "--csv", "--limit", "100")
    assert (exit_code, err) == (0, "")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["Code", "Name", "Category", "Catalog", "Retail price",
                       "Your price", "Currency", "BB", "Stock"]
    found = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert found[code]["Name"] == name
    assert found[code]["Currency"] == "RUB"
    assert found[code]["Your price"].replace(".", "").isdigit()
    assert all(fragment in row["Name"].lower() or fragment in row["Category"].lower()
               or row["Code"].startswith(fragment) for row in found.values())


def test_catalog_show_and_an_unknown_code(logged_in, data_dir):
    ((code,),) = query(data_dir, "SELECT min(code) FROM products WHERE period_id = 2")
    exit_code, out, _ = logged_in("catalog", "show", code, "--json")
    assert exit_code == 0 and json.loads(out)["code"] == code
    exit_code, out, err = logged_in("catalog", "show", "00000")
    assert (exit_code, out) == (1, "")
    assert "00000" in err and err.count("\n") == 1


# --- orders and volume ---------------------------------------------------------------------


def test_orders_list_as_csv(logged_in):
    code, out, _ = logged_in("orders", "list", "--csv", "--limit", "5")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 5
    assert [r["Placed"] for r in rows] == sorted((r["Placed"] for r in rows), reverse=True)
    assert {r["Source"] for r in rows} <= {"SO", "IO", "AS", "IN"}
    assert all(r["Total"].replace(".", "").isdigit() for r in rows)


def test_orders_list_as_json_with_filters(logged_in, data_dir):
    code, out, _ = logged_in("orders", "list", "--json", "--source", "as", "--limit", "0")
    assert code == 0
    loyalty = json.loads(out)
    assert loyalty and {o["source"] for o in loyalty} == {"AS"}
    ((in_store,),) = query(data_dir, "SELECT count(*) FROM orders WHERE source = 'AS'")
    assert len(loyalty) == in_store  # --limit 0: every page

    # A month the demo consultant bought in (which one depends on the day it was built).
    ((month,),) = query(data_dir, "SELECT substr(max(placed_at), 1, 7) FROM orders "
                                  "WHERE buyer_id = 1")
    code, out, _ = logged_in("orders", "list", "--json", "--member", "1000001",
                             "--month", month)
    mine = json.loads(out)
    assert mine and {o["buyer_registration_number"] for o in mine} == {"1000001"}
    assert {o["placed_at"][:7] for o in mine} == {month}


def test_orders_list_as_a_table(logged_in):
    newest = json.loads(logged_in("orders", "list", "--json", "--limit", "3")[1])
    code, out, _ = logged_in("orders", "list", "--limit", "3")
    assert code == 0
    assert all(order["number"] in out for order in newest)
    assert "₽" in out


def test_volume_of_the_last_months(logged_in):
    code, out, _ = logged_in("volume", "1000001", "--months", "3", "--json")
    assert code == 0
    volume = json.loads(out)
    assert volume["member"]["full_name"] == "Анна Демидова"
    months = [m["month"] for m in volume["months"]]
    assert len(months) == 3 and months == sorted(months)
    code, out, _ = logged_in("volume", "1000001", "--csv")
    assert out.splitlines()[0] == "Month,BB,Orders,Loyalty (AS)"
    code, out, _ = logged_in("volume", "1000001")
    assert code == 0 and "Анна Демидова" in out


def test_unknown_members_fail_with_one_line(logged_in):
    for member in ("9999999", "nobody"):
        code, out, err = logged_in("volume", member)
        assert (code, out) == (1, "")
        assert member in err and err.count("\n") == 1


def test_a_missing_store_is_named(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path / "none"), "orders", "list"]) == 1
    assert "no store at" in capsys.readouterr().err
    assert not (tmp_path / "none" / "store.db").exists()


def test_global_options_also_follow_the_command(data_dir, capsys):
    assert main(["logout", "--data-dir", str(data_dir)]) == 0
    assert "Not logged in." in capsys.readouterr().out


def test_no_command_starts_the_app(monkeypatch, tmp_path):
    import mlm_tui.app
    import mlm_tui.terminal

    monkeypatch.setattr(mlm_tui.terminal, "has_terminal", lambda: True)
    started = {}

    def fake_run_app(settings, *, demo=False, keymap=None):
        started.update(data_dir=settings.data_dir, demo=demo, keymap=keymap)
        return 0

    monkeypatch.setattr(mlm_tui.app, "run_app", fake_run_app)
    assert main(["--data-dir", str(tmp_path), "--demo"]) == 0
    assert started == {"data_dir": tmp_path, "demo": True, "keymap": {}}


def test_the_command_line_starts_without_heavy_imports():
    probe = ("import sys, mlm_tui.cli; "
             "print(sorted(m for m in ('textual', 'sqlalchemy', 'rich', 'babel') "
             "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_volume_by_registration_number_asks_for_the_member_once(logged_in, monkeypatch):
    """The search that finds a registration number names the member too: the command asks
    for the session, the company, the member and the months, and nothing twice."""
    from mlm_tui import cli
    from tests.counting import CountingBackend

    made: list[CountingBackend] = []
    opened = cli._open_backend

    def counted(settings):
        made.append(CountingBackend(opened(settings)))
        return made[-1]

    monkeypatch.setattr(cli, "_open_backend", counted)
    code, out, _ = logged_in("volume", "1000001", "--json")
    assert code == 0 and json.loads(out)["member"]["registration_number"] == "1000001"
    assert made[-1].take() == {"describe": 1, "resume": 1, "company": 1, "search_members": 1,
                               "monthly_volume": 1, "close": 1}


def test_no_arguments_start_the_app_with_what_the_parser_would_give():
    """``mlm-tui`` alone skips the parser: what it stands in for must stay what it gives."""
    from mlm_tui.cli import NO_ARGUMENTS, build_parser

    assert vars(build_parser(with_commands=False).parse_args([])) == NO_ARGUMENTS
