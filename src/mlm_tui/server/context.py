"""What a server process shares between requests: the settings, one store (one engine and
its pool), the clock and the notifier. Nothing about who is asking lives here: each
request gets a backend of its own, bound to the member of its bearer token."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypeAlias

from mlm_tui.core.errors import NotAuthenticated, SessionEnded
from mlm_tui.core.local import LocalBackend
from mlm_tui.core.local.store import Store
from mlm_tui.core.notifier import Notifier
from mlm_tui.core.settings import Settings

if TYPE_CHECKING:
    from starlette.requests import HTTPConnection


@dataclass
class ServerContext:
    settings: Settings
    store: Store
    clock: Callable[[], datetime]
    notifier: Notifier

    @classmethod
    def open(cls, settings: Settings, clock: Callable[[], datetime]) -> ServerContext:
        return cls(settings, Store(settings.store_path, settings.file_modes), clock,
                   Notifier.from_settings(settings))

    def backend(self, token: str | None = None) -> LocalBackend:
        """A backend for one request: signed in as the token's member, or as nobody.

        A token that no longer stands is ``SessionEnded``: the client held a session and
        must learn it is over, as a local backend tells its app at the next call."""
        backend = LocalBackend(self.settings, clock=self.clock, store=self.store,
                               notifier=self.notifier)
        if token:
            try:
                backend.resume(token)
            except NotAuthenticated as ended:
                raise SessionEnded(ended.message) from None
        return backend

    def close(self) -> None:
        self.store.close()


# Which context a request is served from: always the one, but for a test server that
# serves many stores from one app.
ContextOf: TypeAlias = "Callable[[HTTPConnection], ServerContext]"
