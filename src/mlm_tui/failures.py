"""A failure of the app's own code never ends the app with the user's work in it.

Textual ends the app on any exception a handler lets through, and the widget whose
handler failed stops reading messages even before that. A failing handler is caught
where Textual dispatches messages (:mod:`mlm_tui.dispatch`), so the widget keeps
working; the failure is
written (with its traceback) to a log in the state dir and shown in a notification,
and whatever the user typed stays on the screen.

Only an app that asks for it (``MlmApp(error_log=...)``, as ``run_app`` does) keeps
going; without a log the app fails as Textual does, which is what tests want.
"""

from __future__ import annotations

import os
import traceback
from datetime import UTC, datetime
from pathlib import Path


def write_failure(log: Path, error: BaseException, *, now: datetime | None = None) -> None:
    """Append the failure with its traceback to ``log`` (0600, in a 0700 directory).

    Only the traceback and the exception's own text: no local variables, which could hold
    a password being typed."""
    log.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    text = "".join(traceback.format_exception(error))
    descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as file:
        file.write(f"--- {stamp}\n{text}\n")


def failure_summary(error: BaseException) -> str:
    """One line saying what failed: the kind of error and its first line."""
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {first_line}" if first_line else type(error).__name__
