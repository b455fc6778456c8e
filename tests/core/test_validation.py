"""What a member types, checked and normalised: each mistake names its field."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest

from mlm_tui.core.errors import ValidationError
from mlm_tui.core.models import Address
from mlm_tui.core.validation import (
    adult_from,
    fold_name,
    mask_address,
    mask_email,
    mask_passport,
    mask_phone,
    normalise_address,
    normalise_city,
    normalise_code,
    normalise_contact,
    normalise_country,
    normalise_email,
    normalise_full_name,
    normalise_passport,
    normalise_phone,
    normalise_postcode,
    normalise_registration_number,
    normalise_street,
    parse_day,
    validate_birth_date,
    validate_password,
)

TODAY = date(2026, 11, 20)


def rejected(call, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value


# --- e-mail ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("anna@example.ru", "anna@example.ru"),
        ("  Anna.Smirnova@Example.RU ", "anna.smirnova@example.ru"),
        ("o'brien+shop@mail.example.de", "o'brien+shop@mail.example.de"),
        ("klaus@müller.de", "klaus@müller.de"),
        ("Иван@Пример.РФ", "иван@пример.рф"),
        # The same mailbox typed as the DNS spells it is one address, not a second one.
        ("klaus@xn--mller-kva.de", "klaus@müller.de"),
    ],
)
def test_email_is_trimmed_and_lower_cased(typed, stored):
    assert normalise_email(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["anna", "anna@", "@example.ru", "anna@example", "an na@example.ru", "anna@@example.ru",
     "anna.@example.ru", ".anna@example.ru", "an..na@example.ru", "anna@-example.ru",
     "anna@example.123", "anna@exa_mple.ru", "anna(x)@example.ru", "anna@localhost",
     '"anna smirnova"@example.ru', "Anna <anna@example.ru>", "anna@shop.local",
     "anna@ex--ample.ru"],
)
def test_malformed_email_is_refused_with_an_example(typed):
    error = rejected(normalise_email, typed)
    assert error.field == "email"
    assert "name@example.ru" in error.message


def test_empty_and_overlong_email_say_what_is_wrong():
    assert rejected(normalise_email, "  ").message == "Enter an e-mail address."
    long_address = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".ru"
    assert "at most 254" in rejected(normalise_email, long_address).message


def test_email_error_can_name_another_field():
    assert rejected(normalise_email, "nope", field="contact").field == "contact"


# --- phone -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "region", "e164"),
    [
        ("+79161234501", "RU", "+79161234501"),
        ("+7 (916) 123-45-01", "RU", "+79161234501"),
        ("8 916 123 45 01", "RU", "+79161234501"),
        ("7-916-123-45-01", "RU", "+79161234501"),
        ("916 123-45-01", "RU", "+79161234501"),
        ("+49 151 12345605", "RU", "+4915112345605"),
        ("0049 151 12345605", "RU", "+4915112345605"),
        ("0151 1234 5605", "DE", "+4915112345605"),
        ("0049 151 12345605", "DE", "+4915112345605"),
        ("030/1234567", "DE", "+49301234567"),
        ("+43 660 1234567", "DE", "+436601234567"),
    ],
)
def test_russian_and_german_numbers_become_e164(typed, region, e164):
    assert normalise_phone(typed, region=region) == e164


def test_a_number_without_country_code_is_one_of_the_members_country():
    # A leading 0 is not Germany everywhere: in Austria it is Austria, in Russia no number.
    assert normalise_phone("0660 1234567", region="AT") == "+436601234567"
    assert "+7" in rejected(normalise_phone, "0151 1234 5605", region="RU").message
    # A third market reads its own numbers, trunk prefix and all.
    assert normalise_phone("8 701 123 45 67", region="KZ") == "+77011234567"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Enter a phone number."),
        ("+7 916 123 45", "Too few digits for a phone number with +7."),
        ("8 916 123 45 011", "no such number with +7"),
        ("+49 0151 1234567", "no such number with +49"),
        ("+49 12", "no such number with +49"),
        ("916-CALL-ME", "only digits"),
        ("12345", "Too few digits for a phone number with +7."),
        ("+1 23", "Too few digits for a phone number with +1."),
        ("+999 1234567", "country code, e.g. +7 912 345-67-89"),
    ],
)
def test_wrong_phone_numbers_say_what_to_fix(typed, says):
    error = rejected(normalise_phone, typed, region="RU")
    assert error.field == "phone"
    assert says in error.message


# --- contact ---------------------------------------------------------------------------------


def test_contact_is_an_email_or_a_phone():
    assert normalise_contact(" Anna@Example.ru ", region="RU") == ("email", "anna@example.ru")
    assert normalise_contact("8 916 123-45-01", region="RU") == ("phone", "+79161234501")
    assert normalise_contact("0151 1234 5605", region="DE") == ("phone", "+4915112345605")
    error = rejected(normalise_contact, "anna smirnova", region="RU")
    assert error.field == "contact"
    assert "e-mail address or phone number" in error.message
    assert rejected(normalise_contact, "anna@", region="RU").field == "contact"
    assert rejected(normalise_contact, "+7 916", region="RU").field == "contact"


# --- names -----------------------------------------------------------------------------------


def test_full_name_keeps_its_letters_and_loses_extra_spaces():
    assert normalise_full_name("  Ольга   Иванова ") == "Ольга Иванова"
    assert normalise_full_name("Hans-Peter O'Neill") == "Hans-Peter O'Neill"
    assert normalise_full_name("Jürgen von Müller") == "Jürgen von Müller"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Enter the full name."),
        ("Ольга", "first and the last name"),
        ("Ольга -", "first and the last name"),
        ("Ольга Иванова2", "only letters"),
        ("Olga <b>Iva</b>", "only letters"),
        ("Ольга " + "И" * 200, "at most 200"),
    ],
)
def test_bad_full_names_are_refused(typed, says):
    error = rejected(normalise_full_name, typed)
    assert error.field == "full_name"
    assert says in error.message


def test_names_fold_for_comparison():
    assert fold_name("Ольга  ИВАНОВА") == fold_name("ольга иванова") == "ольга иванова"
    assert fold_name("Straße") == fold_name("STRASSE")


# --- birth date ------------------------------------------------------------------------------


def test_adult_from_the_eighteenth_birthday_on_the_clocks_date():
    assert validate_birth_date(date(2008, 11, 20), TODAY) == date(2008, 11, 20)
    error = rejected(validate_birth_date, date(2008, 11, 21), TODAY)
    assert error.field == "birth_date"
    assert error.message == "A member must be at least 18 years old."


def test_born_on_29_february_is_adult_on_1_march():
    assert adult_from(date(2008, 2, 29)) == date(2026, 3, 1)
    assert adult_from(date(1990, 2, 28)) == date(2008, 2, 28)
    rejected(validate_birth_date, date(2008, 2, 29), date(2026, 2, 28))
    assert validate_birth_date(date(2008, 2, 29), date(2026, 3, 1))


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("31.02.2020", "There is no 31.02.2020: that month has 29 days."),
        ("29.02.2021", "There is no 29.02.2021: that month has 28 days."),
        ("31.04.1990", "There is no 31.04.1990: that month has 30 days."),
        ("2021-02-29", "There is no 29.02.2021: that month has 28 days."),
        ("12.13.1990", "There is no month 13: the month is 01 to 12."),
        ("12/05/1990", "Enter the date as DD.MM.YYYY."),
        ("12.05.90", "Enter the date as DD.MM.YYYY."),
        ("", "Enter the date as DD.MM.YYYY."),
    ],
)
def test_a_typed_day_says_whether_the_format_or_the_day_is_wrong(typed, says):
    error = rejected(parse_day, typed)
    assert (error.field, error.message) == ("birth_date", says)


def test_a_typed_day_in_either_format():
    assert parse_day(" 29.02.2020 ") == parse_day("2020-02-29") == date(2020, 2, 29)
    assert parse_day("1.5.1985") == date(1985, 5, 1)


@pytest.mark.parametrize(
    ("birth", "says"),
    [
        (date(2027, 1, 1), "in the future"),
        (date(1890, 1, 1), "Check the year"),
        ("1985-05-17", "Enter the date of birth."),
        (datetime(1985, 5, 17), "Enter the date of birth."),
        (None, "Enter the date of birth."),
    ],
)
def test_impossible_birth_dates_are_refused(birth, says):
    error = rejected(validate_birth_date, birth, TODAY)
    assert error.field == "birth_date"
    assert says in error.message


# --- password --------------------------------------------------------------------------------


def test_a_reasonable_password_passes():
    validate_password("Lavendel-2026", avoid=("1000001", "anna@example.ru", "+79161234501"))


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("", "Choose a password."),
        ("Ab3-xyz", "at least 8 characters"),
        ("12345678901", "only digits"),
        ("aaaaaaaaaa", "one character repeated"),
        ("ANNA@EXAMPLE.RU", "registration number, e-mail or phone"),
        ("anna@example.ru", "registration number, e-mail or phone"),
        ("+79161234501", "registration number, e-mail or phone"),
        ("Password123", "too common"),
        ("x" * 100 + "y" * 29, "at most 128"),
    ],
)
def test_weak_passwords_are_refused(password, says):
    error = rejected(validate_password, password,
                     avoid=("1000001", "anna@example.ru", "+79161234501"))
    assert error.field == "new_password"
    assert says in error.message


def test_password_may_not_be_the_email_name_or_the_login():
    own = ("1000001", "anna.smirnova@example.ru", None)
    assert "e-mail" in rejected(validate_password, "Anna.Smirnova", avoid=own).message
    error = rejected(validate_password, "reg1000001", avoid=("reg1000001",), field="password")
    assert error.field == "password"


# --- registration number, passport, address, code --------------------------------------------


def test_registration_number_has_seven_digits():
    assert normalise_registration_number(" 1000 001 ") == "1000001"
    for typed in ("100001", "10000011", "100000a", ""):
        error = rejected(normalise_registration_number, typed)
        assert error.field == "login"
        assert error.message == "A registration number has 7 digits."


def test_passport_is_optional_and_kept_as_printed():
    assert normalise_passport(None) is None
    assert normalise_passport("   ") is None
    assert normalise_passport(" 4510  123456 ") == "4510 123456"
    assert normalise_passport("l01x00t47") == "L01X00T47"
    for typed in ("12345", "4510 12345!", "ПАСПОРТ123"):
        assert rejected(normalise_passport, typed).field == "passport"


def test_address_is_tidied_and_checked_per_country():
    address = normalise_address(Address(" 101000 ", " Москва ", "ул.  Тверская, 7", "ru"))
    assert address == Address("101000", "Москва", "ул. Тверская, 7", "RU")
    assert normalise_address(Address("80331", "München", "Marienplatz 1", "DE")).postcode == (
        "80331")
    assert normalise_address(Address("1010", "Wien", "Graben 1", "AT")).city == "Wien"


@pytest.mark.parametrize(
    ("address", "says"),
    [
        (Address("1010", "Москва", "ул. Тверская, 7", "RU"), "6 digits"),
        (Address("803310", "München", "Marienplatz 1", "DE"), "5 digits"),
        (Address("101000", "  ", "ул. Тверская, 7"), "Enter the city."),
        (Address("101000", "Москва", ""), "Enter the street and house number."),
        (Address("101000", "Москва", "7"), "Enter the street and house number."),
        (Address("", "Wien", "Graben 1", "AT"), "Enter the postcode."),
        (Address("101000", "Москва", "ул. Тверская, 7", "Russia"), "country"),
    ],
)
def test_bad_addresses_are_refused(address, says):
    error = rejected(normalise_address, address)
    assert error.field == "address"
    assert says in error.message


def test_each_address_line_is_checked_alone_and_names_itself():
    assert normalise_postcode(" 101000 ", "RU") == "101000"
    assert normalise_postcode("1010", "AT") == "1010"
    assert normalise_city("  Нижний   Новгород ") == "Нижний Новгород"
    assert normalise_street("Marienplatz  1") == "Marienplatz 1"
    assert normalise_country(" de ") == "DE"
    for call, args, field, says in (
        (normalise_postcode, ("4201", "RU"), "postcode", "6 digits"),
        (normalise_postcode, ("", "AT"), "postcode", "Enter the postcode."),
        (normalise_city, (" ",), "city", "Enter the city."),
        (normalise_street, ("7",), "street", "Enter the street and house number."),
        (normalise_country, ("Russia",), "country", "country"),
    ):
        error = rejected(call, *args)
        assert (error.field, says in error.message) == (field, True)


def test_codes_have_eight_digits():
    assert normalise_code(" 1234 5678 ") == "12345678"
    assert normalise_code("1234-5678") == "12345678"
    error = rejected(normalise_code, "1234567")
    assert (error.field, error.message) == ("code", "The code has 8 digits.")


# --- masking ---------------------------------------------------------------------------------


def test_masks_leave_enough_to_recognise_a_contact():
    assert mask_email("anna@example.ru") == "a***a@example.ru"
    assert mask_phone("+79161234501") == "+7 *** ***-**-01"
    assert mask_phone("+4915112345605") == "+49 *** ***-**-05"
    assert mask_passport("4510 123456") == "*********56"
    assert mask_address(Address("101000", "Тверь", "ул. Советская, 1")) == "Тверь, ***"


# --- text typed decomposed -----------------------------------------------------------------


def test_text_typed_decomposed_is_kept_composed():
    def nfd(text: str) -> str:
        return unicodedata.normalize("NFD", text)

    address = normalise_address(Address("80331", nfd("München"), nfd("Süßstraße 1"), "DE"))
    assert (address.city, address.street) == ("München", "Süßstraße 1")
    assert normalise_email(nfd("Jürgen@Example.de")) == "jürgen@example.de"
    assert normalise_full_name(nfd("Фёдор Чайкин")) == "Фёдор Чайкин"
