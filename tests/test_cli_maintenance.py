"""``mlm-tui maintenance``: retention dry run and apply, export and erase from the shell."""

from __future__ import annotations

import json

import pytest

from mlm_tui.cli import main
from tests import world


def run(argv: list[str], world_file) -> int:
    return main([*argv, "--data-dir", str(world_file.parent)])


def test_retention_is_a_dry_run_by_default(world_file, capsys):
    assert run(["maintenance", "retention", "--as-of", "2026-11-20"], world_file) == 0
    out = capsys.readouterr().out
    assert "1000004  Ирина Иванова" in out
    assert "Nothing changed: run with --apply" in out
    assert run(["maintenance", "retention", "--as-of", "2026-11-20"], world_file) == 0
    assert "1000004  Ирина Иванова" in capsys.readouterr().out


def test_retention_apply_anonymises_and_then_nothing_is_due(world_file, capsys):
    assert run(["maintenance", "retention", "--apply", "--as-of", "2026-11-20"],
               world_file) == 0
    assert "anonymised as of 2026-11-20" in capsys.readouterr().out
    run(["maintenance", "retention", "--as-of", "2026-11-20"], world_file)
    assert "No account is due for removal as of 2026-11-20." in capsys.readouterr().out


def test_export_prints_json_or_writes_a_file(world_file, capsys, tmp_path):
    assert run(["maintenance", "export-personal-data", world.KLAUS.registration_number],
               world_file) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["full_name"] == "Klaus Müller"
    target = tmp_path / "klaus.json"
    run(["maintenance", "export-personal-data", world.KLAUS.registration_number,
         "--output", str(target)], world_file)
    assert json.loads(target.read_text(encoding="utf-8"))["email"] == world.KLAUS.email


def test_erase_needs_yes(world_file, capsys):
    assert run(["maintenance", "erase-personal-data", world.IRINA.registration_number],
               world_file) == 2
    assert "--yes" in capsys.readouterr().err
    run(["maintenance", "export-personal-data", world.IRINA.registration_number], world_file)
    assert json.loads(capsys.readouterr().out)["full_name"] == world.IRINA.full_name


def test_erase_with_yes_and_an_unknown_number(world_file, capsys):
    assert run(["maintenance", "erase-personal-data", world.IRINA.registration_number,
                "--yes"], world_file) == 0
    assert "erased; orders are kept" in capsys.readouterr().out
    run(["maintenance", "export-personal-data", world.IRINA.registration_number], world_file)
    assert json.loads(capsys.readouterr().out)["email"] is None
    assert run(["maintenance", "erase-personal-data", "9999999", "--yes"], world_file) == 1
    assert "9999999" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["retention", "export-personal-data 1000001"])
def test_a_missing_store_is_named(tmp_path, command, capsys):
    assert run(["maintenance", *command.split()], tmp_path / "nowhere" / "store.db") == 1
    assert "no store at" in capsys.readouterr().err
    assert not (tmp_path / "nowhere" / "store.db").exists()
