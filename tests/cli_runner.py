"""The CLI run in-process over a data dir, as the command-line tests drive it."""

from __future__ import annotations

import io
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mlm_tui.cli import main

Run = Callable[..., tuple[int, str, str]]


def copy_store(template: Path, tmp_path: Path) -> Path:
    """A data dir holding a fresh copy of ``template``."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(template, folder / "store.db")
    return folder


def runner(data_dir: Path, capsys: pytest.CaptureFixture[str],
           monkeypatch: pytest.MonkeyPatch) -> Run:
    """``run(*args, stdin=None)``: ``mlm-tui --data-dir DATA ARGS`` -> (exit code, stdout,
    stderr)."""

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["--data-dir", str(data_dir), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run
