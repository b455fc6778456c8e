"""Accounts: logging in and out, throttling, password reset, registration and activation.

Contract tests: they talk to the ``backend`` fixture and look at what a member would
notice (the answer, the messages in the Maildir, what the store holds afterwards).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from email import message_from_bytes, policy

import pytest
from sqlalchemy import insert, select, update

from mlm_tui.core import login_throttle as throttle
from mlm_tui.core.errors import (
    AccountClosed,
    AccountNotActivated,
    Conflict,
    InvalidCredentials,
    NotAuthenticated,
    SessionEnded,
    Throttled,
    ValidationError,
    ValidationErrors,
)
from mlm_tui.core.local import schema as t
from mlm_tui.core.models import Address, MemberKind, MemberStatus, Registration
from mlm_tui.core.money import Money
from mlm_tui.core.notifier import read_maildir
from tests import world

pytestmark = pytest.mark.on_postgres  # sessions, throttles and codes live in the database

NEW_PASSWORD = "Lavendel-Abend-7"
WRONG = "not-the-password"
WRONG_CREDENTIALS = "The registration number, e-mail or password is wrong."


# --- helpers ---------------------------------------------------------------------------------


def messages_to(settings, recipient: str) -> list:
    """E-mails (by address) and SMS (by number) delivered to ``recipient``, oldest first."""
    found = []
    for kept in read_maildir(settings.maildir):
        message = message_from_bytes(bytes(kept), policy=policy.default)
        if recipient in (message["To"], message["X-SMS-To"]):
            found.append(message)
    return found


def codes_to(settings, recipient: str) -> list[str]:
    return [
        code
        for message in messages_to(settings, recipient)
        for code in re.findall(r"\b\d{8}\b", message.get_content())
    ]


def snapshot(backend) -> dict[str, list]:
    """Every row an account operation could touch, in the store ``backend`` works on."""
    with backend.store.read() as conn:
        return {
            table.name: conn.execute(select(table).order_by(*table.primary_key)).all()
            for table in (t.members, t.one_time_codes, t.sessions, t.login_failures)
        }


def write_store(backend, *statements) -> None:
    with backend.store.write() as conn:
        for statement in statements:
            conn.execute(statement)


def another_process(backend, settings, clock):
    """The store ``backend`` works on, opened by another process: the CLI, another
    terminal. Over PostgreSQL that is the database, not the data folder's file."""
    from mlm_tui.core.local import LocalBackend
    from mlm_tui.core.local.postgres import PostgresStore

    if isinstance(backend.store, PostgresStore):
        settings = replace(settings, database=backend.store.url)
    return LocalBackend(settings, clock=clock)


