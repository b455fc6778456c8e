"""Where a command's CPU went, by kind of process: read from ``/proc`` while it runs.

The suite is bound by its CPU on 2 cores, and much of that is spent outside the test
workers: in each worker's test server, in PostgreSQL, in the app started in a terminal.
``ProcessCPU`` samples every process ten times a second and keeps each one's last CPU time;
the command's descendants are found by their parents, PostgreSQL's backends by name.
A process that lived less than a sample's interval is not seen: the caller compares the
sum with what the kernel counted for its children.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
# A kind of process: the first pattern its command line holds.
KINDS = (
    ("test workers", "exec(eval(sys.stdin.readline()))"),
    ("test team servers", "tests.remote_server"),
    ("mlm-tui serve", "mlm_tui serve"),
    ("mlm-tui serve", "mlm-tui serve"),
    ("the app and the CLI", "mlm_tui"),
    ("the app and the CLI", "mlm-tui"),
    ("pytest itself", "pytest"),
)
POSTGRESQL = "PostgreSQL (not in the CPU above)"


@dataclass(frozen=True, slots=True)
class ProcStat:
    parent: int
    cpu: float  # user and system seconds so far
    started: float  # seconds after the machine booted
    name: str


def proc_stat(pid: int | str) -> ProcStat | None:
    """What ``/proc`` says of process ``pid``; None once it has gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return ProcStat(int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS,
                    int(fields[19]) / TICKS, stat[stat.index("(") + 1:stat.rindex(")")])


def _uptime() -> float:
    return float(Path("/proc/uptime").read_text().split()[0])


def _command(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(
            errors="replace")
    except OSError:
        return ""


class ProcessCPU:
    """Sample the processes below ``root`` (and PostgreSQL's) until ``stop``."""

    def __init__(self, root: int) -> None:
        self.root = root
        self._began = _uptime()
        # pid: (kind, CPU seconds before the command began, CPU seconds last seen)
        self._seen: dict[str, tuple[str, float, float]] = {}
        self._family = {str(root)}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.wait(0.1):
            self._sample()
        self._sample()

    def _sample(self) -> None:
        for pid in (entry for entry in os.listdir("/proc") if entry.isdigit()):
            stat = proc_stat(pid)
            if stat is None:
                continue
            if pid in self._seen:
                kind, before, _last = self._seen[pid]
            elif pid in self._family or str(stat.parent) in self._family:
                self._family.add(pid)
                kind, before = _kind(_command(pid)), 0.0
            elif stat.name == "postgres":
                # A backend of the command's, or PostgreSQL's own work meanwhile.
                kind, before = POSTGRESQL, stat.cpu if stat.started < self._began else 0.0
            else:
                continue
            self._seen[pid] = (kind, before, stat.cpu)

    def stop(self) -> Counter[str]:
        """CPU seconds spent meanwhile, by kind of process."""
        self._done.set()
        self._thread.join()
        by_kind: Counter[str] = Counter()
        for kind, before, last in self._seen.values():
            by_kind[kind] += last - before
        return by_kind


def _kind(command: str) -> str:
    return next((kind for kind, pattern in KINDS if pattern in command), "other")
