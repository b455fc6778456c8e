"""The one place the app hooks into Textual's dispatch of messages to widgets.

A handler that fails is handed to the running app (``handler_failed``) before it stops
the widget's message loop (:mod:`mlm_tui.failures`). An app without that method, or
refusing the failure, sees Textual's own behaviour.

The app's ``key_gate`` (:mod:`mlm_tui.key_gate`), if it has one, is told when a widget
starts and finishes handling a message, so that keys wait until those before them landed.
"""

from __future__ import annotations

from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from textual._context import active_app
from textual.message import Message
from textual.message_pump import MessagePump

_Dispatch = Callable[[MessagePump, Message], Awaitable[None]]


def hook_dispatch() -> None:
    """Installed once per process; Textual is pinned, and a test covers the hook."""
    original: _Dispatch = MessagePump._dispatch_message
    if getattr(original, "_mlm_hooked", False):
        return

    async def dispatch(self: MessagePump, message: Message) -> None:
        app: Any = active_app.get(None)
        key_gate = getattr(app, "key_gate", None)
        if key_gate is not None:
            key_gate.dispatching(self)
        try:
            await original(self, message)
        except CancelledError:
            raise
        except Exception as error:
            handler_failed = getattr(app, "handler_failed", None)
            if handler_failed is None or not handler_failed(error):
                raise
        finally:
            if key_gate is not None:
                key_gate.dispatched(self)

    dispatch._mlm_hooked = True  # type: ignore[attr-defined]
    MessagePump._dispatch_message = dispatch  # type: ignore[method-assign]