def fail_login(backend, login: str, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(InvalidCredentials):
            backend.login(login, WRONG)


# --- login -----------------------------------------------------------------------------------


def test_login_by_registration_number(backend, clock):
    session = backend.login(world.ANNA.registration_number, world.PASSWORD)
    assert (session.member_id, session.registration_number, session.full_name) == (
        world.ANNA.id, "1000001", "Анна Смирнова")
    assert session.expires_at == clock.now + timedelta(days=14)
    assert backend.session() == session
    assert backend.me().email == world.ANNA.email


def test_login_by_email_ignores_case_and_spaces(backend):
    session = backend.login("  Anna@Example.RU ", world.PASSWORD)
    assert session.member_id == world.ANNA.id


@pytest.mark.parametrize("login", ["1000001", "anna@example.ru", "1999999", "nobody@example.ru"])
def test_wrong_password_and_unknown_login_get_the_same_answer(backend, login):
    with pytest.raises(InvalidCredentials) as caught:
        backend.login(login, WRONG)
    assert (caught.value.field, caught.value.message) == ("password", WRONG_CREDENTIALS)
    assert backend.session() is None


def test_closed_account_is_named_only_to_whoever_knows_the_password(backend):
    fail_login(backend, world.CLOSED.registration_number)
    with pytest.raises(AccountClosed) as caught:
        backend.login(world.CLOSED.registration_number, world.PASSWORD)
    assert caught.value.message == "This account has been closed."
    assert backend.session() is None


def test_a_pending_account_is_named_only_to_whoever_knows_its_password(backend, settings):
    from mlm_tui.core.passwords import hash_secret

    write_store(backend, update(t.members).where(t.members.c.id == world.NEWBIE.id)
                .values(password_hash=hash_secret(world.PASSWORD)))
    fail_login(backend, world.NEWBIE.email, times=3)  # like any wrong password
    with pytest.raises(AccountNotActivated) as caught:
        backend.login(world.NEWBIE.email, world.PASSWORD)
    assert caught.value.field == "login"
    assert "activation code" in caught.value.message
    assert backend.session() is None
    # Every try was counted, the right one too: the next wrong one locks.
    with pytest.raises(Throttled):
        backend.login(world.NEWBIE.registration_number, WRONG)


def test_a_pending_account_without_a_password_answers_as_a_wrong_password(backend):
    fail_login(backend, world.NEWBIE.email, times=4)
    with pytest.raises(Throttled):
        backend.login(world.NEWBIE.email, "whatever-typed")


@pytest.mark.parametrize(
    ("login", "password", "field"),
    [("", world.PASSWORD, "login"), ("   ", world.PASSWORD, "login"),
     ("anna", world.PASSWORD, "login"), ("12345", world.PASSWORD, "login"),
     ("1000001", "", "password")],
)
def test_missing_or_malformed_login_is_a_validation_error(backend, settings, login, password,
                                                          field):
    before = snapshot(backend)
    with pytest.raises(ValidationError) as caught:
        backend.login(login, password)
    assert caught.value.field == field
    assert snapshot(backend) == before  # not counted as a failed attempt


def test_store_keeps_only_the_hash_of_the_session_token(backend, settings):
    session = backend.login(world.ANNA.registration_number, world.PASSWORD)
    [row] = snapshot(backend)["sessions"]
    assert row.member_id == world.ANNA.id
    assert session.token not in row.token_hash
    assert len(row.token_hash) == 64


# --- throttling ------------------------------------------------------------------------------


def test_five_failures_lock_the_login_then_the_right_password_works_after_the_wait(
    backend, clock
):
    # Typed in different cases, the login is still one login.
    for typed in ("anna@example.ru", "ANNA@example.ru", "Anna@Example.ru", "anna@EXAMPLE.RU"):
        fail_login(backend, typed)
    with pytest.raises(Throttled) as caught:
        backend.login("anna@example.ru", WRONG)
    assert caught.value.field == "login"
    assert caught.value.retry_at == clock.now + timedelta(minutes=5)
    assert "5 min" in caught.value.message

    clock.advance(timedelta(minutes=4))
    with pytest.raises(Throttled) as caught:
        backend.login("anna@example.ru", world.PASSWORD)  # even the right password waits
    assert "1 min" in caught.value.message

    clock.advance(timedelta(minutes=1))
    assert backend.login("anna@example.ru", world.PASSWORD).member_id == world.ANNA.id
    # Success wiped the count: one more slip is just a wrong password, not a new lock.
    fail_login(backend, "anna@example.ru")


def test_each_further_lock_doubles_up_to_an_hour_and_ends_after_quiet_time(backend, clock):
    fail_login(backend, "1000001", times=4)
    locks = []
    for _ in range(6):
        with pytest.raises(Throttled) as caught:
            backend.login("1000001", WRONG)
        locks.append(caught.value.retry_at - clock.now)
        clock.now = caught.value.retry_at
    assert locks == [timedelta(minutes=m) for m in (5, 10, 20, 40, 60, 60)]

    clock.advance(timedelta(minutes=15))  # a quarter of an hour without trying
    fail_login(backend, "1000001")


def test_every_way_of_typing_a_login_counts_for_its_one_account(backend, clock):
    for typed in ("1000001", "1 000001", "1000\u00a0001", " ANNA@example.ru\t"):
        fail_login(backend, typed)
    with pytest.raises(Throttled) as caught:
        backend.login("\u00a01000001", WRONG)
    assert caught.value.retry_at == clock.now + timedelta(minutes=5)
    with pytest.raises(Throttled):
        backend.login(world.ANNA.email, world.PASSWORD)


def test_a_login_that_names_no_account_is_counted_in_its_normal_form(backend):
    for typed in ("1999999", "1 999 999", "1999\u00a0999", "1999999 "):
        fail_login(backend, typed)
    with pytest.raises(Throttled):
        backend.login("19 99 999", WRONG)


@pytest.mark.in_process
def test_sixteen_parallel_guesses_get_only_five_checked(backend, monkeypatch):
    import threading

    from mlm_tui.core.local import auth

    checked = []
    real_verify = auth.verify_secret
    monkeypatch.setattr(auth, "verify_secret",
                        lambda stored, typed: checked.append(typed) or real_verify(stored, typed))
    start = threading.Barrier(16)
    answers = []

    def guess(number: int) -> None:
        start.wait()
        try:
            backend.login(world.ANNA.registration_number, f"guess-{number}-x7")
        except (InvalidCredentials, Throttled) as error:
            answers.append(type(error).__name__)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == ["InvalidCredentials"] * 4 + ["Throttled"] * 12
    assert len(checked) == throttle.MAX_FAILURES  # the rest never reached the hash
    with pytest.raises(Throttled):
        backend.login(world.ANNA.registration_number, world.PASSWORD)


def test_failed_logins_across_all_accounts_stop_every_login_for_the_hour(backend, settings,
                                                                        clock):
    started = clock.now - timedelta(minutes=20)
    # Credential stuffing: one or two guesses each on many logins, this hour.
    write_store(backend, insert(t.login_failures).values(
        login_key=throttle.ALL_LOGINS, failures=throttle.MAX_FAILURES_PER_HOUR - 2,
        last_failed_at=started, locked_until=None))
    assert backend.login(world.OLGA_MSK.email, world.PASSWORD)  # a success is not a failure
    fail_login(backend, "someone@example.ru")
    with pytest.raises(Throttled) as caught:  # the thousandth
        backend.login("another@example.ru", WRONG)
    assert caught.value.retry_at == started + timedelta(hours=1)
    with pytest.raises(Throttled) as caught:  # even the right password of a quiet account
        backend.login(world.ANNA.registration_number, world.PASSWORD)
    assert caught.value.field == "login"
    assert "40 min" in caught.value.message

    clock.now = started + timedelta(hours=1)
    assert backend.login(world.ANNA.registration_number, world.PASSWORD).member_id == (
        world.ANNA.id)


def test_the_ceiling_across_all_accounts_counts_fixed_hours():
    now = world.NOW
    record = None
    for _ in range(throttle.MAX_FAILURES_PER_HOUR - 1):
        record = throttle.after_failure_anywhere(record, now)
    assert throttle.locked_until(record, now) is None
    assert throttle.after_success_anywhere(record, now).failures == (
        throttle.MAX_FAILURES_PER_HOUR - 2)
    full = throttle.after_failure_anywhere(record, now + timedelta(minutes=59))
    assert throttle.locked_until(full, now + timedelta(minutes=59)) == now + timedelta(hours=1)
    assert throttle.after_success_anywhere(full, now).locked_until is None
    assert throttle.after_failure_anywhere(record, now + timedelta(hours=1)).failures == 1


def test_a_patient_guesser_gets_far_fewer_than_100_tries_an_hour_on_one_account():
    now, record, tries = world.NOW, None, 0
    for second in range(0, 3600, 10):  # a try every ten seconds whenever not locked
        at = now + timedelta(seconds=second)
        if throttle.locked_until(record, at) is None:
            record = throttle.after_failure(record, at)
            tries += 1
    assert tries <= 20


def test_a_locked_login_does_not_lock_other_members(backend):
    fail_login(backend, "1000001", times=4)
    with pytest.raises(Throttled):
        backend.login("1000001", WRONG)
    assert backend.login(world.OLGA_MSK.email, world.PASSWORD).member_id == world.OLGA_MSK.id


def test_throttle_rules_forget_after_quiet_minutes():
    now = world.NOW
    record = None
    for _ in range(4):
        record = throttle.after_failure(record, now)
    assert record.failures == 4 and throttle.locked_until(record, now) is None
    assert throttle.after_failure(record, now + timedelta(minutes=14)).failures == 5
    assert throttle.after_failure(record, now + timedelta(minutes=15)).failures == 1
    locked = throttle.after_failure(record, now)
    assert throttle.locked_until(locked, now) == now + timedelta(minutes=5)
    assert throttle.locked_until(locked, now + timedelta(minutes=5)) is None
    many = throttle.FailureRecord(10_000, now)
    assert throttle.after_failure(many, now).locked_until == now + timedelta(hours=1)


# --- sessions --------------------------------------------------------------------------------


def test_a_kept_token_resumes_in_a_new_process_until_it_expires(backend, settings, clock):
    token = backend.login("1000001", world.PASSWORD).token
    later = another_process(backend, settings, clock)
    try:
        assert later.resume(token).member_id == world.ANNA.id
        assert later.me().registration_number == "1000001"
        with pytest.raises(NotAuthenticated):
            later.resume("made-up-token")
        clock.advance(timedelta(days=14))
        assert later.session() is None
        with pytest.raises(NotAuthenticated) as caught:
            later.resume(token)
        assert "log in again" in caught.value.message
    finally:
        later.close()


def test_logout_ends_the_session_for_good(backend):
    token = backend.login("1000001", world.PASSWORD).token
    backend.logout()
    assert backend.session() is None
    with pytest.raises(NotAuthenticated):
        backend.me()
    with pytest.raises(NotAuthenticated):
        backend.resume(token)
    backend.logout()  # logging out twice is harmless


@pytest.fixture
def elsewhere(backend, settings, clock):
    """The same store opened by another process: the CLI, another terminal."""
    other = another_process(backend, settings, clock)
    yield other
    other.close()


SIGNED_IN_CALLS = {
    "me": lambda b: b.me(),
    "summary": lambda b: b.account_summary(),
    "cart": lambda b: b.cart(),
    "add_to_cart": lambda b: b.add_to_cart("32548", 1),
    "catalog": lambda b: b.search_products("крем"),
    "categories": lambda b: b.categories(),
    "product": lambda b: b.product("32548"),
    "team": lambda b: b.team_children(world.ANNA.id),
    "member": lambda b: b.member(world.OLGA_MSK.id),
    "balance": lambda b: b.balance(),
    "notifications": lambda b: b.notifications(),
    "register": lambda b: b.register_member(MARIA),
}


@pytest.mark.parametrize("call", list(SIGNED_IN_CALLS))
def test_a_logout_elsewhere_ends_the_session_here_at_its_next_call(backend, settings,
                                                                   elsewhere, call):
    token = backend.login(world.ANNA.registration_number, world.PASSWORD).token
    elsewhere.resume(token)
    elsewhere.logout()  # `mlm-tui logout` forgets the session this app holds too
    before = snapshot(backend)
    with pytest.raises(SessionEnded) as caught:
        SIGNED_IN_CALLS[call](backend)
    assert "log in again" in caught.value.message
    assert snapshot(backend) == before  # nothing was done as her
    assert backend.session() is None


def test_a_password_reset_elsewhere_ends_every_running_session(backend, settings,
                                                               elsewhere):
    backend.login(world.ANNA.email, world.PASSWORD)
    assert backend.cart().is_empty
    elsewhere.request_password_reset(world.ANNA.phone)
    [code] = codes_to(settings, world.ANNA.phone)
    elsewhere.confirm_password_reset(world.ANNA.phone, code, NEW_PASSWORD, NEW_PASSWORD)
    with pytest.raises(SessionEnded):
        backend.cart()
    with pytest.raises(NotAuthenticated):  # and stays ended
        backend.cart()
    assert backend.login(world.ANNA.email, NEW_PASSWORD).member_id == world.ANNA.id
    assert backend.cart().is_empty


def test_a_session_ends_when_the_account_is_closed(backend, settings):
    token = backend.login(world.OLGA_MSK.email, world.PASSWORD).token
    write_store(backend, update(t.members).where(t.members.c.id == world.OLGA_MSK.id)
                .values(status="closed", closed_at=world.NOW))
    with pytest.raises(NotAuthenticated):
        backend.resume(token)


def test_signing_out_elsewhere_ends_a_running_session_at_its_next_call(backend, elsewhere):
    session = backend.login(world.ANNA.email, world.PASSWORD)
    assert backend.cart().is_empty
    elsewhere.resume(session.token)  # the same session, in another terminal
    elsewhere.add_to_cart("33012", 1)
    assert len(backend.cart().lines) == 1  # writes that end no session change nothing
    elsewhere.logout()
    with pytest.raises(SessionEnded):
        backend.cart()


def test_account_summary_adds_up_ledgers_and_points(anna, settings, clock):
    order = dict(buyer_id=world.ANNA.id, placed_by_id=world.ANNA.id, source="SO", period_id=2,
                 retail=Decimal(1000), discount=Decimal(200), delivery_fee=Decimal(0),
                 total=Decimal(800), payment_method="balance", delivery_method="courier")
    write_store(
        anna,
        insert(t.orders).values(number="A-1", status="paid", placed_at=clock.now,
                                points=Decimal("12.5"), **order),
        # Not paid yet: its points come when it is (core.local.month_points).
        insert(t.orders).values(number="A-2", status="placed", placed_at=datetime(2026, 11, 1),
                                points=Decimal(8), **order),
        insert(t.orders).values(number="A-5", status="delivered",
                                placed_at=datetime(2026, 11, 1), points=Decimal(8), **order),
        insert(t.orders).values(number="A-3", status="cancelled", placed_at=clock.now,
                                points=Decimal(40), **order),
        insert(t.orders).values(number="A-4", status="delivered",
                                placed_at=datetime(2026, 10, 31, 23, 59), points=Decimal(99),
                                **order),
    )
    summary = anna.account_summary()
    assert summary.member.registration_number == "1000001"
    assert summary.balance == Money(Decimal(10000), "RUB")
    assert summary.points == Decimal(100)
    assert summary.points_this_month == Decimal("20.5")


def test_me_and_summary_need_a_session(backend):
    for call in (backend.me, backend.account_summary):
        with pytest.raises(NotAuthenticated):
            call()


# --- password reset --------------------------------------------------------------------------


def test_reset_by_email_sends_one_code_by_email_and_sms(backend, settings, clock):
    old_token = backend.login("1000001", world.PASSWORD).token
    backend.logout()
    other = backend.login("1000001", world.PASSWORD).token
    request = backend.request_password_reset(" Anna@Example.ru ")
    assert request.destination_masked == "a***a@example.ru"
    assert request.expires_at == clock.now + timedelta(minutes=15)
    assert request.resend_after == clock.now + timedelta(seconds=60)
    [by_email] = codes_to(settings, world.ANNA.email)
    [by_sms] = codes_to(settings, world.ANNA.phone)
    assert by_email == by_sms

    backend.confirm_password_reset("anna@example.ru", by_email, NEW_PASSWORD, NEW_PASSWORD)

    assert backend.session() is None  # every session of the member ended
    for token in (old_token, other):
        with pytest.raises(NotAuthenticated):
            backend.resume(token)
    fail_login(backend, "1000001")  # the old password is gone
    assert backend.login("1000001", NEW_PASSWORD).member_id == world.ANNA.id
    with pytest.raises(ValidationError) as caught:  # single use
        backend.confirm_password_reset("anna@example.ru", by_email, "Another-pass-9",
                                       "Another-pass-9")
    assert (caught.value.field, caught.value.message) == (
        "code", "This code has already been used. Ask for a new one.")


def test_reset_by_phone_as_people_type_it(backend, settings):
    request = backend.request_password_reset("8 (916) 123-45-02")
    assert request.destination_masked == "+7 *** ***-**-02"
    [code] = codes_to(settings, world.OLGA_MSK.phone)
    backend.confirm_password_reset("+79161234502", code, NEW_PASSWORD, NEW_PASSWORD)
    assert backend.login(world.OLGA_MSK.email, NEW_PASSWORD).member_id == world.OLGA_MSK.id


def test_reset_also_lifts_a_login_lock(backend, settings):
    fail_login(backend, "1000001", times=4)
    with pytest.raises(Throttled):
        backend.login("1000001", WRONG)
    backend.request_password_reset(world.ANNA.email)
    [code] = codes_to(settings, world.ANNA.email)
    backend.confirm_password_reset(world.ANNA.email, code, NEW_PASSWORD, NEW_PASSWORD)
    assert backend.login("1000001", NEW_PASSWORD).member_id == world.ANNA.id


@pytest.mark.parametrize(
    ("contact", "masked"),
    [("nobody@example.ru", "n***y@example.ru"), ("8 999 000-00-00", "+7 *** ***-**-00"),
     (world.CLOSED.email, "i***r@example.ru"), (world.NEWBIE.phone, "+7 *** ***-**-06")],
)
def test_reset_answers_alike_when_no_active_account_has_the_contact(backend, settings,
                                                                    contact, masked):
    request = backend.request_password_reset(contact)
    known = backend.request_password_reset(world.IRINA.email)
    assert request.destination_masked == masked
    assert known.destination_masked == "i***a@example.ru"
    assert (request.expires_at, request.resend_after) == (known.expires_at, known.resend_after)
    assert len(read_maildir(settings.maildir)) == 2  # Irina's e-mail and SMS, nothing else
    [code] = codes_to(settings, world.IRINA.email)
    wrong = f"{(int(code) + 1) % 10**8:08d}"

    def answers(contact: str) -> list[tuple[str, str]]:
        said = []
        for _ in range(6):
            with pytest.raises(ValidationError) as caught:
                backend.confirm_password_reset(contact, wrong, NEW_PASSWORD, NEW_PASSWORD)
            said.append((caught.value.field, caught.value.message))
        return said

    assert answers(contact) == answers(world.IRINA.email)
    assert answers(contact)[0] == ("code", "Too many wrong tries for this code. "
                                           "Ask for a new one.")


def test_a_code_typed_for_an_unknown_contact_runs_out_like_a_real_one(backend, settings,
                                                                      clock):
    for contact in ("nobody@example.ru", world.IRINA.email):
        backend.request_password_reset(contact)
    [code] = codes_to(settings, world.IRINA.email)
    wrong = f"{(int(code) + 1) % 10**8:08d}"
    said = {}
    for contact in ("nobody@example.ru", world.IRINA.email, "never-asked@example.ru"):
        first = []
        with pytest.raises(ValidationError) as caught:
            backend.confirm_password_reset(contact, wrong, NEW_PASSWORD, NEW_PASSWORD)
        first.append(caught.value.message)
        clock.advance(timedelta(minutes=15))
        with pytest.raises(ValidationError) as caught:
            backend.confirm_password_reset(contact, wrong, NEW_PASSWORD, NEW_PASSWORD)
        first.append(caught.value.message)
        clock.advance(timedelta(minutes=-15))
        said[contact] = first
    assert said["nobody@example.ru"] == said[world.IRINA.email] == [
        "The code is wrong; 4 tries left.",
        "This code is not valid or has expired. Ask for a new one."]
    # Asked for nothing: as a member who asked for nothing.
    assert said["never-asked@example.ru"] == [
        "This code is not valid or has expired. Ask for a new one."] * 2


def test_the_password_rule_names_no_e_mail_before_the_code_is_right(backend, settings):
    backend.request_password_reset(world.ANNA.phone)
    backend.request_password_reset("+79169999999")  # nobody's
    [code] = codes_to(settings, world.ANNA.phone)
    wrong = f"{(int(code) + 1) % 10**8:08d}"
    for phone in (world.ANNA.phone, "+79169999999"):
        with pytest.raises(ValidationError) as caught:
            backend.confirm_password_reset(phone, wrong, "anna@example.ru", "anna@example.ru")
        assert (caught.value.field, caught.value.message) == (
            "code", "The code is wrong; 4 tries left.")
    before = snapshot(backend)
    with pytest.raises(ValidationError) as caught:
        backend.confirm_password_reset(world.ANNA.phone, code, "anna@example.ru",
                                       "anna@example.ru")
    assert caught.value.field == "new_password" and "e-mail" in caught.value.message
    assert snapshot(backend) == before  # the code is not spent
    backend.confirm_password_reset(world.ANNA.phone, code, NEW_PASSWORD, NEW_PASSWORD)
    assert backend.login(world.ANNA.email, NEW_PASSWORD).member_id == world.ANNA.id


@pytest.mark.parametrize("contact", ["", "anna", "anna@", "+7 916 12", "@example.ru"])
def test_reset_contact_must_be_an_email_or_a_phone(backend, settings, contact):
    before = snapshot(backend)
    with pytest.raises(ValidationError) as caught:
        backend.request_password_reset(contact)
    assert caught.value.field == "contact"
    assert snapshot(backend) == before


def test_a_resend_waits_a_minute_and_retires_the_older_code(backend, settings, clock):
    backend.request_password_reset(world.ANNA.email)
    clock.advance(timedelta(seconds=59))
    with pytest.raises(Throttled) as caught:
        backend.request_password_reset("ANNA@example.ru")
    assert caught.value.field == "contact"
    assert caught.value.retry_at == world.NOW + timedelta(seconds=60)
    assert "1 s" in caught.value.message
    # The cooldown belongs to the contact typed, whether or not an account has it.
    backend.request_password_reset("nobody@example.ru")
    with pytest.raises(Throttled):
        backend.request_password_reset("nobody@example.ru")

    clock.advance(timedelta(seconds=1))
    backend.request_password_reset(world.ANNA.email)
    old_code, new_code = codes_to(settings, world.ANNA.email)
    if old_code != new_code:
        with pytest.raises(ValidationError) as caught:
            backend.confirm_password_reset(world.ANNA.email, old_code, NEW_PASSWORD,
                                           NEW_PASSWORD)
        assert caught.value.message == "The code is wrong; 4 tries left."
    backend.confirm_password_reset(world.ANNA.email, new_code, NEW_PASSWORD, NEW_PASSWORD)


def test_wrong_codes_count_down_the_tries_then_even_the_right_one_is_refused(backend,
                                                                            settings):
    backend.request_password_reset(world.ANNA.email)
    [code] = codes_to(settings, world.ANNA.email)
    wrong = f"{(int(code) + 1) % 10**8:08d}"
    messages = []
    for _ in range(5):
        with pytest.raises(ValidationError) as caught:
            backend.confirm_password_reset(world.ANNA.email, wrong, NEW_PASSWORD, NEW_PASSWORD)
        assert caught.value.field == "code"
        messages.append(caught.value.message)
    assert messages == [
        "The code is wrong; 4 tries left.",
        "The code is wrong; 3 tries left.",
        "The code is wrong; 2 tries left.",
        "The code is wrong; 1 try left.",
        "The code is wrong, and that was the last try. Ask for a new code.",
    ]
    with pytest.raises(ValidationError) as caught:
        backend.confirm_password_reset(world.ANNA.email, code, NEW_PASSWORD, NEW_PASSWORD)
    assert caught.value.message == "Too many wrong tries for this code. Ask for a new one."
    assert backend.login("1000001", world.PASSWORD).member_id == world.ANNA.id


def test_a_code_expires_after_fifteen_minutes(backend, settings, clock):
    backend.request_password_reset(world.ANNA.email)
    [code] = codes_to(settings, world.ANNA.email)
    clock.advance(timedelta(minutes=15))
    with pytest.raises(ValidationError) as caught:
        backend.confirm_password_reset(world.ANNA.email, code, NEW_PASSWORD, NEW_PASSWORD)
    assert (caught.value.field, caught.value.message) == (
        "code", "This code is not valid or has expired. Ask for a new one.")


@pytest.mark.parametrize(
    ("password", "confirmation", "field", "says"),
    [
        ("Kurz-1", "Kurz-1", "new_password", "at least 8 characters"),
        ("1234567890", "1234567890", "new_password", "only digits"),
        ("Anna@Example.ru", "Anna@Example.ru", "new_password", "e-mail"),
        ("+79161234501", "+79161234501", "new_password", "phone"),
        (NEW_PASSWORD, NEW_PASSWORD + "!", "confirmation", "not the same"),
    ],
)
def test_password_mistakes_are_named_before_the_code_is_tried(backend, settings, password,
                                                              confirmation, field, says):
    backend.request_password_reset(world.ANNA.email)
    [code] = codes_to(settings, world.ANNA.email)
    before = snapshot(backend)
    with pytest.raises(ValidationError) as caught:
        backend.confirm_password_reset(world.ANNA.email, code, password, confirmation)
    assert caught.value.field == field
    assert says in caught.value.message
    assert snapshot(backend) == before  # no try used, nothing changed
    backend.confirm_password_reset(world.ANNA.email, code, NEW_PASSWORD, NEW_PASSWORD)


def test_a_malformed_code_is_named_without_using_a_try(backend, settings):
    backend.request_password_reset(world.ANNA.email)
    before = snapshot(backend)
    with pytest.raises(ValidationError) as caught:
        backend.confirm_password_reset(world.ANNA.email, "12 34", NEW_PASSWORD, NEW_PASSWORD)
    assert (caught.value.field, caught.value.message) == ("code", "The code has 8 digits.")
    assert snapshot(backend) == before


# --- registration ----------------------------------------------------------------------------

MARIA = Registration(
    full_name="  Мария   Петрова ",
    birth_date=date(1990, 4, 12),
    email="Maria.Petrova@Example.ru",
    phone="8 916 555-44-33",
    address=Address("300000", "Тула", "ул. Ленина, 5"),
    passport="4510 123456",
)


def test_register_a_consultant_then_she_activates_and_logs_in(anna, settings, clock):
    member = anna.register_member(MARIA)
    assert member.registration_number == "2000002"  # above the highest number in the store
    assert member.status is MemberStatus.PENDING
    assert member.kind is MemberKind.CONSULTANT
    assert (member.sponsor_id, member.enroller_id) == (world.ANNA.id, world.ANNA.id)
    # Read back as her sponsor sees her: masked, without passport and birth date.
    assert (member.full_name, member.email, member.phone) == (
        "Мария Петрова", "m***a@example.ru", "+7 *** ***-**-33")
    assert member.address == Address("", "Тула", "", "RU")
    assert (member.passport, member.birth_date, member.masked) == (None, None, True)
    assert member.registered_at == clock.now
    assert anna.member(member.id).full_name == "Мария Петрова"  # she is in Anna's team
    [row] = [r for r in snapshot(anna)["members"] if r.id == member.id]
    assert (row.email, row.phone) == ("maria.petrova@example.ru", "+79165554433")
    assert (row.postcode, row.city, row.street, row.country) == (
        "300000", "Тула", "ул. Ленина, 5", "RU")
    assert (row.passport, row.birth_date) == ("4510 123456", date(1990, 4, 12))
    assert row.path == f"/1/{member.id}/"
    assert row.name_folded == "мария петрова"
    assert row.password_hash is None

    [email] = messages_to(settings, "maria.petrova@example.ru")
    assert "2000002" in email.get_content() and "Анна Смирнова" in email.get_content()
    [code] = codes_to(settings, "maria.petrova@example.ru")
    assert codes_to(settings, "+79165554433") == [code]
    with pytest.raises(InvalidCredentials):  # no password of her own yet
        anna.login("2000002", NEW_PASSWORD)

    clock.advance(timedelta(hours=71))
    session = anna.activate_member("Maria.Petrova@example.ru", code, NEW_PASSWORD,
                                   NEW_PASSWORD)
    assert session.member_id == member.id
    assert anna.session() == session
    assert anna.me().status is MemberStatus.ACTIVE
    anna.logout()
    assert anna.login("2000002", NEW_PASSWORD).full_name == "Мария Петрова"


def test_register_a_customer_in_germany(anna):
    klara = Registration(full_name="Klara Schön", birth_date=date(1999, 1, 31),
                         email="klara@example.de", phone="0151 9876 5432",
                         address=Address("80331", "München", "Marienplatz 1", "DE"),
                         kind=MemberKind.CUSTOMER)
    member = anna.register_member(klara)
    assert (member.kind, member.phone) == (MemberKind.CUSTOMER, "+49 *** ***-**-32")
    [row] = [r for r in snapshot(anna)["members"] if r.id == member.id]
    assert (row.phone, row.passport) == ("+4915198765432", None)


def test_registration_needs_a_signed_in_sponsor(backend, settings):
    before = snapshot(backend)
    with pytest.raises(NotAuthenticated):
        backend.register_member(MARIA)
    assert snapshot(backend) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"full_name": "Мария"}, "full_name"),
        ({"full_name": "Мария Петрова 2"}, "full_name"),
        ({"birth_date": date(2009, 1, 1)}, "birth_date"),
        ({"birth_date": date(2030, 1, 1)}, "birth_date"),
        ({"email": "maria.petrova@"}, "email"),
        ({"phone": "916-55"}, "phone"),
        ({"address": Address("3000", "Тула", "ул. Ленина, 5")}, "address.postcode"),
        ({"address": Address("300000", "", "ул. Ленина, 5")}, "address.city"),
        ({"address": Address("300000", "Тула", "")}, "address.street"),
        ({"passport": "№ 12"}, "passport"),
    ],
)
def test_each_field_of_a_registration_is_checked_and_nothing_is_stored(anna, settings, change,
                                                                       field):
    before = snapshot(anna)
    with pytest.raises(ValidationError) as caught:
        anna.register_member(replace(MARIA, **change))
    assert caught.value.field == field
    assert caught.value.message
    assert snapshot(anna) == before
    assert read_maildir(settings.maildir) == []


