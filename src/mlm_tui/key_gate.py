"""Keys arriving together land where they would have landed typed one by one.

Textual hands every key to the widget focused when the app *reads* it; the widget
handles it later, from its own queue. Keys that arrive together (a paste, a stalled SSH
link, typing while the app draws) are all read before the first is handled, so a Tab,
an Enter that moves the focus or a key that opens a screen acts too late: the login,
a Tab and the password sent at once all land in the login field, the password in clear.

The gate lets a key (or a paste) through only when the app has settled: no widget or
screen is handling a message and none has one waiting. Until then later keys wait here,
in order. A key typed by hand finds the app settled and goes at once, as it would
without the gate. Something that never settles (a handler that hangs) is not waited
for longer than ``GIVE_UP_SECONDS``, so input never stalls.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from time import monotonic
from typing import Any
from weakref import WeakKeyDictionary

from textual import events
from textual.message_pump import MessagePump

# How long a widget may hold up the keys after it without making any progress.
GIVE_UP_SECONDS = 0.5

Input = events.Key | events.Paste


class KeyGate:
    """Holds keys and pastes until the ones before them have been handled."""

    def __init__(self, app: Any, route: Callable[[Input], Awaitable[None]]) -> None:
        """``route(event)`` hands a key or paste on as Textual would (to the focus)."""
        self._app = app
        self._route = route
        self._held: deque[Input] = deque()
        # Widgets and screens handling a message, and how deep.
        self._busy: dict[MessagePump, int] = {}
        # Since when a widget with work to do was last seen making progress.
        self._progress: WeakKeyDictionary[MessagePump, float] = WeakKeyDictionary()
        self._wake: asyncio.TimerHandle | None = None

    # --- told by the app -------------------------------------------------------------------
    def holds(self, event: object) -> bool:
        """True when ``event`` is a key or paste that must wait its turn (it is kept)."""
        if not isinstance(event, Input) or event.is_forwarded:
            return False
        if not self._held and self._settled():
            return False
        self._held.append(event)
        self._wake_later()
        return True

    # --- told by the message dispatch (mlm_tui.dispatch) -----------------------------------
    def dispatching(self, pump: MessagePump) -> None:
        if pump is self._app:  # the app reads keys one at a time already
            return
        self._busy[pump] = self._busy.get(pump, 0) + 1
        self._progress[pump] = monotonic()

    def dispatched(self, pump: MessagePump) -> None:
        if pump is self._app:
            return
        depth = self._busy.pop(pump, 1) - 1
        if depth:
            self._busy[pump] = depth
            self._progress[pump] = monotonic()
        elif pump._message_queue.empty():
            self._progress.pop(pump, None)
        else:
            self._progress[pump] = monotonic()
        if self._held:
            self._ask_release()

    # --- letting keys through --------------------------------------------------------------
    def _settled(self) -> bool:
        if any(isinstance(message, events.InputEvent | events.Paste) and message.is_forwarded
               for message in self._app._message_queue.values):
            return False  # a key on its way back to the app's bindings
        now = monotonic()
        if any(self._making_progress(pump, now) for pump in self._busy):
            return False
        for node in list(self._app._registry):
            if node._closing or node._closed or node in self._busy:
                continue
            has_work = not node._message_queue.empty() or bool(node._next_callbacks)
            if has_work and self._making_progress(node, now):
                return False
        return True

    def _making_progress(self, pump: MessagePump, now: float) -> bool:
        """A widget with work to do is waited for, unless it has been stuck a while."""
        return now - self._progress.setdefault(pump, now) < GIVE_UP_SECONDS

    def _ask_release(self) -> None:
        # Through the app's own queue, each time anew: behind whatever the widget that just
        # finished handed on to the app (a key for the app's bindings).
        self._app.call_later(self._release)

    async def _release(self, *, confirmed: bool = False) -> None:
        if not self._held:
            return
        if not self._settled():
            self._wake_later()
        elif not confirmed:
            # Once more behind what the app has queued meanwhile: it may change the focus.
            self._app.call_later(self._release, confirmed=True)
        else:
            await self._route(self._held.popleft())
            if self._held:
                self._ask_release()

    def _wake_later(self) -> None:
        # Nothing may finish for a while (a widget stuck): look again then.
        if self._wake is not None:
            self._wake.cancel()
        self._wake = asyncio.get_running_loop().call_later(
            GIVE_UP_SECONDS, self._ask_release)
