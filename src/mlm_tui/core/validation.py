"""What a member types about a person, checked and brought into one stored form.

Each ``normalise_*`` function returns the value as the store keeps it (an e-mail in
lower case, a phone in E.164 ``+79161234567``, a name with single spaces) or raises
``ValidationError`` naming the field, with a message the user can act on. The same
rules serve registration, activation, password reset and login, on both backends.

The masking helpers live in :mod:`mlm_tui.core.privacy` and the password rule in
:mod:`mlm_tui.core.rules.passwords`; they are re-exported here so code that checks what
a member typed needs one import.
"""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from mlm_tui.core.errors import UnprintableText, ValidationError
from mlm_tui.core.models import Address
from mlm_tui.core.privacy import mask_address, mask_email, mask_passport, mask_phone
from mlm_tui.core.rules.passwords import PASSWORD_MAX, PASSWORD_MIN, validate_password
from mlm_tui.core.rules.printable import UNPRINTABLE, UNPRINTABLE_BUT_NEWLINE
from mlm_tui.i18n import N_

if TYPE_CHECKING:
    from phonenumbers import NumberParseException, PhoneNumber

__all__ = [
    "ADULT_AGE",
    "CODE_DIGITS",
    "PASSWORD_MAX",
    "PASSWORD_MIN",
    "REGISTRATION_DIGITS",
    "ContactKind",
    "adult_from",
    "fold_name",
    "mask_address",
    "mask_email",
    "mask_passport",
    "mask_phone",
    "normalise_address",
    "normalise_city",
    "normalise_code",
    "normalise_contact",
    "normalise_country",
    "normalise_email",
    "normalise_full_name",
    "normalise_passport",
    "normalise_phone",
    "normalise_postcode",
    "normalise_registration_number",
    "normalise_street",
    "parse_day",
    "refuse_unprintable",
    "search_text",
    "validate_birth_date",
    "validate_password",
]

ADULT_AGE = 18
OLDEST_AGE = 120
REGISTRATION_DIGITS = 7
NAME_MAX = 200
EMAIL_MAX = 254

ContactKind = Literal["email", "phone"]

_DIGITS = re.compile(r"[0-9]+")
_SPACES = re.compile(r"\s+")

# --- control characters ----------------------------------------------------------------------


def refuse_unprintable(text: str, *, field: str, multiline: bool = False) -> str:
    """``text`` unchanged, or ``UnprintableText`` naming ``field`` when it holds a control
    character (C0, DEL, C1) or a lone surrogate (undecodable bytes). ``multiline`` free
    text (a claim) may hold line feeds.

    Checked before anything else in every free-text field: a name, a city, a claim with
    ``ESC ] 52`` in it would act on the terminal of whoever reads it later.
    """
    pattern = UNPRINTABLE_BUT_NEWLINE if multiline else UNPRINTABLE
    if text and pattern.search(text):
        raise UnprintableText(
            N_("Remove the control characters (such as escape codes) from this field."),
            field=field,
        )
    return text


def search_text(text: str) -> str:
    """What is typed into a search, with control characters and lone surrogates read as
    spaces: nothing stored holds them, and a search never fails on them."""
    return UNPRINTABLE.sub(" ", text or "")


# --- e-mail ----------------------------------------------------------------------------------


def normalise_email(text: str, *, field: str = "email") -> str:
    """``  Anna@Example.RU `` -> ``anna@example.ru``; internationalised addresses
    (``klaus@müller.de``) stay as typed, in lower case.

    The syntax is email-validator's; nothing is looked up (no DNS, no network). Quoted
    local parts are refused: nobody types them into a form, and they would break the
    masking.
    """
    value = refuse_unprintable(text or "", field=field)
    value = unicodedata.normalize("NFC", value).strip()
    if not value:
        raise ValidationError(N_("Enter an e-mail address."), field=field)
    if len(value) > EMAIL_MAX:
        raise ValidationError(
            N_("An e-mail address has at most {n} characters."), field=field
        , params={"n": EMAIL_MAX})
    from email_validator import EmailNotValidError, validate_email  # with IDNA: on first use

    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(
            N_("Enter an e-mail address like name@example.ru."), field=field
        ) from None
    return checked.normalized.lower()


