"""Masked personal data: recognisable, not usable."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from mlm_tui.core.dates import format_day, format_month
from mlm_tui.core.models import Address
from mlm_tui.core.privacy import (
    mask_address,
    mask_birth_date,
    mask_email,
    mask_passport,
    mask_phone,
)


def test_phone_keeps_country_code_and_last_two_digits():
    assert mask_phone("+79161234517") == "+7 *** ***-**-17"
    assert mask_phone("+4915112345605") == "+49 *** ***-**-05"
    assert mask_phone("89161234517") == "*** ***-**-17"
    assert mask_phone(None) == ""


def test_email_keeps_first_and_last_letter_and_the_domain():
    assert mask_email("olga.msk@example.ru") == "o***k@example.ru"
    assert mask_email("a@example.ru") == "*@example.ru"
    assert mask_email(None) == ""


def test_address_shows_only_the_city():
    assert mask_address(Address("101000", "Казань", "ул. Баумана, 5")) == "Казань, ***"


def test_passport_and_birth_date_hide_almost_everything():
    assert mask_passport("4510 123456") == "*********56"
    assert mask_birth_date(date(1985, 5, 17)) == "**.**.****"
    assert mask_passport(None) == mask_birth_date(None) == ""


def test_days_and_months_in_each_locale():
    assert format_day(date(2026, 11, 20), "ru") == "20.11.2026"
    assert format_day(date(2026, 11, 20), "de") == "20.11.2026"
    assert format_day(date(2026, 11, 20), "en") == "Nov 20, 2026"
    assert format_month("2026-11", "ru") == "ноябрь 2026"
    assert format_month("2026-03", "de") == "März 2026"
    assert format_day(None) == ""


def test_an_upline_s_view_keeps_what_tells_members_apart_and_nothing_to_reach_them():
    from mlm_tui.core.models import Member, MemberKind, MemberStatus
    from mlm_tui.core.privacy import as_seen_by_upline

    member = Member(
        id=5, registration_number="1000005", kind=MemberKind.CONSULTANT,
        status=MemberStatus.ACTIVE, full_name="Klaus Müller", email="klaus@example.de",
        phone="+4915112345605", birth_date=date(1985, 5, 17),
        address=Address("80331", "München", "Marienplatz 1", "DE"), passport="C01X00T47",
        sponsor_id=2, enroller_id=2, registered_at=datetime(2024, 4, 2, 9),
    )
    seen = as_seen_by_upline(member)
    assert (seen.email, seen.phone) == ("k***s@example.de", "+49 *** ***-**-05")
    assert seen.address == Address("", "München", "", "DE")
    assert (seen.birth_date, seen.passport, seen.masked) == (None, None, True)
    assert (seen.full_name, seen.registration_number, seen.sponsor_id) == (
        "Klaus Müller", "1000005", 2)
    assert as_seen_by_upline(replace(member, email=None, address=None)).email is None
