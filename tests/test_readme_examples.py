"""Every command of the README's command-line section runs as written on the demo store,
and the codes the app offers as examples exist there."""

from __future__ import annotations

import csv
import io
import re
import shlex
import sys
from pathlib import Path

import pytest

from mlm_tui.cli import main
from mlm_tui.core.demo import EXAMPLE_CODES, build_demo

pytestmark = pytest.mark.long_running  # runs for seconds: first in the run

README = Path(__file__).parents[1] / "README.md"
# The demo line runs at the sizes the tests use: the default build takes seconds. The
# examples name only what every size holds (``demo.EXAMPLE_CODES``, the first members).
TEST_SIZES = ["--products", "60", "--orders", "2000", "--members", "12"]


def command_lines() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## Command line", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None, "the README's command-line section has a sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def run_line(line: str, capsys: pytest.CaptureFixture[str],
             monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    """One README line as a shell would run it: ``echo X |`` feeds standard input,
    ``> FILE`` takes standard output; the rest is ``mlm-tui``'s arguments."""
    words = shlex.split(line, comments=True)
    if "|" in words:
        bar = words.index("|")
        assert words[0] == "echo", line
        monkeypatch.setattr(sys, "stdin", io.StringIO(" ".join(words[1:bar]) + "\n"))
        words = words[bar + 1:]
    target = None
    if ">" in words:
        target = words[words.index(">") + 1]
        words = words[:words.index(">")]
    assert words[0] == "mlm-tui", line
    args = words[1:] + (TEST_SIZES if words[1:] == ["demo"] else [])
    code = main(args)
    out, err = capsys.readouterr()
    if target is not None:
        Path(target).write_text(out, encoding="utf-8")
    return code, out, err


def test_every_readme_command_runs_as_written_on_the_demo_store(tmp_path, capsys,
                                                                monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = command_lines()
    assert len(lines) >= 6
    for line in lines:
        code, out, err = run_line(line, capsys, monkeypatch)
        assert code == 0, f"{line}\n{err}"
        if "demo" not in line:  # the build draws its progress on stderr
            assert err == "", f"{line}\n{err}"
        if "catalog show" in line:
            assert shlex.split(line)[-1] in out
        if "catalog search" in line:
            assert "No product matches." not in out
        if "volume" in line:
            assert shlex.split(line)[2] in out
    october = list(csv.DictReader(io.StringIO((tmp_path / "october.csv").read_text())))
    assert october and {row["Source"] for row in october} == {"AS"}


@pytest.mark.parametrize("products", [10, 60, 3200, 95_000])
def test_the_example_codes_are_in_every_demo_catalog(tmp_path, products):
    import random

    from mlm_tui.core.demo import _with_examples

    drawn = random.Random(7).sample(range(10_000, 1_000_000), products)
    codes = _with_examples(drawn)
    assert len(set(codes)) == products and codes == sorted(codes)
    assert set(EXAMPLE_CODES) <= set(codes)
    assert len(set(codes) - set(drawn)) <= len(EXAMPLE_CODES)  # the rest as drawn


def test_a_small_demo_store_holds_the_example_codes(tmp_path):
    import sqlite3

    path = tmp_path / "store.db"
    build_demo(path, products=10, orders=0, members=0)
    conn = sqlite3.connect(path)
    try:
        held = {code for (code,) in conn.execute("SELECT code FROM products")}
    finally:
        conn.close()
    assert {str(code) for code in EXAMPLE_CODES} <= held
