"""Whether, and on which background, the terminal erases characters in place.

A run of blank cells can reach the terminal as one ECH (erase characters, ``CSI n X``)
rather than n spaces (see :mod:`mlm_tui.changed_cells`). Not every terminal has ECH (a
VT100 has not), and of those that have it only some erase with the background set at the
time (terminfo's ``bce``, back colour erase): the others erase to their own default
background, which is right only for cells drawn on that default. The terminal's terminfo
entry says which; a terminal it does not describe is written spaces.
"""

from __future__ import annotations

import enum
import os
from functools import lru_cache


class Erase(enum.Enum):
    NONE = "none"  # no ECH: blank cells are written as spaces
    DEFAULT_BACKGROUND = "default"  # ECH blanks to the default background only
    ANY_BACKGROUND = "any"  # ECH blanks with the background set (bce)


@lru_cache(maxsize=1)
def terminal_erase() -> Erase:
    """How the terminal named by ``TERM`` erases, from its terminfo entry. Asked once:
    curses reads one terminal description per process."""
    term = os.environ.get("TERM", "")
    if not term or term == "dumb":
        return Erase.NONE
    try:
        import curses

        curses.setupterm(term, 1)
        if not curses.tigetstr("ech"):
            return Erase.NONE
        return Erase.ANY_BACKGROUND if curses.tigetflag("bce") > 0 else Erase.DEFAULT_BACKGROUND
    except Exception:  # no curses, no terminfo entry, no terminal: spaces always work
        return Erase.NONE
