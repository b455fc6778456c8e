"""The terminal the full-screen app runs in: there must be one, and when it goes, so does
the app.

Without a terminal (a pipe, ``ssh host mlm-tui`` without ``-t``) the app cannot be used,
and once its input reaches end-of-file Textual's input thread reads nothing forever at
full speed, with the store kept open. So the app refuses to start without one, and a
watcher ends it when its input hangs up (the terminal window closed, the connection
dropped) even where no hang-up signal arrives.
"""

from __future__ import annotations

import contextlib
import os
import select
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

from mlm_tui.i18n import N_

NO_TERMINAL = N_("the app needs a terminal, and standard input or output is not one: over "
                 "SSH use `ssh -t`; scripts use the commands (`mlm-tui --help`)")
NO_TERMINAL_STATUS = 2
HANG_UP_STATUS = 129  # 128 + SIGHUP, as if the hang-up signal had ended it
GRACE_SECONDS = 3.0  # for the app to finish on its own before the process is ended


def has_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def over_ssh() -> bool:
    """Whether the terminal is at the other end of an SSH connection (sshd says so)."""
    return bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


@contextlib.contextmanager
def ended_when_input_closes(app: Any, fd: int | None, *,
                            last: Callable[[], None] | None = None) -> Iterator[None]:
    """While ``app`` runs inside this block, watch ``fd`` (its input; None: there is none
    to watch) and end the app when it hangs up. Once it has, the process ends: as the
    block is left, or ``GRACE_SECONDS`` after the hang-up should the app not have ended
    by then. ``last`` (ending an SSH key's session, say) runs first either way.

    The process is ended rather than left to finish: after a hang-up Textual's input
    thread may be left reading end-of-file forever, which would keep it alive."""
    ending = _Ending(last)
    if fd is not None:
        threading.Thread(target=_watch, args=(app, fd, ending), name="terminal-watch",
                         daemon=True).start()  # a daemon: it never keeps the process alive
    try:
        yield
    finally:
        if fd is not None and _has_hung_up(fd, wait_ms=0):
            ending.now()
        ending.called_off()


class _Ending:
    """The process's end once its input has hung up: ``last``, then the exit status a
    hang-up signal gives. Whoever comes first (the app ending, or the grace running out)
    ends it; the other finds it called off or waits for the exit."""

    def __init__(self, last: Callable[[], None] | None) -> None:
        self._last = last
        self._lock = threading.Lock()
        self._off = False

    def now(self) -> None:
        with self._lock:  # held to the exit: a second caller waits instead of racing it
            if self._off:
                return
            if self._last is not None:
                with contextlib.suppress(Exception):
                    self._last()
            os._exit(HANG_UP_STATUS)

    def called_off(self) -> None:
        with self._lock:
            self._off = True


def _has_hung_up(fd: int, wait_ms: int | None) -> bool:
    poller = select.poll()
    poller.register(fd, 0)  # no events asked: only hang-up and errors are reported
    hung_up = select.POLLHUP | select.POLLERR | select.POLLNVAL
    return any(events & hung_up for _fd, events in poller.poll(wait_ms))


def _watch(app: Any, fd: int, ending: _Ending) -> None:
    while not _has_hung_up(fd, wait_ms=None):
        pass
    # What the app does on the way out (restoring a terminal that is gone) may block or
    # fail: whatever it does, the process ends.
    ender = threading.Timer(GRACE_SECONDS, ending.now)
    ender.daemon = True
    ender.start()
    # The app may have ended already (by the hang-up signal) or not have started yet:
    # the timer alone decides then.
    with contextlib.suppress(Exception):
        app.call_from_thread(app.exit, return_code=HANG_UP_STATUS)
