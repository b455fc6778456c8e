"""The test suite's time: the README's test command, beside the machine's speed that day.

This machine's speed varies from day to day by as much as the suite's own changes (the
same code took 2 min 48 s one day and 5 min 12 s another). So the baseline, measured in
the same run, before and after the suite, is a fixed piece of pure Python work in a fresh
interpreter. The suite's time is then also given at the reference speed: as if the
baseline had taken ``REFERENCE_BASELINE`` seconds, its figure on the day the suite first
ran under 3 minutes here.

    .venv/bin/python benchmarks/bench_suite.py [--by-process] [pytest options, e.g. tests/core]

``--by-process`` also says where the CPU went (the test workers, their test servers,
PostgreSQL, ...), read from ``/proc`` ten times a second; the reading costs a few per cent
of a core, so the timed figures of such a run are a little slower.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from _process_cpu import POSTGRESQL, ProcessCPU

ROOT = Path(__file__).resolve().parent.parent
README_COMMAND = ["-m", "pytest", "-n", "auto", "-q"]
# Ten million additions in a loop: the interpreter's speed, which the suite's time follows.
BASELINE = "total = 0\nfor i in range(10_000_000):\n    total += i\n"
REFERENCE_BASELINE = 0.65  # seconds; the baseline on the day the suite took 2 min 48 s
TARGET = 180.0  # seconds: the README's test command at most 3 minutes
LOG = ROOT / "benchmarks" / "out" / "suite.log"  # the whole output, for a failure's detail


def baseline_seconds(runs: int = 3) -> float:
    """CPU seconds of the baseline in a fresh interpreter, the median of ``runs``."""
    samples = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", BASELINE], check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        samples.append(after.ru_utime - before.ru_utime)
    return statistics.median(samples)


def main() -> None:
    options = sys.argv[1:]
    by_process = "--by-process" in options
    options = [option for option in options if option != "--by-process"]
    before_suite = baseline_seconds()
    started = time.monotonic()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    suite = subprocess.Popen([sys.executable, *README_COMMAND, "-p", "no:cacheprovider",
                              *options], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    sampling = ProcessCPU(suite.pid) if by_process else None
    stdout, stderr = suite.communicate()
    done = subprocess.CompletedProcess(suite.args, suite.returncode, stdout, stderr)
    wall = time.monotonic() - started
    by_kind = sampling.stop() if sampling is not None else None
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    after_suite = baseline_seconds()
    cpu = (after.ru_utime - used.ru_utime) + (after.ru_stime - used.ru_stime)
    LOG.parent.mkdir(exist_ok=True)
    LOG.write_text(done.stdout + done.stderr)
    lines = done.stdout.strip().splitlines()
    last = lines[-1:] or ["(no output)"]
    for failed in (line for line in lines if line.startswith(("FAILED", "ERROR"))):
        print(failed)
    speed = statistics.mean([before_suite, after_suite])
    scaled = wall * REFERENCE_BASELINE / speed
    print(f"the README's test command: {last[0]}")
    print(f"  wall {wall:7.1f} s   CPU (user + system, every process) {cpu:7.1f} s")
    print(f"  baseline (10M additions, CPU) {before_suite:.2f} s before, {after_suite:.2f} s "
          f"after; reference {REFERENCE_BASELINE:.2f} s")
    print(f"  wall at the reference speed {scaled:7.1f} s; target <= {TARGET:.0f} s")
    if by_kind is not None:
        print_by_kind(by_kind, cpu)
    print(f"  the whole output: {LOG.relative_to(ROOT)}")
    sys.exit(done.returncode)


def print_by_kind(by_kind: Counter[str], cpu: float) -> None:
    print("  CPU by kind of process:")
    ours = sum(seconds for kind, seconds in by_kind.items() if kind != POSTGRESQL)
    for kind, seconds in by_kind.most_common():
        print(f"    {kind:<36} {seconds:7.1f} s")
    # What the kernel counted for the suite's processes, less what the samples saw of them.
    print(f"    {'processes too short to be seen':<36} {max(cpu - ours, 0.0):7.1f} s")


if __name__ == "__main__":
    main()