# --- phone -----------------------------------------------------------------------------------

# What people put in a phone number besides digits. Letters are refused rather than read
# as a keypad's (phonenumbers would turn "CALL" into 2255).
_PHONE_TYPED = re.compile(r"\+?[0-9\s\-().\u00a0/]+")


def normalise_phone(text: str, *, region: str, field: str = "phone") -> str:
    """A phone number as people write it -> E.164 (``+79161234567``), by the numbering plan
    of its country (phonenumbers).

    A number typed without its country code belongs to ``region``, the member's country
    (ISO 3166): in ``RU`` ``8 (916) 123-45-67`` and ``916 123 45 67`` are +7 numbers, in
    ``DE`` ``0151 1234 5605`` is a +49 one. ``+43 660 1234567`` and ``0043 660 1234567``
    are Austrian anywhere.
    """
    raw = refuse_unprintable(text or "", field=field).strip()
    if not raw:
        raise ValidationError(N_("Enter a phone number."), field=field)
    if not _PHONE_TYPED.fullmatch(raw):
        raise ValidationError(
            N_("A phone number has only digits, spaces, dashes and brackets."), field=field
        )
    import phonenumbers  # its numbering plans are large: loaded when a number is read

    # 00 is the international prefix of most countries, and people in the others type it
    # too; no national number starts with it.
    typed = "+" + raw[2:] if raw.startswith("00") else raw
    try:
        number = phonenumbers.parse(typed, region.upper())
    except phonenumbers.NumberParseException as error:
        raise _unreadable_phone(error, region, field) from None
    if not phonenumbers.is_valid_number(number):
        raise _invalid_phone(number, field)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _unreadable_phone(error: NumberParseException, region: str, field: str) -> ValidationError:
    import phonenumbers

    code = phonenumbers.country_code_for_region(region.upper())
    if error.error_type == error.INVALID_COUNTRY_CODE or not code:
        example = _example_phone(region)
        if example is None:
            return ValidationError(
                N_("Enter the number with its country code, starting with +."), field=field)
        return ValidationError(
            N_("Enter the number with its country code, e.g. {example}."),
            field=field,
         params={"example": example})
    return _phone_length_error(too_long=error.error_type == error.TOO_LONG, code=code,
                               field=field)


def _invalid_phone(number: PhoneNumber, field: str) -> ValidationError:
    import phonenumbers

    reason = phonenumbers.is_possible_number_with_reason(number)
    code = number.country_code or 0
    if reason in (phonenumbers.ValidationResult.TOO_SHORT,
                  phonenumbers.ValidationResult.TOO_LONG):
        return _phone_length_error(
            too_long=reason == phonenumbers.ValidationResult.TOO_LONG, code=code, field=field)
    example = _example_phone(phonenumbers.region_code_for_country_code(code))
    if example is None:
        return ValidationError(
            N_("There is no such number with +{code}: check the digits."),
            field=field, params={"code": code})
    return ValidationError(
        N_("There is no such number with +{code}: check the digits, e.g. {example}."),
        field=field,
     params={"code": code, "example": example})


def _phone_length_error(*, too_long: bool, code: int, field: str) -> ValidationError:
    message = (N_("Too many digits for a phone number with +{code}.") if too_long
               else N_("Too few digits for a phone number with +{code}."))
    return ValidationError(message, field=field, params={"code": code})


