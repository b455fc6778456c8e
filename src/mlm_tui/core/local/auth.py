"""LocalBackend: accounts.

Sessions (login by registration number or e-mail, throttling, resume, logout, me,
account_summary), password reset, registration and activation.

Secrets are never stored in clear: passwords and codes as argon2 hashes, session tokens
as SHA-256. A login that names no account costs the same argon2 work and gets the same
answer as a wrong password; that an account is closed or not activated yet is said only
to whoever typed its password. Every attempt is counted (``login_throttle``) before its
password is checked. Password hashing runs outside write transactions where it can, so a
slow hash never holds the store's write lock during a login; codes are mailed after their
transaction has committed (``Store.after_commit``), for the same reason.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from math import ceil
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Row,
    case,
    cast,
    delete,
    func,
    insert,
    select,
    update,
)

from mlm_tui.core import login_throttle as throttle
from mlm_tui.core.account_mail import send_activation_code, send_reset_code
from mlm_tui.core.company import market_country
from mlm_tui.core.errors import (
    AccountClosed,
    AccountNotActivated,
    Conflict,
    InvalidCredentials,
    NotAuthenticated,
    Throttled,
    ValidationError,
)
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.base import LocalBase, live_session
from mlm_tui.core.local.month_points import points_in_month
from mlm_tui.core.local.one_time_codes import (
    ACTIVATION,
    RESET,
    invalid_code,
    issue_code,
    issue_decoy,
    use_code,
    use_decoy,
)
from mlm_tui.core.local.team import member_from_row
from mlm_tui.core.models import (
    AccountSummary,
    Member,
    MemberRef,
    MemberStatus,
    Registration,
    ResetRequest,
    Session,
)
from mlm_tui.core.passwords import (
    hash_secret,
    needs_rehash,
    new_numeric_code,
    new_token,
    token_hash,
    verify_nothing,
    verify_secret,
)
from mlm_tui.core.privacy import as_seen_by_upline
from mlm_tui.core.rules.passwords import check_not_personal, check_strength
from mlm_tui.core.rules.registration import check_registration
from mlm_tui.core.validation import (
    CODE_DIGITS,
    fold_name,
    mask_email,
    mask_phone,
    normalise_code,
    normalise_contact,
    normalise_registration_number,
)
from mlm_tui.i18n import N_, language_of

RESET_VALID = timedelta(minutes=15)
RESET_COOLDOWN = timedelta(seconds=60)
ACTIVATION_VALID = timedelta(hours=72)
FIRST_REGISTRATION_NUMBER = 1_000_001
LAST_REGISTRATION_NUMBER = 9_999_999
# Reset cooldowns share the throttling table, keyed apart from any login ("reset:email:...").
_COOLDOWN_PREFIX = "reset:"


class AuthMixin(LocalBase):
    # --- sessions --------------------------------------------------------------------------
    def login(self, login: str, password: str) -> Session:
        if not (login or "").strip():
            raise ValidationError(N_("Enter your registration number or e-mail."), field="login")
        if not password:
            raise ValidationError(N_("Enter your password."), field="password")
        by, value = _parse_login(login)
        now = self.clock()
        # The attempt is counted before the password is checked, in the transaction that
        # looked at the lock: parallel guesses queue here, and only those let in are tried.
        with self.store.write() as conn:
            row = _member_by_login(conn, by, value)
            key = (throttle.account_key(row.id) if row is not None
                   else throttle.unknown_login_key(by, value))
            lock_if_wrong = _count_attempt(conn, key, now)
        if row is None or not row.password_hash:
            verify_nothing(password)
            account = None
        else:
            account = row if verify_secret(row.password_hash, password) else None
        if account is None:
            if lock_if_wrong is not None:
                raise _throttled(lock_if_wrong, now)
            # The same words whether the account exists or not.
            raise InvalidCredentials(
                N_("The registration number, e-mail or password is wrong."), field="password"
            )
        # Only whoever knows the password learns what became of the account; the try
        # stays counted.
        if account.status == MemberStatus.PENDING.value:
            raise AccountNotActivated(
                N_("This account is not activated yet: enter the activation code from the "
                   "e-mail or SMS."),
                field="login",
            )
        if account.status == MemberStatus.CLOSED.value:
            raise AccountClosed(N_("This account has been closed."), field="login")
        new_hash = hash_secret(password) if needs_rehash(account.password_hash) else None
        with self.store.write() as conn:
            _uncount_attempt(conn, key, now)
            if new_hash is not None:
                conn.execute(
                    update(t.members).where(t.members.c.id == account.id)
                    .values(password_hash=new_hash)
                )
            session = self._open_session(conn, account, now)
        return session

    def resume(self, token: str) -> Session:
        with self.store.read_one() as conn:
            row = live_session(conn, token, self.clock())
        if row is None:
            raise NotAuthenticated(N_("Your session has ended; please log in again."))
        self._session = Session(token, row.id, row.registration_number, row.full_name,
                                row.expires_at, row.language)
        return self._session

    def logout(self) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        with self.store.write() as conn:
            conn.execute(delete(t.sessions).where(
                t.sessions.c.token_hash == token_hash(session.token)))

    def me(self) -> Member:
        me = self._me_id()
        with self.store.read() as conn:
            row = conn.execute(select(t.members).where(t.members.c.id == me)).first()
        if row is None:
            raise NotAuthenticated(N_("This account no longer exists."))
        return member_from_row(row)

    def account_summary(self) -> AccountSummary:
        me = self._me_id()
        now = self.clock()
        b, p, m = t.balance_ledger, t.points_ledger, t.members
        with self.store.read() as conn:
            who = conn.execute(
                select(m.c.id, m.c.registration_number, m.c.full_name).where(m.c.id == me)
            ).first()
            if who is None:
                raise NotAuthenticated(N_("This account no longer exists."))
            balance = conn.execute(
                select(func.sum(b.c.amount)).where(b.c.member_id == me)).scalar_one()
            wallet = conn.execute(
                select(func.sum(p.c.points)).where(p.c.member_id == me)).scalar_one()
            this_month = points_in_month(conn, me, now.date())
        return AccountSummary(
            member=MemberRef(who.id, who.registration_number, who.full_name),
            balance=self.money(balance or Decimal(0)),
            points=wallet or Decimal(0),
            points_this_month=this_month,
        )

    def _open_session(
        self, conn: Connection, member: Row[*tuple[Any, ...]], now: datetime
    ) -> Session:
        s = t.sessions
        token = new_token()
        expires_at = now + timedelta(days=self.settings.session_days)
        # Each login tidies away the member's sessions that ran out.
        conn.execute(delete(s).where(s.c.member_id == member.id, s.c.expires_at <= now))
        conn.execute(insert(s).values(token_hash=token_hash(token), member_id=member.id,
                                      created_at=now, expires_at=expires_at))
        self._session = Session(token, member.id, member.registration_number,
                                member.full_name, expires_at, member.language)
        return self._session

    def set_language(self, language: str | None) -> None:
        me = self._me_id()
        known = _known_language(language)
        with self.store.write() as conn:
            conn.execute(update(t.members).where(t.members.c.id == me).values(language=known))

    # --- password reset --------------------------------------------------------------------
    def request_password_reset(self, contact: str) -> ResetRequest:
        kind, value = normalise_contact(contact, region=market_country(self.company()))
        now = self.clock()
        code = new_numeric_code(CODE_DIGITS)
        code_hash = hash_secret(code)  # hashed for an unknown contact too: the same time
        cooldown = f"{_COOLDOWN_PREFIX}{kind}:{value}"
        # The code is sent once the transaction has committed, not while it holds the
        # store's write lock (a slow mail server would stop every writer); if it cannot
        # be sent, the code and the cooldown are withdrawn and ``DeliveryFailed`` says why.
        with self.store.write() as conn:
            _start_cooldown(conn, cooldown, now)
            member = _active_member_by_contact(conn, kind, value)
            if member is None:
                issue_decoy(conn, f"{kind}:{value}", now, RESET_VALID)
            else:
                issue_code(conn, member.id, RESET, code_hash, now, RESET_VALID)
                company = self.company()
                self.store.after_commit(
                    lambda: send_reset_code(
                        self.notifier, company=company.name, full_name=member.full_name,
                        email=member.email, phone=member.phone, code=code,
                        minutes=int(RESET_VALID.total_seconds() // 60),
                        locale=company.locale, language=member.language),
                    undo=lambda conn: _withdraw_reset(conn, member.id, code_hash, cooldown, now),
                )
        # Only what was typed is echoed, masked: the answer must not tell whether an
        # account exists, nor reveal the other contact on it.
        masked = mask_email(value) if kind == "email" else mask_phone(value)
        return ResetRequest(masked, now + RESET_VALID, now + RESET_COOLDOWN)

    def confirm_password_reset(
        self, contact: str, code: str, new_password: str, confirmation: str
    ) -> None:
        kind, value = normalise_contact(contact, region=market_country(self.company()))
        code = normalise_code(code)
        # Nothing about the account is looked at before the code is right: until then a
        # contact with an account and one without get the same answers.
        check_strength(new_password, field="new_password")
        _check_confirmation(new_password, confirmation)
        new_hash = hash_secret(new_password)
        now = self.clock()
        with self.store.write() as conn:
            member = _active_member_by_contact(conn, kind, value)
            if member is None:
                error: ValidationError | None = use_decoy(conn, f"{kind}:{value}", code, now)
            else:
                error = use_code(conn, member.id, RESET, code, now)
                if error is None:
                    _reset_password(conn, member, new_password, new_hash)
        if error is not None:
            raise error
        # The reset ended every session of the account, this one's too if it is theirs.
        held = self._session
        if member is not None and held is not None and held.member_id == member.id:
            self._session = None

    # --- registration ----------------------------------------------------------------------
    def register_member(self, registration: Registration) -> Member:
        sponsor_id = self._me_id()
        now = self.clock()
        checked = check_registration(registration, now.date())
        full_name, birth_date, email, phone, address, passport, kind = (
            checked.full_name, checked.birth_date, checked.email, checked.phone,
            checked.address, checked.passport, checked.kind)
        name_folded = fold_name(full_name)
        language = _known_language(registration.language)
        code = new_numeric_code(CODE_DIGITS)
        code_hash = hash_secret(code)
        m = t.members
        with self.store.write() as conn:
            sponsor = conn.execute(
                select(m.c.path, m.c.full_name).where(m.c.id == sponsor_id)).first()
            if sponsor is None:
                raise NotAuthenticated(N_("This account no longer exists."))
            _refuse_duplicates(conn, email, phone, name_folded, birth_date)
            number = _next_registration_number(conn)
            member_id: int = conn.execute(insert(m).values(
                registration_number=number, kind=kind.value,
                status=MemberStatus.PENDING.value, full_name=full_name,
                name_folded=name_folded, email=email, phone=phone, birth_date=birth_date,
                postcode=address.postcode, city=address.city, street=address.street,
                country=address.country, passport=passport, sponsor_id=sponsor_id,
                enroller_id=sponsor_id, path=sponsor.path, registered_at=now,
                loyalty_enrolled=False, language=language,
            ).returning(m.c.id)).scalar_one()
            # The path needs the new id, known only once the row exists.
            conn.execute(update(m).where(m.c.id == member_id)
                         .values(path=f"{sponsor.path}{member_id}/"))
            issue_code(conn, member_id, ACTIVATION, code_hash, now, ACTIVATION_VALID)
            company = self.company()
            # Sent once the registration has committed, not while it holds the store's
            # write lock. A member who was never told the code could never activate: if
            # it cannot be sent, the registration is withdrawn (``DeliveryFailed``; the
            # sponsor's form keeps what was typed, and sending it again registers anew).
            self.store.after_commit(
                lambda: send_activation_code(
                    self.notifier, company=company.name, full_name=full_name,
                    registration_number=number, sponsor_name=sponsor.full_name, email=email,
                    phone=phone, code=code,
                    hours=int(ACTIVATION_VALID.total_seconds() // 3600),
                    locale=company.locale, language=language),
                undo=lambda conn: _withdraw_registration(conn, member_id),
            )
            row = conn.execute(select(m).where(m.c.id == member_id)).one()
        # The sponsor typed it all, but reads it back as any upline would.
        return as_seen_by_upline(member_from_row(row))

    def activate_member(self, login: str, code: str, password: str, confirmation: str) -> Session:
        by, value = _parse_login(login)
        code = normalise_code(code)
        # As at a reset: whether the login names an account waiting for activation, and
        # whose it is, shows only once the code is right.
        check_strength(password, field="password")
        _check_confirmation(password, confirmation)
        new_hash = hash_secret(password)
        now = self.clock()
        m = t.members
        with self.store.write() as conn:
            member = _member_by_login(conn, by, value)
            if member is None or member.status != MemberStatus.PENDING.value:
                verify_nothing(code)  # the time a real code takes to check
                error: ValidationError | None = invalid_code()
            else:
                error = use_code(conn, member.id, ACTIVATION, code, now)
                if error is None:
                    check_not_personal(password, (member.registration_number, member.email,
                                                  member.phone), field="password")
                    activated = conn.execute(
                        update(m).where(m.c.id == member.id,
                                        m.c.status == MemberStatus.PENDING.value)
                        .values(password_hash=new_hash, status=MemberStatus.ACTIVE.value,
                                activated_at=now)
                    ).rowcount
                    if not activated:  # activated or closed in the meantime
                        raise Conflict(N_("This account is no longer waiting for activation."),
                                       field="login")
                    session = self._open_session(conn, member, now)
        if error is not None:
            raise error
        return session


# --- helpers ---------------------------------------------------------------------------------


def _known_language(language: str | None) -> str | None:
    """The language as kept ("ru"; "de_DE.UTF-8" -> "de"), None for none;
    ``ValidationError`` (field ``language``) for one the interface does not speak."""
    if not language:
        return None
    known = language_of(language)
    if known is None:
        raise ValidationError(N_("{language} is not a language of this interface."),
                              field="language", params={"language": language})
    return known


def _parse_login(login: str) -> tuple[str, str]:
    """``("email", "anna@example.ru")`` or ``("number", "1000001")``."""
    text = (login or "").strip()
    if "@" in text:
        # Not validated as a new address would be: an odd stored one must still log in.
        return "email", text.lower()
    try:
        return "number", normalise_registration_number(text, field="login")
    except ValidationError:
        raise ValidationError(
            N_("Enter your registration number (7 digits) or e-mail."), field="login"
        ) from None


def _member_by_login(conn: Connection, by: str, value: str) -> Row[*tuple[Any, ...]] | None:
    m = t.members
    column = m.c.email if by == "email" else m.c.registration_number
    # An address may be on a closed account and on its successor: the live one wins.
    rank = case((m.c.status == MemberStatus.ACTIVE.value, 0),
                (m.c.status == MemberStatus.PENDING.value, 1), else_=2)
    return conn.execute(
        select(m.c.id, m.c.registration_number, m.c.full_name, m.c.status, m.c.email,
               m.c.phone, m.c.password_hash, m.c.language)
        .where(column == value)
        .order_by(rank, m.c.id.desc())
        .limit(1)
    ).first()


def _active_member_by_contact(
    conn: Connection, kind: str, value: str
) -> Row[*tuple[Any, ...]] | None:
    """The one active account with this e-mail or phone; several (old data) count as none,
    since a code must reset one account the member can name."""
    m = t.members
    column = m.c.email if kind == "email" else m.c.phone
    rows = conn.execute(
        select(m.c.id, m.c.registration_number, m.c.full_name, m.c.email, m.c.phone,
               m.c.language)
        .where(column == value, m.c.status == MemberStatus.ACTIVE.value)
        .limit(2)
    ).all()
    return rows[0] if len(rows) == 1 else None


def _failure_record(conn: Connection, key: str) -> throttle.FailureRecord | None:
    lf = t.login_failures
    row = conn.execute(
        select(lf.c.failures, lf.c.last_failed_at, lf.c.locked_until)
        .where(lf.c.login_key == key)
    ).first()
    if row is None:
        return None
    return throttle.FailureRecord(row.failures, row.last_failed_at, row.locked_until)


def _save_record(conn: Connection, key: str, record: throttle.FailureRecord) -> None:
    lf = t.login_failures
    conn.execute(delete(lf).where(lf.c.login_key == key))
    conn.execute(insert(lf).values(
        login_key=key, failures=record.failures, last_failed_at=record.last_failed_at,
        locked_until=record.locked_until))


def _count_attempt(conn: Connection, key: str, now: datetime) -> datetime | None:
    """Refuse the attempt while its account (or every login) is locked; else count it as
    a failure until the password proves right. Returns the lock this attempt starts, if
    it is wrong."""
    mine, anywhere = _failure_record(conn, key), _failure_record(conn, throttle.ALL_LOGINS)
    for record in (mine, anywhere):
        until = throttle.locked_until(record, now)
        if until is not None:
            raise _throttled(until, now)
    mine = throttle.after_failure(mine, now)
    anywhere = throttle.after_failure_anywhere(anywhere, now)
    _save_record(conn, key, mine)
    _save_record(conn, throttle.ALL_LOGINS, anywhere)
    locks = [lock for lock in (mine.locked_until, anywhere.locked_until) if lock is not None]
    return max(locks, default=None)


def _uncount_attempt(conn: Connection, key: str, now: datetime) -> None:
    """The password was right: the account's count starts over, and the attempt is taken
    back from the count across all accounts."""
    conn.execute(delete(t.login_failures).where(t.login_failures.c.login_key == key))
    anywhere = throttle.after_success_anywhere(
        _failure_record(conn, throttle.ALL_LOGINS), now)
    if anywhere is not None:
        _save_record(conn, throttle.ALL_LOGINS, anywhere)


def _throttled(until: datetime, now: datetime) -> Throttled:
    minutes = max(1, ceil((until - now).total_seconds() / 60))
    return Throttled(
        N_("Too many failed attempts. Try again in {minutes} min."),
        retry_at=until,
        field="login",
     params={"minutes": minutes})


def _start_cooldown(conn: Connection, key: str, now: datetime) -> None:
    """One reset code a minute per contact, whether or not an account has it."""
    lf = t.login_failures
    until = throttle.locked_until(_failure_record(conn, key), now)
    if until is not None:
        seconds = max(1, ceil((until - now).total_seconds()))
        raise Throttled(
            N_("A code was sent a moment ago. You can ask for a new one in {seconds} s."),
            retry_at=until,
            field="contact",
         params={"seconds": seconds})
    conn.execute(delete(lf).where(lf.c.login_key.startswith(_COOLDOWN_PREFIX, autoescape=True),
                                  lf.c.locked_until <= now))
    conn.execute(insert(lf).values(login_key=key, failures=0, last_failed_at=now,
                                   locked_until=now + RESET_COOLDOWN))


def _withdraw_reset(conn: Connection, member_id: int, code_hash: str, cooldown: str,
                    now: datetime) -> None:
    """A reset code that could not be sent: neither it nor its cooldown stands, so the
    member may ask again at once."""
    c, lf = t.one_time_codes, t.login_failures
    conn.execute(delete(c).where(c.c.member_id == member_id, c.c.code_hash == code_hash))
    conn.execute(delete(lf).where(lf.c.login_key == cooldown, lf.c.last_failed_at == now))


def _withdraw_registration(conn: Connection, member_id: int) -> None:
    """A registration whose activation code could not be sent, taken back whole (it is
    still waiting for activation: nobody could have used it meanwhile)."""
    m = t.members
    conn.execute(delete(t.one_time_codes).where(t.one_time_codes.c.member_id == member_id))
    conn.execute(delete(m).where(m.c.id == member_id,
                                 m.c.status == MemberStatus.PENDING.value))


def _reset_password(
    conn: Connection, member: Row[*tuple[Any, ...]], new_password: str, new_hash: str
) -> None:
    """The member's new password, once the code proved who they are."""
    # Refused here, the code stays unspent: the transaction is rolled back.
    check_not_personal(new_password, (member.registration_number, member.email,
                                      member.phone), field="new_password")
    conn.execute(update(t.members).where(t.members.c.id == member.id)
                 .values(password_hash=new_hash))
    conn.execute(delete(t.sessions).where(t.sessions.c.member_id == member.id))
    # A member who proved who they are need not wait out a login lock.
    keys = throttle.keys_of_member(member.id, member.registration_number, member.email)
    conn.execute(delete(t.login_failures).where(t.login_failures.c.login_key.in_(keys)))


