"""Time a terminal program from process start until a text is drawn on its screen.

The program runs in a real pseudo-terminal; its output is fed to a terminal emulator
(pyte), and the clock stops when the emulated screen shows the text — what a person at
that terminal would see, not when some code path was reached.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import statistics
import time
from collections.abc import Sequence

import pyte


def time_until_drawn(
    argv: Sequence[str], text: str, *, size: tuple[int, int] = (80, 24), timeout: float = 30.0,
    env: dict[str, str] | None = None,
) -> float:
    """Seconds from spawning ``argv`` until ``text`` is visible on its screen."""
    return wall_and_cpu_until_drawn(argv, text, size=size, timeout=timeout, env=env)[0]


def _cpu_seconds(pid: int) -> float:
    """The CPU time (user and system, every thread) the process has used so far."""
    with open(f"/proc/{pid}/stat", "rb") as fh:
        fields = fh.read().rsplit(b")", 1)[1].split()
    # Fields 14 and 15 of stat(5), counted after the command's closing parenthesis.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wall_and_cpu_until_drawn(
    argv: Sequence[str], text: str, *, size: tuple[int, int] = (80, 24), timeout: float = 30.0,
    env: dict[str, str] | None = None,
) -> tuple[float, float]:
    """Seconds from spawning ``argv`` until ``text`` is visible on its screen, and the CPU
    seconds the program used by then. On a loaded machine the wall time waits for the
    other processes; the CPU time is the program's own work."""
    columns, lines = size
    screen = pyte.Screen(columns, lines)
    stream = pyte.ByteStream(screen)
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the program
        os.environ.update(env or {})
        os.environ["COLUMNS"], os.environ["LINES"] = str(columns), str(lines)
        os.environ.setdefault("TERM", "xterm-256color")
        os.execvp(argv[0], list(argv))
    try:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        deadline = started + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            stream.feed(chunk)
            if any(text in line for line in screen.display):
                return time.perf_counter() - started, _cpu_seconds(pid)
        raise TimeoutError(f"never saw {text!r}; screen was:\n" + "\n".join(screen.display))
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def summary(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   (n={len(ms)})"
