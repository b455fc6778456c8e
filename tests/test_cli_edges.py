"""``mlm-tui`` given what no one means to give it: bytes that are not UTF-8, numbers
beyond any store, months at the ends of the calendar, a broken config file. Each ends in
one line on standard error and a non-zero exit, never a traceback; the store is left
as it was."""

from __future__ import annotations

import io
import sqlite3
import sys
from pathlib import Path

import pytest

from mlm_tui.cli import main
from tests import world

# What Python makes of the byte 0xff in an argument or on stdin in a C locale.
FF = "\udcff"


@pytest.fixture
def run(world_file: Path, capsys, monkeypatch):
    """``mlm-tui ARGS --data-dir DATA`` -> (exit code, stdout, stderr); argparse's usage
    errors exit with 2 like the rest."""

    def run(*args: str, stdin: io.TextIOBase | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", stdin)
        try:
            code = main([*args, "--data-dir", str(world_file.parent)])
        except SystemExit as done:
            code = done.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def logged_in(run):
    code, _, err = run("login", world.ANNA.registration_number, "--password-stdin",
                       stdin=io.StringIO(world.PASSWORD + "\n"))
    assert code == 0, err
    return run


def sessions(world_file: Path) -> int:
    with sqlite3.connect(world_file) as conn:
        return conn.execute("SELECT count(*) FROM sessions").fetchone()[0]


def one_line(err: str) -> str:
    assert err.startswith("mlm-tui: ") and err.count("\n") == 1
    return err.rstrip("\n")


def usage_error(err: str) -> str:
    """argparse's answer: the usage, then one line naming the argument."""
    assert err.startswith("usage: mlm-tui ") and "Traceback" not in err
    return err.splitlines()[-1]


def test_an_argument_that_is_not_utf8_is_named_with_its_bad_byte(run):
    code, out, err = run("catalog", "search", f"кр{FF}ем")
    assert (code, out) == (2, "")
    assert err == "mlm-tui: an argument is not valid UTF-8: кр\\xffем\n"
    code, _, err = run("login", f"{FF}@x.ru", "--password-stdin",
                       stdin=io.StringIO("secret\n"))
    assert code == 2 and err == "mlm-tui: an argument is not valid UTF-8: \\xff@x.ru\n"


@pytest.mark.parametrize("stdin", [
    lambda: io.TextIOWrapper(io.BytesIO(b"pass\xffword\n"), encoding="utf-8"),  # a UTF-8 locale
    lambda: io.StringIO(f"pass{FF}word\n"),  # the C locale keeps the byte as a surrogate
], ids=["utf8-locale", "c-locale"])
def test_a_password_on_stdin_that_is_not_utf8_is_refused_unechoed(run, world_file, stdin):
    code, out, err = run("login", world.ANNA.registration_number, "--password-stdin",
                         stdin=stdin())
    assert (code, out) == (1, "")
    assert one_line(err) == "mlm-tui: the password is not valid UTF-8"
    assert sessions(world_file) == 0


def test_months_at_the_ends_of_the_calendar(logged_in):
    code, _, err = logged_in("orders", "list", "--month", "0000-01")
    assert code == 2 and "not a month (YYYY-MM): 0000-01" in usage_error(err)
    code, out, err = logged_in("orders", "list", "--month", "9999-12")
    assert (code, err) == (0, "")
    assert "No orders match." in out


@pytest.mark.parametrize("command", [["volume", "99999999999999999999"],
                                     ["orders", "list", "--member", "99999999999999999999"]])
def test_a_member_id_beyond_any_store_is_no_member(logged_in, command):
    code, out, err = logged_in(*command)
    assert (code, out) == (1, "")
    assert one_line(err) == "mlm-tui: no member 99999999999999999999 in your team"


@pytest.mark.parametrize("command", [["catalog", "search", "крем"], ["orders", "list"]])
def test_a_limit_beyond_64_bits_is_refused(logged_in, command):
    code, out, err = logged_in(*command, "--limit", str(2**64))
    assert (code, out) == (2, "")
    assert usage_error(err).endswith(f"argument --limit: must be at most {2**63 - 1}")


def test_the_largest_limit_is_taken(logged_in):
    code, _, err = logged_in("catalog", "search", "крем", "--limit", str(2**63 - 1))
    assert (code, err) == (0, "")


@pytest.mark.parametrize(("text", "said"), [
    ("session_days = 100000000\n", "session_days must be a whole number from 1 to 3650"),
    ("session_days = 14\nsession_days = 15\n", "is not valid TOML"),
    ("data_dir = 5\n", "data_dir must be text in quotes"),
    ("[smtp]\nhost = 'mail'\nport = 'twenty-five'\n", "smtp.port must be a whole number"),
    ("\xff = 1\n", "is not valid TOML"),
])
def test_a_broken_config_file_is_named_before_anything_runs(run, isolated_dirs, monkeypatch,
                                                            text, said):
    config = isolated_dirs / "config"
    config.mkdir()
    (config / "config.toml").write_bytes(text.encode("latin-1"))
    monkeypatch.setenv("MLM_TUI_CONFIG_DIR", str(config))
    for command in (["catalog", "search", "крем"], []):  # a command, and the app itself
        code, out, err = run(*command)
        assert (code, out) == (1, "")
        line = one_line(err)
        assert line.startswith(f"mlm-tui: {config / 'config.toml'}") and said in line


def test_a_demo_of_absurd_size_is_refused_before_anything_is_built(tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["demo", "--orders", "99999999999999", "--data-dir", str(data)]) == 1
    assert capsys.readouterr().err == "mlm-tui: orders must be between 0 and 20000000\n"
    assert not data.exists()