def test_every_wrong_field_of_a_registration_is_named_at_once(anna, settings):
    before = snapshot(anna)
    wrong = replace(MARIA, full_name="Мария", birth_date=date(2030, 1, 1), email="maria@",
                    phone="916-55", address=Address("3000", "", "5"), passport="№ 12")
    with pytest.raises(ValidationErrors) as caught:
        anna.register_member(wrong)
    fields = [error.field for error in caught.value.errors]
    assert fields == ["full_name", "birth_date", "email", "phone", "address.postcode",
                      "address.city", "address.street", "passport"]
    assert all(error.message for error in caught.value.errors)
    assert caught.value.to_dict()["errors"][4]["message"] == (
        "A postcode in this country has 6 digits.")
    assert snapshot(anna) == before
    assert read_maildir(settings.maildir) == []


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"email": "OLGA.MSK@example.ru"}, "email", "e-mail"),  # active, in the team
        ({"email": world.PETR.email}, "email", "e-mail"),  # active, in another team
        ({"phone": "8 916 123-45-06"}, "phone", "phone"),  # pending newcomer
        ({"full_name": "ирина  ИВАНОВА", "birth_date": date(1985, 5, 17)}, "full_name",
         "name and date of birth"),
    ],
)
def test_a_person_with_a_live_account_cannot_register_again(anna, settings, change, field,
                                                            says):
    before = snapshot(anna)
    with pytest.raises(Conflict) as caught:
        anna.register_member(replace(MARIA, **change))
    assert caught.value.field == field
    assert says in caught.value.message
    assert snapshot(anna) == before


