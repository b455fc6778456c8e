"""What every part of LocalBackend shares: the store, the clock, the session, visibility.

LocalBackend is assembled from one mixin per domain (auth, catalog, cart, orders,
team, wallet, claims, inbox); each mixin lives in its own module and relies only
on this base.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, bindparam, select

from mlm_tui.core.changes import ChangeKind, Changes
from mlm_tui.core.company import profile_from_json
from mlm_tui.core.dates import utc_now
from mlm_tui.core.errors import NotAuthenticated, NotFound, SessionEnded
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.databases import open_store
from mlm_tui.core.local.store import Store
from mlm_tui.core.models import CompanyProfile, MemberStatus, MessageDelivery, Session
from mlm_tui.core.money import Money
from mlm_tui.core.notifier import Notifier
from mlm_tui.core.passwords import token_hash
from mlm_tui.core.settings import Settings
from mlm_tui.i18n import N_


class LocalBase:
    def __init__(
        self,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utc_now,
        notifier: Notifier | None = None,
        store: Store | None = None,
    ) -> None:
        self.settings = settings
        self.store = store or open_store(settings)
        self.clock = clock
        self.notifier = notifier or Notifier.from_settings(settings)
        self._session: Session | None = None
        self._session_just_read = False  # by ``resume``, for a server's one request
        # The token and change cursor of the last check that found the session standing.
        self._session_checked: tuple[str | None, int | None] = (None, None)
        # The signed-in member's row as the session check of the call running read it
        # (path, kind): that call's scope, not read again (``_end_call`` drops it).
        self._scope: Row[Any] | None = None
        self._company: CompanyProfile | None = None

    # --- store and company -----------------------------------------------------------------
    def describe(self) -> str:
        return f"local: {self.store.where}"

    def close(self) -> None:
        self.store.close()

    def changes_since(self, cursor: int | None) -> Changes:
        return self.store.changes_since(cursor)

    def is_empty(self) -> bool:
        with self.store.read_one() as conn:
            return conn.execute(select(t.members.c.id).limit(1)).first() is None

    def message_delivery(self) -> MessageDelivery:
        return self.notifier.delivery

    def company(self) -> CompanyProfile:
        if self._company is None:
            with self.store.read() as conn:
                self._company = read_company(conn)
        return self._company

    def money(self, amount: Decimal) -> Money:
        """A stored Decimal as Money in the company's currency."""
        return Money(amount, self.company().currency)

    # --- who is asking ---------------------------------------------------------------------
    def session(self) -> Session | None:
        if self._session and self._session.expires_at <= self.clock():
            self._session = None
        return self._session

    def _check_session(self) -> None:
        """Before a call, make sure the session held here still stands in the store: a
        password reset or a logout elsewhere deletes it, and this process must notice at
        its next call, not go on as the member."""
        held = self._session
        if held is None:
            return
        if self._session_just_read:
            self._session_just_read = False
            return
        # Read again only when something that ends sessions was written since the last
        # check found it standing (the change counters say so for the cost of a pragma):
        # the read was most of what a quick call cost. The cursor is taken before the
        # read, so an end committed during it shows at the next call.
        checked_token, checked_at = self._session_checked
        changes = self.store.changes_since(checked_at if checked_token == held.token
                                           else None)
        if checked_token == held.token and not changes.kinds & _ENDS_SESSIONS:
            return
        with self.store.read_one() as conn:
            live = live_session(conn, held.token, self.clock())
        if live is None:
            self._session = None
            self._session_checked = (None, None)
            raise SessionEnded(N_("Your session has ended; please log in again."))
        self._session_checked = (held.token, changes.cursor)
        self._scope = live

    def _end_call(self) -> None:
        """The call that checked the session is over: its scope with it."""
        self._scope = None

    def _my_kind(self, conn: Connection) -> str | None:
        """The signed-in member's kind (consultant or customer); None if not found."""
        if self._scope is not None and self._scope.id == self._me_id():
            return str(self._scope.kind)
        kind: str | None = conn.execute(
            _MEMBER_KIND, {"member": self._me_id()}).scalar_one_or_none()
        return kind

    def _me_id(self) -> int:
        session = self.session()
        if session is None:
            raise NotAuthenticated("please log in")
        return session.member_id

    def _my_path(self, conn: Connection) -> str:
        if self._scope is not None and self._scope.id == self._me_id():
            return str(self._scope.path)
        path: str | None = conn.execute(
            _MEMBER_PATH, {"member": self._me_id()}).scalar_one_or_none()
        if path is None:
            raise NotAuthenticated("this account no longer exists")
        return path

    def _visible_member(self, conn: Connection, member_id: int) -> str:
        """The member's path if the signed-in member may see them (self or downline).

        Anyone else is ``NotFound``: the answer for "not yours" and "does not exist" is the
        same, so nobody can probe for members outside their team.
        """
        my_path = self._my_path(conn)
        path: str | None = conn.execute(
            _MEMBER_PATH, {"member": member_id}).scalar_one_or_none()
        if path is None or not path.startswith(my_path):
            raise NotFound("no such member in your team", field="member")
        return path


def read_company(conn: Connection) -> CompanyProfile:
    """The company profile the store holds (one JSON document); ``NotFound`` before the
    store has one."""
    text = conn.execute(select(t.company.c.profile)).scalar_one_or_none()
    if text is None:
        raise NotFound(N_("This store has no company yet; build the demo data."), field="store")
    return profile_from_json(text)


def live_session(
    conn: Connection, token: str, now: datetime
) -> Row[*tuple[Any, ...]] | None:
    """The session row of ``token`` (with its member) if it still stands: not deleted, not
    run out, its member active."""
    row = conn.execute(_LIVE_SESSION, {"token_hash": token_hash(token or "")}).first()
    if row is None or row.expires_at <= now or row.status != MemberStatus.ACTIVE.value:
        return None
    return row


# What a session can end by: signing out or a reset elsewhere (the sessions), an account
# closed or locked (the members' credentials).
_ENDS_SESSIONS = frozenset({ChangeKind.SIGN_IN, ChangeKind.CREDENTIALS})

# Built once: every call reads the session and most read the caller's path, and building
# a statement costs SQLAlchemy more than SQLite takes to answer it.
_MEMBER_PATH = select(t.members.c.path).where(t.members.c.id == bindparam("member"))
_MEMBER_KIND = select(t.members.c.kind).where(t.members.c.id == bindparam("member"))
# With the member's path and kind: the call that checks the session needs them next, and
# a query more is a round trip more on PostgreSQL.
_LIVE_SESSION = (
    select(t.members.c.id, t.members.c.registration_number, t.members.c.full_name,
           t.members.c.status, t.members.c.language, t.members.c.path, t.members.c.kind,
           t.sessions.c.expires_at)
    .select_from(t.sessions.join(t.members, t.members.c.id == t.sessions.c.member_id))
    .where(t.sessions.c.token_hash == bindparam("token_hash"))
)


def downline_clause(path_column: ColumnElement[str], my_path: str) -> ColumnElement[bool]:
    """Self and everyone below: an indexed range on the materialised path."""
    # '/1/7/' .. '/1/70' : every path that starts with my_path ('0' is the char after '/').
    return (path_column >= my_path) & (path_column < my_path[:-1] + "0")
