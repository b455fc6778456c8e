"""LocalBackend: members' SSH keys, and the sign-in OpenSSH vouches for.

A member adds, lists and removes her own public keys (the Backend methods). On a host that
serves the team over SSH, the account that owns the store answers OpenSSH's
``AuthorizedKeysCommand`` (:mod:`mlm_tui.core.authorized_keys`) and opens a session bound to
the key the connection was made with (``open_key_session``). Removing the key deletes the
sessions it opened, so an open connection ends at its next call.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, insert, select

from mlm_tui.core.errors import N_, Conflict, NotAuthenticated, NotFound, ValidationError
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.base import LocalBase
from mlm_tui.core.models import MemberStatus, Session, SshKey
from mlm_tui.core.passwords import new_token, token_hash
from mlm_tui.core.rules.ssh_keys import FIELD, parse_public_key

MAX_KEYS = 20  # per member: a laptop, a phone, a tablet and then some
# A key's session ends with its connection; should the process be killed before it can
# say so, the session still runs out within a day.
KEY_SESSION_HOURS = 24


class SshKeysMixin(LocalBase):
    def ssh_keys(self) -> list[SshKey]:
        me = self._me_id()
        k = t.member_keys
        with self.store.read() as conn:
            rows = conn.execute(select(k).where(k.c.member_id == me).order_by(k.c.id))
            return [SshKey(r.id, r.key_type, r.fingerprint, r.comment, r.added_at)
                    for r in rows]

    def add_ssh_key(self, line: str) -> SshKey:
        key = parse_public_key(line)
        me = self._me_id()
        k = t.member_keys
        now = self.clock()
        with self.store.write() as conn:
            taken = conn.execute(select(k.c.member_id)
                                 .where(k.c.fingerprint == key.fingerprint)).first()
            if taken is not None:
                # The same words whoever holds it: nobody learns whose key it is.
                raise Conflict(N_("This key is already registered."), field=FIELD)
            count = conn.execute(select(func.count()).select_from(k)
                                 .where(k.c.member_id == me)).scalar_one()
            if count >= MAX_KEYS:
                raise ValidationError(N_("You have {n} keys, the most there may be: remove "
                                         "one first."), field=FIELD, params={"n": MAX_KEYS})
            key_id: int = conn.execute(insert(k).values(
                member_id=me, key_type=key.key_type, key_blob=key.blob,
                fingerprint=key.fingerprint, comment=key.comment, added_at=now,
            ).returning(k.c.id)).scalar_one()
        return SshKey(key_id, key.key_type, key.fingerprint, key.comment,
                      now.replace(microsecond=0))

    def remove_ssh_key(self, fingerprint: str) -> None:
        me = self._me_id()
        k = t.member_keys
        with self.store.write() as conn:
            key_id = conn.execute(select(k.c.id).where(
                (k.c.member_id == me) & (k.c.fingerprint == fingerprint.strip()))
            ).scalar_one_or_none()
            if key_id is None:
                raise NotFound(N_("You have no key with this fingerprint."), field="fingerprint")
            conn.execute(delete(t.sessions).where(t.sessions.c.key_id == key_id))
            conn.execute(delete(k).where(k.c.id == key_id))

    def open_key_session(self, key_id: int) -> Session:
        """Sign in as the member whose key ``key_id`` OpenSSH has just checked. Not part of
        the Backend: only the account that owns the store may do this, never a client.
        ``NotAuthenticated`` when the key is gone or its member is not active."""
        m, k, s = t.members, t.member_keys, t.sessions
        now = self.clock()
        with self.store.write() as conn:
            row = conn.execute(
                select(m.c.id, m.c.registration_number, m.c.full_name, m.c.status,
                       m.c.language)
                .select_from(k.join(m, m.c.id == k.c.member_id)).where(k.c.id == key_id)
            ).first()
            if row is None or row.status != MemberStatus.ACTIVE.value:
                raise NotAuthenticated(N_("This key is no longer registered."))
            token = new_token()
            expires_at = now + timedelta(hours=KEY_SESSION_HOURS)
            conn.execute(delete(s).where(s.c.member_id == row.id, s.c.expires_at <= now))
            conn.execute(insert(s).values(token_hash=token_hash(token), member_id=row.id,
                                          created_at=now, expires_at=expires_at,
                                          key_id=key_id))
        self._session = Session(token, row.id, row.registration_number, row.full_name,
                                expires_at, row.language)
        return self._session