def _check_confirmation(password: str, confirmation: str) -> None:
    if password != confirmation:
        raise ValidationError(N_("The two passwords are not the same."), field="confirmation")


def _refuse_duplicates(
    conn: Connection, email: str, phone: str, name_folded: str, birth_date: object
) -> None:
    """A person with a live (active or waiting) account may not be registered again."""
    m = t.members
    live = m.c.status.in_((MemberStatus.ACTIVE.value, MemberStatus.PENDING.value))

    def exists(*conditions: ColumnElement[bool]) -> bool:
        return conn.execute(select(m.c.id).where(live, *conditions).limit(1)).first() is not None

    if exists(m.c.email == email):
        raise Conflict(N_("An account with this e-mail address already exists."), field="email")
    if exists(m.c.phone == phone):
        raise Conflict(N_("An account with this phone number already exists."), field="phone")
    if exists(m.c.name_folded == name_folded, m.c.birth_date == birth_date):
        raise Conflict(
            N_("A member with this name and date of birth already has an account."),
            field="full_name",
        )


def _next_registration_number(conn: Connection) -> str:
    m = t.members
    highest = conn.execute(
        select(func.max(cast(m.c.registration_number, Integer)))
        .where(func.length(m.c.registration_number) == len(str(FIRST_REGISTRATION_NUMBER)))
    ).scalar_one()
    number = FIRST_REGISTRATION_NUMBER if highest is None else highest + 1
    if number > LAST_REGISTRATION_NUMBER:
        raise Conflict(N_("No registration numbers are left."), field="registration_number")
    return str(number)


# The service's sign-in (``service_accounts``) is throttled the same way, under keys of
# its own and within the same ceiling across every login.
count_attempt, uncount_attempt, throttled = _count_attempt, _uncount_attempt, _throttled