def _example_phone(region: str) -> str | None:
    """A mobile number of ``region`` as written from abroad (``+7 912 345-67-89``), if
    its numbering plan has one."""
    import phonenumbers

    example = phonenumbers.example_number_for_type(
        region.upper(), phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        return None
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# --- contact (e-mail or phone) ---------------------------------------------------------------


def normalise_contact(
    text: str, *, region: str, field: str = "contact"
) -> tuple[ContactKind, str]:
    """What a member types to be found again: their e-mail or their phone (a phone without
    its country code being one of ``region``)."""
    value = refuse_unprintable(text or "", field=field).strip()
    if "@" in value:
        return "email", normalise_email(value, field=field)
    if any(ch.isdigit() for ch in value):
        return "phone", normalise_phone(value, region=region, field=field)
    raise ValidationError(
        N_("Enter the e-mail address or phone number of your account."), field=field
    )


# --- name ------------------------------------------------------------------------------------

_NAME_PUNCTUATION = set(" -'’.")


def normalise_full_name(text: str, *, field: str = "full_name") -> str:
    """``  Ольга   Иванова `` -> ``Ольга Иванова``; letters of any script, first and last
    name at least."""
    refuse_unprintable(text or "", field=field)
    value = _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()
    if not value:
        raise ValidationError(N_("Enter the full name."), field=field)
    if len(value) > NAME_MAX:
        raise ValidationError(
            N_("A name has at most {n} characters."), field=field
        , params={"n": NAME_MAX})
    for ch in value:
        if not (ch.isalpha() or ch in _NAME_PUNCTUATION or unicodedata.combining(ch)):
            raise ValidationError(
                N_("A name has only letters, spaces, hyphens and apostrophes."), field=field
            )
    words = [word for word in value.split(" ") if any(ch.isalpha() for ch in word)]
    if len(words) < 2:
        raise ValidationError(N_("Enter both the first and the last name."), field=field)
    return value


def fold_name(full_name: str) -> str:
    """The form names are compared in: ``Ольга  ИВАНОВА`` and ``ольга иванова`` are one."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", full_name)).strip().casefold()


# --- birth date ------------------------------------------------------------------------------


_DOTTED_DAY = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def parse_day(text: str, *, field: str = "birth_date") -> date:
    """``17.05.1985`` or ``1985-05-17`` -> a date.

    A text in the right shape naming a day the calendar lacks (``31.02.2020``) gets its own
    message: the format was right, so asking for the format again would not help.
    """
    cleaned = (text or "").strip()
    if dotted := _DOTTED_DAY.fullmatch(cleaned):
        day, month, year = (int(part) for part in dotted.groups())
    elif iso := _ISO_DAY.fullmatch(cleaned):
        year, month, day = (int(part) for part in iso.groups())
    else:
        raise ValidationError(N_("Enter the date as DD.MM.YYYY."), field=field)
    try:
        return date(year, month, day)
    except ValueError:
        if not 1 <= month <= 12:
            raise ValidationError(
                N_("There is no month {month}: the month is 01 to 12."),
                field=field, params={"month": month}) from None
        raise ValidationError(
            N_("There is no {day:02d}.{month:02d}.{year}: that month has {days} days."),
            field=field,
                params={"day": day,
                        "month": month,
                        "year": year,
                        "days": monthrange(year, month)[1]}) from None


def adult_from(birth_date: date) -> date:
    """The day a person turns 18; born on 29 February, on 1 March of a common year."""
    year = birth_date.year + ADULT_AGE
    try:
        return birth_date.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def validate_birth_date(birth_date: object, today: date, *, field: str = "birth_date") -> date:
    """A real, past date of someone who is at least 18 on ``today``."""
    if isinstance(birth_date, datetime) or not isinstance(birth_date, date):
        raise ValidationError(N_("Enter the date of birth."), field=field)
    if birth_date > today:
        raise ValidationError(N_("The date of birth is in the future."), field=field)
    if birth_date.year < today.year - OLDEST_AGE:
        raise ValidationError(N_("Check the year of birth."), field=field)
    if adult_from(birth_date) > today:
        raise ValidationError(
            N_("A member must be at least {age} years old."), field=field
        , params={"age": ADULT_AGE})
    return birth_date


# --- registration number ---------------------------------------------------------------------


def normalise_registration_number(text: str, *, field: str = "login") -> str:
    """``1000 001`` -> ``1000001``: seven digits."""
    value = _SPACES.sub("", text or "")
    if not _DIGITS.fullmatch(value) or len(value) != REGISTRATION_DIGITS:
        raise ValidationError(
            N_("A registration number has {n} digits."),
            field=field,
         params={"n": REGISTRATION_DIGITS})
    return value


# --- passport and address --------------------------------------------------------------------


def normalise_passport(text: str | None, *, field: str = "passport") -> str | None:
    """Optional: ``None`` when left empty; else 6 to 20 letters and digits as printed."""
    value = _SPACES.sub(" ", refuse_unprintable(text or "", field=field)).strip().upper()
    if not value:
        return None
    characters = [ch for ch in value if ch not in " -"]
    if not all(ch.isascii() and ch.isalnum() for ch in characters) or not (
        6 <= len(characters) <= 20
    ):
        raise ValidationError(
            N_("Enter the passport number as printed: 6 to 20 letters and digits."),
            field=field,
        )
    return value


# Postcodes of the markets served; elsewhere any short code of letters and digits.
_POSTCODES = {"RU": (re.compile(r"[0-9]{6}"), "6"), "DE": (re.compile(r"[0-9]{5}"), "5")}
_OTHER_POSTCODE = re.compile(r"[A-Z0-9][A-Z0-9 -]{1,8}[A-Z0-9]")


def normalise_address(address: Address, *, field: str = "address") -> Address:
    """The whole address, each line by its own rule; any error names ``field``."""
    country = normalise_country(address.country, field=field)
    return replace(
        address,
        postcode=normalise_postcode(address.postcode, country, field=field),
        city=normalise_city(address.city, field=field),
        street=normalise_street(address.street, field=field),
        country=country,
    )


def normalise_country(text: str | None, *, field: str = "country") -> str:
    """``ru`` -> ``RU``: an ISO 3166 country code."""
    country = refuse_unprintable(text or "", field=field).strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise ValidationError(N_("Choose the country of the address."), field=field)
    return country


def normalise_postcode(text: str | None, country: str, *, field: str = "postcode") -> str:
    """A postcode as the post of ``country`` (``RU``, ``DE``...) writes it."""
    postcode = _SPACES.sub(" ", refuse_unprintable(text or "", field=field)).strip().upper()
    rule = _POSTCODES.get(country.upper())
    if rule is not None and not rule[0].fullmatch(postcode):
        raise ValidationError(
            N_("A postcode in this country has {n} digits."), field=field
        , params={"n": rule[1]})
    if rule is None and not _OTHER_POSTCODE.fullmatch(postcode):
        raise ValidationError(N_("Enter the postcode."), field=field)
    return postcode


def normalise_city(text: str | None, *, field: str = "city") -> str:
    return _address_words(text, field=field, longest=100, missing=N_("Enter the city."))


def normalise_street(text: str | None, *, field: str = "street") -> str:
    """The street and house number: letters somewhere, not only a number."""
    return _address_words(text, field=field, longest=200,
                          missing=N_("Enter the street and house number."))


def _address_words(text: str | None, *, field: str, longest: int, missing: str) -> str:
    """A line of an address in words: spaces made single, letters somewhere in it."""
    words = refuse_unprintable(text or "", field=field)
    words = _SPACES.sub(" ", unicodedata.normalize("NFC", words)).strip()
    if not any(ch.isalpha() for ch in words) or len(words) > longest:
        raise ValidationError(missing, field=field)
    return words


# --- one-time codes --------------------------------------------------------------------------

CODE_DIGITS = 8


def normalise_code(text: str, *, field: str = "code") -> str:
    """``1234 5678`` -> ``12345678``: the digits of a reset or activation code."""
    value = _SPACES.sub("", text or "").replace("-", "")
    if not _DIGITS.fullmatch(value) or len(value) != CODE_DIGITS:
        raise ValidationError(
            N_("The code has {n} digits."), field=field
        , params={"n": CODE_DIGITS})
    return value