def test_a_closed_account_does_not_block_a_new_registration(anna):
    again = replace(MARIA, full_name=world.CLOSED.full_name, birth_date=date(1985, 5, 17),
                    email=world.CLOSED.email, phone=world.CLOSED.phone)
    member = anna.register_member(again)
    assert member.status is MemberStatus.PENDING
    [row] = [r for r in snapshot(anna)["members"] if r.id == member.id]
    assert row.email == world.CLOSED.email


def test_a_namesake_born_on_another_day_is_a_different_person(anna):
    namesake = replace(MARIA, full_name="Ирина Иванова", birth_date=date(1985, 5, 18))
    assert anna.register_member(namesake).full_name == "Ирина Иванова"


# --- activation ------------------------------------------------------------------------------


@pytest.fixture
def maria(anna, settings):
    """Maria registered by Anna, and her activation code."""
    member = anna.register_member(MARIA)
    [code] = codes_to(settings, "maria.petrova@example.ru")
    anna.logout()
    return replace(member, email="maria.petrova@example.ru"), code


def test_activation_mistakes_name_their_field(backend, settings, maria):
    member, code = maria
    cases = [
        (("2000003", code, NEW_PASSWORD, NEW_PASSWORD), ValidationError, "code"),
        (("nobody@example.ru", code, NEW_PASSWORD, NEW_PASSWORD), ValidationError, "code"),
        (("1000001", code, NEW_PASSWORD, NEW_PASSWORD), ValidationError, "code"),
        (("anna", code, NEW_PASSWORD, NEW_PASSWORD), ValidationError, "login"),
        (("2000002", "1234", NEW_PASSWORD, NEW_PASSWORD), ValidationError, "code"),
        (("2000002", code, "+79165554433", "+79165554433"), ValidationError, "password"),
        (("2000002", code, "maria.petrova", "maria.petrova"), ValidationError, "password"),
        (("2000002", code, NEW_PASSWORD, "other"), ValidationError, "confirmation"),
    ]
    before = snapshot(backend)
    for arguments, error, field in cases:
        with pytest.raises(error) as caught:
            backend.activate_member(*arguments)
        assert caught.value.field == field, arguments
    assert snapshot(backend) == before
    assert backend.session() is None
    assert backend.activate_member("2000002", code, NEW_PASSWORD, NEW_PASSWORD).member_id == (
        member.id)
    with pytest.raises(ValidationError) as caught:  # once is enough
        backend.activate_member("2000002", code, NEW_PASSWORD, NEW_PASSWORD)
    assert caught.value.field == "code"


