"""Processes writing one store take turns: while two write back to back (a server's two
workers under load), neither has more than a few turns in a row, so neither's writers
wait while the other's go again and again."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from itertools import groupby
from pathlib import Path

import pytest

from mlm_tui.core.local.store import Store

WRITES = 100
MOST_IN_A_ROW = 10  # a process kept off the CPU for a while may miss a turn or two

WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from mlm_tui.core.local.store import Store

    path, name, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    store = Store(path)
    with store.write() as conn:  # its connection opened, as a server's are
        conn.exec_driver_sql("SELECT count(*) FROM turns")
    (path.parent / f"ready-{name}").touch()
    while not go.exists():
        time.sleep(0.01)
    for _ in range(WRITES):
        with store.write() as conn:
            conn.exec_driver_sql("INSERT INTO turns (who) VALUES (?)", (name,))
            time.sleep(0.003)  # a transaction holds the lock a while, as an order's does
    store.close()
""").replace("WRITES", str(WRITES))


@pytest.mark.skipif(sys.platform == "win32", reason="the turns are flock's, not on Windows")
def test_two_processes_writing_back_to_back_take_turns(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store = Store(path)
    with store.write() as conn:
        conn.exec_driver_sql("CREATE TABLE turns (n INTEGER PRIMARY KEY, who TEXT)")
    go = tmp_path / "go"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, str(go)])
               for name in ("first", "second")]
    while not all((tmp_path / f"ready-{name}").exists() for name in ("first", "second")):
        assert all(w.poll() is None for w in writers), "a writer stopped before writing"
    go.touch()
    assert [w.wait(timeout=120) for w in writers] == [0, 0]

    with store.read() as conn:
        turns = [row[0] for row in conn.exec_driver_sql("SELECT who FROM turns ORDER BY n")]
    store.close()
    assert turns.count("first") == turns.count("second") == WRITES
    # While both still had writes to make: until the first of them was done.
    both = turns[:min(len(turns) - turns[::-1].index(name) for name in ("first", "second"))]
    longest = max(len(list(turns_in_a_row)) for _who, turns_in_a_row in groupby(both))
    assert longest <= MOST_IN_A_ROW
