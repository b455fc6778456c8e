"""The test suite's time: the README's test command, beside the machine's speed that day.

This machine's speed varies from day to day by as much as the suite's own changes (the
same code took 2 min 48 s one day and 5 min 12 s another). So the baseline, measured in
the same run, before and after the suite, is a fixed piece of pure Python work in a fresh
interpreter. The suite's time is then also given at the reference speed: as if the
baseline had taken ``REFERENCE_BASELINE`` seconds, its figure on the day the suite first
ran under 3 minutes here.

    .venv/bin/python benchmarks/bench_suite.py [pytest options, e.g. tests/core]
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

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
    before_suite = baseline_seconds()
    started = time.monotonic()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, *README_COMMAND, "-p", "no:cacheprovider",
                           *sys.argv[1:]], cwd=ROOT, capture_output=True, text=True)
    wall = time.monotonic() - started
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
    print(f"  the whole output: {LOG.relative_to(ROOT)}")
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
