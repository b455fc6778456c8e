"""LocalBackend: the whole system embedded on one SQLite file."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from mlm_tui.core.backend import Backend
from mlm_tui.core.local.alerts import AlertsMixin
from mlm_tui.core.local.auth import AuthMixin
from mlm_tui.core.local.cart import CartMixin
from mlm_tui.core.local.catalog import CatalogMixin
from mlm_tui.core.local.claims import ClaimsMixin
from mlm_tui.core.local.orders import OrdersMixin
from mlm_tui.core.local.overviews import OverviewsMixin
from mlm_tui.core.local.prepared import PreparedOrdersMixin
from mlm_tui.core.local.ssh_keys import SshKeysMixin
from mlm_tui.core.local.store import Store, StoreBusy
from mlm_tui.core.local.team import TeamMixin
from mlm_tui.core.local.training import TrainingMixin
from mlm_tui.core.local.wallet import WalletMixin
from mlm_tui.core.models import Session
from mlm_tui.core.notifier import Notifier
from mlm_tui.core.settings import Settings


class LocalBackend(
    OverviewsMixin, AuthMixin, CatalogMixin, PreparedOrdersMixin, CartMixin, OrdersMixin,
    TeamMixin, WalletMixin, ClaimsMixin, TrainingMixin, AlertsMixin, SshKeysMixin,
):
    """Implements :class:`mlm_tui.core.backend.Backend` in-process on SQLite."""

    @classmethod
    def for_one_request(cls, settings: Settings, token: str | None, *, store: Store,
                        clock: Callable[[], datetime], notifier: Notifier,
                        kept: KeptSessions | None = None) -> LocalBackend:
        """A backend for one request of a server, over the server's store: signed in with
        ``token`` (``NotAuthenticated`` when it no longer stands), or as nobody.

        The session was read just now, or is one ``kept`` (the server's sessions read
        lately) still stands for, so the call made next does not read it again."""
        backend = cls(settings, clock=clock, store=store, notifier=notifier)
        if token:
            backend._session = (kept(token, backend.resume) if kept is not None
                                else backend.resume(token))
            backend._session_just_read = True
        return backend


# The session of a token, kept by a server, or else read with the function given.
KeptSessions = Callable[[str, Callable[[str], Session]], Session]


# Signing in and out, and what is the same for everyone, need no session to check.
_NO_SESSION_TO_CHECK = frozenset({
    "login", "resume", "logout", "session", "request_password_reset",
    "confirm_password_reset", "activate_member", "company", "is_empty", "describe", "close",
    "changes_since",  # the login screen asks too: it reads no member's data
})
_depth = threading.local()
# How many times a call undone by a deadlock with another write is run, at most.
TRIES = 3


def _checks_the_session(method: Callable[..., Any]) -> Callable[..., Any]:
    """Every other call of the Backend first checks that the session still stands (once:
    not again for the calls it makes itself)."""

    @wraps(method)
    def call(self: LocalBackend, *args: Any, **kwargs: Any) -> Any:
        outermost = getattr(_depth, "calls", 0) == 0
        if outermost:
            self._check_session()
        _depth.calls = getattr(_depth, "calls", 0) + 1
        try:
            if not outermost or self.store.joined():
                return method(self, *args, **kwargs)
            for _attempt in range(TRIES - 1):
                try:
                    return method(self, *args, **kwargs)
                except StoreBusy:
                    pass  # undone whole (two checkouts deadlocked): run it again
            return method(self, *args, **kwargs)
        finally:
            _depth.calls -= 1
            if outermost:
                self._end_call()

    return call


for _name, _member in vars(Backend).items():
    if callable(_member) and not _name.startswith("_") and _name not in _NO_SESSION_TO_CHECK:
        setattr(LocalBackend, _name, _checks_the_session(getattr(LocalBackend, _name)))


__all__ = ["LocalBackend"]
