"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, for mail tests."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from mlm_tui.core.settings import SmtpSettings


@dataclass
class Inbox:
    """Messages the server accepted; ``refuse`` makes it refuse every recipient.

    ``stall()`` makes it stop before answering a message's data until ``release()``, as a
    slow mail server does; ``stalled`` is set once a message is waiting there."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse: bool = False
    stalled: threading.Event = field(default_factory=threading.Event)
    _go_on: threading.Event | None = None

    def stall(self) -> None:
        self._go_on = threading.Event()

    def release(self) -> None:
        if self._go_on is not None:
            self._go_on.set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self._go_on is not None:
            self.stalled.set()
            await asyncio.get_running_loop().run_in_executor(None, self._go_on.wait)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    """A port nothing listens on (bound, read, and released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, SmtpSettings]]:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, SmtpSettings(host="127.0.0.1", port=controller.port,
                                  sender="office@example.ru", timeout=5.0)
    finally:
        inbox.release()  # a message still stalled would keep the server from stopping
        controller.stop()