def test_activation_says_nothing_of_an_account_before_its_code_is_right(backend, settings,
                                                                       maria):
    member, code = maria
    wrong = f"{(int(code) + 1) % 10**8:08d}"
    answers = {}
    for login in ("1000001", "2000003", "nobody@example.ru", world.CLOSED.email):
        with pytest.raises(ValidationError) as caught:
            backend.activate_member(login, wrong, "maria.petrova", "maria.petrova")
        answers[login] = (caught.value.field, caught.value.message)
    assert set(answers.values()) == {
        ("code", "This code is not valid or has expired. Ask for a new one.")}
    # Her e-mail as the password is named only with the right code, which stays unspent.
    before = snapshot(backend)
    with pytest.raises(ValidationError) as caught:
        backend.activate_member(member.registration_number, code, "maria.petrova",
                                "maria.petrova")
    assert caught.value.field == "password" and "e-mail" in caught.value.message
    assert snapshot(backend) == before
    assert backend.activate_member(member.email, code, NEW_PASSWORD, NEW_PASSWORD)


def test_a_wrong_activation_code_counts_a_try(backend, maria):
    member, code = maria
    wrong = f"{(int(code) + 1) % 10**8:08d}"
    with pytest.raises(ValidationError) as caught:
        backend.activate_member(member.email, wrong, NEW_PASSWORD, NEW_PASSWORD)
    assert (caught.value.field, caught.value.message) == (
        "code", "The code is wrong; 4 tries left.")
    with pytest.raises(InvalidCredentials):  # the password was not set
        backend.login(member.email, NEW_PASSWORD)


def test_an_activation_code_lasts_72_hours(backend, clock, maria):
    member, code = maria
    clock.advance(timedelta(hours=72))
    with pytest.raises(ValidationError) as caught:
        backend.activate_member(member.registration_number, code, NEW_PASSWORD, NEW_PASSWORD)
    assert "expired" in caught.value.message


def test_a_pending_member_without_a_code_cannot_activate(backend):
    with pytest.raises(ValidationError) as caught:
        backend.activate_member(world.NEWBIE.email, "12345678", NEW_PASSWORD, NEW_PASSWORD)
    assert (caught.value.field, caught.value.message) == (
        "code", "This code is not valid or has expired. Ask for a new one.")
