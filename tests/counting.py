"""A real backend that counts the calls made to it, by method name.

    counting = CountingBackend(LocalBackend(...))
    ...                                   # open a screen, press a key
    assert counting.take() == {"order": 1}

Over HTTP every call is a round trip, so a screen's tests say how many calls one user
action costs. ``take`` returns the calls since the last ``take`` and starts counting
afresh. Calls the backend makes to itself are not counted: only what crosses the seam.

``changes_since`` is left out of the counts: the app asks it on a timer (and once after a
write), whatever screen is open, so it belongs to no action.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

NOT_COUNTED = frozenset({"changes_since"})


class CountingBackend:
    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._calls: Counter[str] = Counter()
        self._lock = threading.Lock()  # screens call from thread workers

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        if name.startswith("_") or name in NOT_COUNTED or not callable(value):
            return value

        def counted(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self._calls[name] += 1
            return value(*args, **kwargs)

        return counted

    def take(self) -> dict[str, int]:
        """The calls since the last ``take``, by method name; counting starts afresh."""
        with self._lock:
            calls, self._calls = dict(self._calls), Counter()
        return calls


def counting_wrap() -> tuple[Callable[[Any], CountingBackend], Callable[[], CountingBackend]]:
    """A ``wrap`` for ``make_app`` and a way to reach the wrapper it made."""
    made: list[CountingBackend] = []

    def wrap(backend: Any) -> CountingBackend:
        made.append(CountingBackend(backend))
        return made[-1]

    return wrap, lambda: made[-1]
