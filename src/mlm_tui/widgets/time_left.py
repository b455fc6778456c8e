"""How long until something may be tried again, in words: "4 min 30 s", "45 s"."""

from __future__ import annotations

from datetime import timedelta

from mlm_tui.i18n import _


def time_left_text(left: timedelta) -> str:
    seconds = max(0, int(left.total_seconds() + 0.999))  # 0.2 s left still reads "1 s"
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
    if minutes and not seconds:
        return _("{minutes} min").format(minutes=minutes)
    if minutes:
        return _("{minutes} min {seconds} s").format(minutes=minutes, seconds=seconds)
    return _("{seconds} s").format(seconds=seconds)
