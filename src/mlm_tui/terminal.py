"""The terminal the full-screen app runs in: there must be one, and when it goes, so does
the app.

Without a terminal (a pipe, ``ssh host mlm-tui`` without ``-t``) the app cannot be used,
and once its input reaches end-of-file Textual's input thread reads nothing forever at
full speed, with the store kept open. So the app refuses to start without one, and a
watcher ends it when its input hangs up (the terminal window closed, the connection
dropped) even where no hang-up signal arrives.
"""

from __future__ import annotations

import os
import select
import sys
import threading
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


def exit_when_input_closes(app: Any, fd: int) -> threading.Thread:
    """Watch ``fd`` (the app's input) and end ``app`` when it hangs up. Returns the
    watching thread (a daemon: it never keeps the process alive)."""
    watcher = threading.Thread(target=_watch, args=(app, fd), name="terminal-watch",
                               daemon=True)
    watcher.start()
    return watcher


def _watch(app: Any, fd: int) -> None:
    poller = select.poll()
    poller.register(fd, 0)  # no events asked: only hang-up and errors are reported
    hung_up = select.POLLHUP | select.POLLERR | select.POLLNVAL
    while not any(events & hung_up for _fd, events in poller.poll()):
        pass
    # What the app does on the way out (restoring a terminal that is gone) may block or
    # fail: whatever it does, the process ends.
    ender = threading.Timer(GRACE_SECONDS, os._exit, (HANG_UP_STATUS,))
    ender.daemon = True
    ender.start()
    try:
        app.call_from_thread(app.exit, return_code=HANG_UP_STATUS)
    except Exception:  # the app is not running: nothing left to end gracefully
        os._exit(HANG_UP_STATUS)
