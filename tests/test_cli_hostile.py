"""Every command over the poisoned store (``mlm-tui demo --hostile``): plain text out.

The store's free texts begin with terminal escapes (OSC 52, OSC 0, CSI 2J, C1 CSI, DEL, a
lone ESC), Rich markup (``[/x]``, ``[link=http://x]y[/link]``, ``[bold]``) and spreadsheet
formulas. Standard output is taken as a terminal would receive it (Rich writes colour, as
on a real terminal): apart from Rich's own colour sequences nothing may reach it that a
terminal acts on, no command may fail on what the store holds, and markup shows as the
text it is.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from mlm_tui.cli import main
from mlm_tui.core.demo import DEMO_PASSWORD

# Rich's colours and styles (SGR): everything else that starts with ESC came from the data.
_SGR = re.compile(r"\x1b\[[0-9;]*m")
_ACTS_ON_A_TERMINAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def hostile_template(tmp_path_factory) -> Path:
    """Built by the command itself, for today (the CLI reads the real clock)."""
    folder = tmp_path_factory.mktemp("hostile")
    code = main(["--data-dir", str(folder), "demo", "--products", "30", "--orders", "400",
                 "--members", "12", "--hostile"])
    assert code == 0
    return folder / "store.db"


@pytest.fixture
def run(hostile_template, tmp_path, capsys, monkeypatch):
    """``mlm-tui --data-dir DATA ARGS`` as on a terminal -> (exit code, stdout, stderr)."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copyfile(hostile_template, data_dir / "store.db")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # Rich writes what it writes to a terminal
    monkeypatch.setenv("COLUMNS", "100")

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["--data-dir", str(data_dir), *args])
        out, err = capsys.readouterr()
        for stream in (out, err):
            leftover = _ACTS_ON_A_TERMINAL.findall(_SGR.sub("", stream))
            assert leftover == [], f"mlm-tui {' '.join(args)}: {stream!r}"
            assert "\x1b]8;" not in stream  # no hyperlink made of the data
        return code, out, err

    code, _out, err = run("login", "1000001", "--password-stdin", stdin=DEMO_PASSWORD + "\n")
    assert code == 0, err
    return run


def test_the_hostile_demo_store_holds_every_payload(hostile_template):
    import sqlite3

    conn = sqlite3.connect(hostile_template)
    try:
        names = [name for (name,) in conn.execute("SELECT name FROM products")]
        cities = [city for (city,) in conn.execute("SELECT city FROM members")]
        reasons = [reason for (reason,) in conn.execute("SELECT reason FROM claims")]
    finally:
        conn.close()
    every = "\n".join(names + cities)
    for payload in ("\x1b]52;c;", "\x1b]0;", "\x1b[2J", "[/x]", "[link=http://x]y[/link]",
                    "[bold]"):
        assert payload in every
    assert reasons and all(reason.split(" ")[0] != "Повреждённая" for reason in reasons)


def test_catalog_commands_print_the_data_as_text(run):
    code, out, _ = run("catalog", "search", "крем", "--limit", "50")
    assert code == 0
    # Markup is shown as written, escapes as visible marks.
    assert "[bold]" in out and "␛" in out
    code, out, _ = run("catalog", "search", "[/x]")
    assert code == 0
    code, out, _ = run("catalog", "search", "link", "--limit", "50")
    assert code == 0 and "[link=http://x]y[/link]" in out

    code, out, _ = run("catalog", "search", "крем", "--json", "--limit", "50")
    products = json.loads(out)
    assert code == 0 and any("\x1b" in p["name"] for p in products)  # JSON loses nothing

    code, out, _ = run("catalog", "search", "крем", "--csv", "--limit", "50")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and len(rows) > 1
    for row in rows[1:]:
        assert not row[1].startswith(_FORMULA)  # the name: never a formula
    assert any(row[1].startswith("'=HYPERLINK(") for row in rows[1:])

    code_of = products[0]["code"]
    for options in ((), ("--json",)):
        code, out, _ = run("catalog", "show", code_of, *options)
        assert code == 0


def test_orders_and_volume_print_the_data_as_text(run):
    for options in ((), ("--json",), ("--csv",)):
        code, out, _ = run("orders", "list", "--limit", "60", *options)
        assert code == 0 and out
    code, out, _ = run("orders", "list", "--csv", "--limit", "400")
    rows = list(csv.reader(io.StringIO(out)))
    names = [row[3] for row in rows[1:]]
    assert any(name.startswith("'=HYPERLINK(") for name in names)
    assert not any(name.startswith(_FORMULA) for name in names)
    for options in ((), ("--json",), ("--csv",)):
        code, out, _ = run("volume", "1000002", *options)
        assert code == 0 and out


def test_maintenance_commands_print_the_data_as_text(run):
    for args in (("maintenance", "retention"),
                 ("maintenance", "export-personal-data", "1000002"),
                 ("maintenance", "claim", "list")):
        code, out, _ = run(*args)
        assert code == 0 and out
    code, out, _ = run("maintenance", "claim", "list", "--open")
    number = out.split()[0]
    code, out, _ = run("maintenance", "claim", "decide", number, "--reject", "--reason",
                       "Без дефекта")
    assert code == 0 and number in out


def test_a_claim_decision_with_an_escape_is_refused(run):
    _code, out, _ = run("maintenance", "claim", "list", "--open")
    number = out.split()[0]
    code, out, err = run("maintenance", "claim", "decide", number, "--reject", "--reason",
                         "Нет\x1b]0;HACKED\x07")
    assert code != 0 and out == ""
    assert "control characters" in err
    code, out, _ = run("maintenance", "claim", "list", "--open")
    assert number in out  # still waiting for a decision


def test_logout_after_all(run):
    code, out, _ = run("logout")
    assert code == 0 and "Logged out." in out
