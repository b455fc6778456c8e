"""Run ``mlm-tui`` commands, each in a process that has imported nothing of mlm_tui.

    python tests/fresh_commands.py PLAN.json

PLAN.json is a list of ``{"argv": [...], "stdin": "..."}``; the exit status, standard
output and standard error of each go, in the same order, into ``results.json`` beside it.

An interpreter start costs more than most commands, so this one loads the heavy
third-party libraries once and forks a child per command. Each child then imports the
package itself, in the order its command does when started from the shell: an import
cycle that another command's imports would hide shows up here.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import traceback
from pathlib import Path

# Third-party and standard modules only: loaded once here, shared by every child.
import argon2  # noqa: F401
import babel.numbers  # noqa: F401
import keyring  # noqa: F401
import platformdirs  # noqa: F401
import rich.console
import rich.progress
import rich.table  # noqa: F401
import sqlalchemy.dialects.sqlite.pysqlite  # noqa: F401

BROKEN = 70  # the child itself failed (a traceback is on its stderr)


def _child(argv: list[str], stdin: Path, out: Path, err: Path) -> int:
    for fd, path, flags in ((0, stdin, os.O_RDONLY), (1, out, os.O_WRONLY | os.O_CREAT),
                            (2, err, os.O_WRONLY | os.O_CREAT)):
        opened = os.open(path, flags, 0o600)
        os.dup2(opened, fd)
        os.close(opened)
    try:
        already = sorted(name for name in sys.modules if name.startswith("mlm_tui"))
        if already:
            print(f"not fresh: {already}", file=sys.stderr)
            return BROKEN
        from mlm_tui.cli import main

        return main(argv)
    except SystemExit as done:  # argparse: --help and usage errors
        return done.code if isinstance(done.code, int) else BROKEN
    except BaseException:
        traceback.print_exc()
        return BROKEN
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def run(step: dict, folder: Path, index: int) -> dict:
    stdin, out, err = (folder / f"{index}.{name}" for name in ("in", "out", "err"))
    stdin.write_text(step.get("stdin", ""), encoding="utf-8")
    pid = os.fork()
    if pid == 0:
        os._exit(_child(step["argv"], stdin, out, err))
    _, status = os.waitpid(pid, 0)
    return {"argv": step["argv"], "code": os.waitstatus_to_exitcode(status),
            "out": out.read_text(encoding="utf-8"), "err": err.read_text(encoding="utf-8")}


def main() -> None:
    plan_path = Path(sys.argv[1])
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as scratch:
        results = [run(step, Path(scratch), index) for index, step in enumerate(plan)]
    (plan_path.parent / "results.json").write_text(json.dumps(results), encoding="utf-8")


if __name__ == "__main__":
    main()
