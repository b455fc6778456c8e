"""Start-up: from process start until the login screen is drawn in a real terminal.

Both programs run in a pseudo-terminal at 80x24 and the clock stops when the emulated
screen shows the login form's first field, what a person sees. The baseline, measured
in the same run and interleaved with the app so both see the same machine: a bare Textual
app with a label and two inputs (``bare_app.py``).

The app opens on a demo store that already exists, with no saved session, so it shows
the login screen as a returning user without a session sees it.

    .venv/bin/python benchmarks/bench_startup.py [--runs N] [--lang ru]

``--lang`` starts the app in that language (``MLM_TUI_LANG``); the clock stops when the
field shows in it. Both the wall time and the CPU time used by then are reported: on a
loaded machine the wall time waits for others, the CPU time is the program's own work.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _terminal import summary, time_until_drawn, wall_and_cpu_until_drawn

FIELD = "Registration number or e-mail"
# The same field in each language of the app.
FIELDS = {"en": FIELD, "ru": "Рег. номер или эл. почта", "de": "Mitgliedsnummer oder E-Mail"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--lang", choices=sorted(FIELDS), default="en")
    args = parser.parse_args()
    field = FIELDS[args.lang]
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        env = {"MLM_TUI_DATA_DIR": f"{tmp}/data", "MLM_TUI_STATE_DIR": f"{tmp}/state",
               "MLM_TUI_CONFIG_DIR": f"{tmp}/config", "MLM_TUI_LANG": args.lang}
        subprocess.run([str(bin_dir / "mlm-tui"), "demo", "--data-dir", f"{tmp}/data"],
                       check=True, capture_output=True, env={**env, "PATH": str(bin_dir)})
        app = [str(bin_dir / "mlm-tui")]
        bare = [sys.executable, str(Path(__file__).parent / "bare_app.py")]
        # One of each first, untimed: the first run pays for a cold disk cache.
        time_until_drawn(app, field, env=env)
        time_until_drawn(bare, FIELD, env=env)
        app_runs, bare_runs, app_cpu, bare_cpu = [], [], [], []
        for _ in range(args.runs):
            wall, cpu = wall_and_cpu_until_drawn(app, field, env=env)
            app_runs.append(wall)
            app_cpu.append(cpu)
            wall, cpu = wall_and_cpu_until_drawn(bare, FIELD, env=env)
            bare_runs.append(wall)
            bare_cpu.append(cpu)
    ratio = statistics.median(app_runs) / statistics.median(bare_runs)
    cpu_ratio = statistics.median(app_cpu) / statistics.median(bare_cpu)
    print(f"process start to the login form drawn, 80x24 pty, language {args.lang}")
    print(f"  mlm-tui (login screen)        {summary(app_runs)}")
    print(f"  baseline: bare Textual app    {summary(bare_runs)}")
    print(f"  ratio of medians {ratio:.2f}x; target <= 1.25x")
    print("CPU time used by then (user + system, the process's own work):")
    print(f"  mlm-tui (login screen)        {summary(app_cpu)}")
    print(f"  baseline: bare Textual app    {summary(bare_cpu)}")
    print(f"  ratio of medians {cpu_ratio:.2f}x; target <= 1.25x")


if __name__ == "__main__":
    main()
