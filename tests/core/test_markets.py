"""A company in any market reads the phone numbers typed there by that country's plan."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select, update

from mlm_tui.core.company import demo_company, market_country, profile_from_json, profile_to_json
from mlm_tui.core.local import schema as t
from mlm_tui.core.models import Address, Registration
from mlm_tui.core.notifier import read_maildir
from tests import world


@pytest.mark.parametrize(
    ("locale", "country"),
    [("ru", "RU"), ("de", "DE"), ("de_AT", "AT"), ("de-CH", "CH"), ("kk", "KZ"), ("pl", "PL")],
)
def test_the_market_is_the_country_of_the_companys_locale(locale, country):
    assert market_country(replace(demo_company("de"), locale=locale)) == country


def test_a_newcomer_in_austria_keeps_her_austrian_number(anna):
    lena = Registration(full_name="Lena Huber", birth_date=date(1990, 1, 2),
                        email="lena@example.at", phone="0660 1234567",
                        address=Address("1010", "Wien", "Graben 1", "AT"))
    assert anna.register_member(lena).phone == "+436601234567"


def test_a_company_in_austria_finds_a_member_by_her_number_as_austrians_write_it(
        backend, settings):
    with backend.store.write() as conn:
        company = profile_from_json(conn.execute(select(t.company.c.profile)).scalar_one())
        conn.execute(t.company.update().values(
            profile=profile_to_json(replace(company, locale="de_AT"))))
        conn.execute(update(t.members).where(t.members.c.id == world.ANNA.id)
                     .values(phone="+436601234567"))
    backend._company = None  # the backend keeps the profile it read

    request = backend.request_password_reset("0660 123 45 67")
    assert request.destination_masked.startswith("+43 ")
    texted = [m["X-SMS-To"] for m in read_maildir(settings.maildir) if m["X-SMS-To"]]
    assert texted == ["+436601234567"]
