"""What a server process shares between requests: the settings, one store (one engine and
its pool), the clock and the notifier. Nothing about who is asking lives here: each
request gets a backend of its own, bound to the member of its bearer token."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeAlias

from mlm_tui.core.errors import Forbidden, NotAuthenticated, NotFound, SessionEnded
from mlm_tui.core.local import LocalBackend
from mlm_tui.core.local.address_limits import count_request
from mlm_tui.core.local.base import read_company
from mlm_tui.core.local.databases import open_store
from mlm_tui.core.local.kept_pricing import kept_pricing, kept_while_current
from mlm_tui.core.local.service_accounts import account_of
from mlm_tui.core.local.store import Store
from mlm_tui.core.models import CompanyProfile
from mlm_tui.core.notifier import Notifier
from mlm_tui.core.settings import Settings
from mlm_tui.i18n import N_
from mlm_tui.server.sessions import SessionCache

if TYPE_CHECKING:
    from starlette.requests import HTTPConnection


@dataclass(frozen=True)
class AddressLimit:
    """At most ``ceiling`` requests of one kind (signing in, reset, registration) from one
    client address per ``window``."""

    ceiling: int = 30
    window: timedelta = timedelta(minutes=1)


@dataclass
class ServerContext:
    settings: Settings
    store: Store
    clock: Callable[[], datetime]
    notifier: Notifier
    address_limit: AddressLimit | None = None
    sessions: SessionCache = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = SessionCache(self.store, self.clock)

    @classmethod
    def open(cls, settings: Settings, clock: Callable[[], datetime],
             address_limit: AddressLimit | None = None) -> ServerContext:
        return cls(settings, open_store(settings), clock,
                   Notifier.from_settings(settings), address_limit)

    def count_request(self, kind: str, address: str) -> None:
        """Count a request of ``kind`` from ``address``: ``Throttled`` past the ceiling."""
        if self.address_limit is None:
            return
        count_request(self.store, kind, address, self.clock(),
                      ceiling=self.address_limit.ceiling, window=self.address_limit.window)

    def backend(self, token: str | None = None) -> LocalBackend:
        """A backend for one request: signed in as the token's member, or as nobody.

        A token that no longer stands is ``SessionEnded``: the client held a session and
        must learn it is over, as a local backend tells its app at the next call."""
        try:
            backend = LocalBackend.for_one_request(self.settings, token, store=self.store,
                                                   clock=self.clock, notifier=self.notifier,
                                                   kept=self.sessions.session)
        except NotAuthenticated as ended:
            if token and account_of(self.store, token, now=self.clock()) is not None:
                # The service's token opens none of a member's doors.
                raise Forbidden(N_("A service account has no cart, orders or balance: "
                                   "this is for members only.")) from None
            raise SessionEnded(ended.message) from None
        backend._company = self._company()
        return backend

    def _company(self) -> CompanyProfile | None:
        """The company profile, read again only when the store's pricing counter says it
        changed (see :mod:`mlm_tui.core.local.kept_pricing`): orders, which move the
        catalog's counter, leave it be. Asked first in one statement, outside a
        transaction: on PostgreSQL one round trip at each request instead of three."""
        with self.store.read_one() as conn:
            kept: CompanyProfile | None = kept_while_current(conn, "company")
        if kept is not None:
            return kept
        try:
            with self.store.read() as conn:
                return kept_pricing(conn, "company", lambda: read_company(conn))
        except NotFound:  # a store without its company yet: each call says so
            return None

    def close(self) -> None:
        self.store.close()


# Which context a request is served from: always the one, but for a test server that
# serves many stores from one app.
ContextOf: TypeAlias = "Callable[[HTTPConnection], ServerContext]"
