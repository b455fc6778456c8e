"""Bytes written to the terminal per action, what a thin link (SSH over a slow line) pays.

Every program runs in a real pseudo-terminal at 80x24 (TERM=xterm-256color); its output
is counted from the key that starts an action until the program has been quiet for a
while (``--quiet`` seconds), and fed to a terminal emulator (pyte) to know when a screen
is drawn. The anchors, measured in the same run on the same rows: ``less`` and
``vim -R`` paging through the order history as the command line lists it.

    .venv/bin/python benchmarks/bench_bandwidth.py [--repeat N] [--idle SECONDS]
        [--baseline DIR]

The store is a fresh demo store (``mlm-tui demo``: 15 000 orders). Figures are medians of
``--repeat`` presses; idle is measured over ``--idle`` seconds and given per minute. The
app runs as sshd starts it (``SSH_CONNECTION`` set: no blinking cursor); ``--local``
runs it as on the desktop.

``--baseline DIR`` measures another checkout too, in the same run and the same way, and
prints its figures beside these: its own sources (``DIR/src``) run with this checkout's
Python and packages, on a demo store of its own. For instance, against ``main``:

    git worktree add --detach /tmp/bw-base main
    .venv/bin/python benchmarks/bench_bandwidth.py --baseline /tmp/bw-base
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from pathlib import Path

import pyte

COLUMNS, LINES = 80, 24
DOWN, PAGE_DOWN, F2, F5 = b"\x1b[B", b"\x1b[6~", b"\x1bOQ", b"\x1b[15~"
TARGETS = {"page down in the history": 2.5, "one row down": 0.3,
           "one character in catalog search": 2.5, "F5 to the history drawn": 15.0,
           "idle with a focused input, per minute": 1.0}


class _Screen(pyte.Screen):  # type: ignore[misc]
    def select_graphic_rendition(self, *attrs: int, private: bool = False) -> None:
        if not private:  # vim asks for xterm's modifyOtherKeys (CSI > 4;2 m): not drawing
            super().select_graphic_rendition(*attrs)


class Terminal:
    """A program in a pseudo-terminal; every byte it writes is counted."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], quiet: float) -> None:
        self.screen = _Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.quiet = quiet
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ.update(env)
            os.environ.update(TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(LINES))
            os.execvp(argv[0], list(argv))
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))

    def _read(self, timeout: float) -> int:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return -1
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            return -1
        self.stream.feed(chunk)
        return len(chunk)

    def shows(self, text: str) -> bool:
        return any(text in line for line in self.screen.display)

    def settle(self, until: str | None = None, limit: float = 30.0) -> int:
        """Bytes written until ``until`` shows (if given) and then nothing for a while."""
        total, deadline = 0, time.monotonic() + limit
        while until is not None and not self.shows(until):
            if time.monotonic() > deadline:
                raise TimeoutError(f"never saw {until!r}:\n" + "\n".join(self.screen.display))
            total += max(0, self._read(0.1))
        while time.monotonic() < deadline:
            got = self._read(self.quiet)
            if got < 0:
                break
            total += got
        return total

    def press(self, keys: bytes, until: str | None = None) -> int:
        self.settle()
        os.write(self.fd, keys)
        return self.settle(until)

    def idle(self, seconds: float) -> int:
        self.settle()
        total, deadline = 0, time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            total += max(0, self._read(left))
        return total

    def close(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def median_kb(samples: list[int]) -> float:
    return statistics.median(samples) / 1000


# ``mlm-tui`` of another checkout: its sources first on the path (PYTHONPATH), run by
# this checkout's Python with its packages.
FROM_SOURCES = "import sys; from mlm_tui.cli import main; sys.exit(main(sys.argv[1:]))"


def app_command(checkout: Path | None) -> tuple[list[str], dict[str, str]]:
    """The command that starts ``mlm-tui`` of ``checkout`` (None: this one), and what it
    adds to the environment."""
    if checkout is None:
        return [str(Path(sys.executable).parent / "mlm-tui")], {}
    sources = checkout.resolve() / "src"
    if not (sources / "mlm_tui").is_dir():
        raise SystemExit(f"{checkout}: no src/mlm_tui there, not a checkout of mlm-tui")
    return [sys.executable, "-c", FROM_SOURCES], {"PYTHONPATH": str(sources)}


def demo_store(command: list[str], env: dict[str, str]) -> tuple[tuple[str, str], str]:
    """A fresh demo store where ``env`` says: its login, and the history as the command
    line lists it (what the pagers page through)."""
    run = {**os.environ, **env}
    built = subprocess.run([*command, "demo"], check=True, text=True, capture_output=True,
                           env=run).stdout
    found = re.search(r"Log in as (\S+) .* password (\S+)", built)
    if found is None:
        raise SystemExit(f"the demo store gave no login:\n{built}")
    number, password = found.groups()
    subprocess.run([*command, "login", number, "--password-stdin"], input=password,
                   text=True, check=True, capture_output=True, env=run)
    listed = subprocess.run([*command, "orders", "list", "--limit", "3000"], check=True,
                            capture_output=True, text=True,
                            env={**run, "COLUMNS": str(COLUMNS)}).stdout
    subprocess.run([*command, "logout"], check=True, capture_output=True, env=run)
    return (number, password), listed


def measure_checkout(checkout: Path | None, tmp: Path, args: argparse.Namespace
                     ) -> tuple[dict[str, float], str]:
    """The app's figures for ``checkout`` (None: this one), on a demo store of its own
    under ``tmp``; and the history as its command line lists it."""
    command, extra = app_command(checkout)
    tmp.mkdir(parents=True, exist_ok=True)
    bin_dir = Path(sys.executable).parent
    env = {"MLM_TUI_DATA_DIR": f"{tmp}/data", "MLM_TUI_STATE_DIR": f"{tmp}/state",
           "MLM_TUI_CONFIG_DIR": f"{tmp}/config", "MLM_TUI_LANG": "en",
           "LANG": "C.UTF-8", "PATH": f"{bin_dir}:{os.environ['PATH']}", **extra}
    login, listed = demo_store(command, env)
    over_ssh = {} if args.local else {"SSH_CONNECTION": "127.0.0.1 50000 127.0.0.1 22"}
    return measure_app(command, {**env, **over_ssh}, login, args), listed


def measure_app(command: list[str], env: dict[str, str], login: tuple[str, str],
                args: argparse.Namespace) -> dict[str, float]:
    app = Terminal(command, env, args.quiet)
    try:
        app.settle("Password")
        os.write(app.fd, login[0].encode() + b"\t" + login[1].encode() + b"\r")
        app.settle("products")
        figures: dict[str, float] = {}
        idle = app.idle(args.idle)  # the catalog's search field has the focus
        figures["idle with a focused input, per minute"] = idle * 60 / args.idle / 1000
        typed = [app.press(letter.encode()) for letter in "крем"[: args.repeat]]
        figures["one character in catalog search"] = median_kb(typed)
        figures["F5 to the history drawn"] = app.press(F5, "newest first") / 1000
        figures["one row down"] = median_kb([app.press(DOWN) for _ in range(args.repeat)])
        figures["page down in the history"] = median_kb(
            [app.press(PAGE_DOWN) for _ in range(args.repeat)])
        return figures
    finally:
        app.close()


def measure_pager(argv: list[str], first_row: str, args: argparse.Namespace
                  ) -> dict[str, float]:
    pager = Terminal(argv, {}, args.quiet)
    try:
        pager.settle(first_row)
        return {"one row down": median_kb([pager.press(DOWN) for _ in range(args.repeat)]),
                "page down in the history": median_kb(
                    [pager.press(PAGE_DOWN) for _ in range(args.repeat)])}
    finally:
        pager.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--idle", type=float, default=10.0)
    parser.add_argument("--local", action="store_true",
                        help="not as over SSH: the text fields' cursor blinks")
    parser.add_argument("--quiet", type=float, default=0.5,
                        help="seconds without output that end an action")
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="another checkout (e.g. a worktree of main) measured in the "
                             "same run, its figures printed beside these")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        columns: dict[str, dict[str, float]] = {}
        if args.baseline is not None:
            columns["baseline"], _ = measure_checkout(args.baseline, Path(tmp) / "base", args)
        columns["mlm-tui"], listed = measure_checkout(None, Path(tmp) / "this", args)
        rows = Path(tmp) / "history.txt"
        rows.write_text(listed, encoding="utf-8")
        first_row = listed.splitlines()[1][:20]
        anchors = {"less": measure_pager(["less", str(rows)], first_row, args)}
        if shutil.which("vim"):
            anchors["vim -R"] = measure_pager(
                ["vim", "-R", "-u", "NONE", "-i", "NONE", str(rows)], first_row, args)

    load = os.getloadavg()[0]
    print(f"bytes written to an 80x24 terminal per action (KB = 1000 bytes); "
          f"median of {args.repeat}; {'local' if args.local else 'over SSH'}; "
          f"load {load:.1f}")
    if args.baseline is not None:
        print(f"  baseline: {args.baseline}; mlm-tui: this checkout")
    names = list(anchors)
    print(f"  {'action':40}" + "".join(f" {n:>9}" for n in columns) + f" {'target':>8}"
          + "".join(f" {n:>8}" for n in names))
    for action in columns["mlm-tui"]:
        figures = "".join(f" {kb[action]:9.2f}" for kb in columns.values())
        cells = "".join(f" {anchors[n][action]:8.2f}" if action in anchors[n] else f" {'':8}"
                        for n in names)
        print(f"  {action:40}{figures} {'<= ' + str(TARGETS[action]):>8}{cells}")


if __name__ == "__main__":
    main()
