"""What a member types about a person, checked and brought into one stored form.

Each ``normalise_*`` function returns the value as the store keeps it (an e-mail in
lower case, a phone in E.164 ``+79161234567``, a name with single spaces) or raises
``ValidationError`` naming the field, with a message the user can act on. The same
rules serve registration, activation, password reset and login, on both backends.

The masking helpers live in :mod:`mlm_tui.core.privacy`; they are re-exported here so
code that checks a value and then shows it masked needs one import.
"""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from mlm_tui.core.errors import ValidationError
from mlm_tui.core.models import Address
from mlm_tui.core.privacy import mask_address, mask_email, mask_passport, mask_phone
from mlm_tui.i18n import _

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
    "validate_birth_date",
    "validate_password",
]

ADULT_AGE = 18
OLDEST_AGE = 120
REGISTRATION_DIGITS = 7
PASSWORD_MIN = 8
# argon2 takes any length; a bound keeps a megabyte "password" from costing the server.
PASSWORD_MAX = 128
NAME_MAX = 200
EMAIL_MAX = 254

ContactKind = Literal["email", "phone"]

_DIGITS = re.compile(r"[0-9]+")
_SPACES = re.compile(r"\s+")

# --- e-mail ----------------------------------------------------------------------------------


def normalise_email(text: str, *, field: str = "email") -> str:
    """``  Anna@Example.RU `` -> ``anna@example.ru``; internationalised addresses
    (``klaus@müller.de``) stay as typed, in lower case.

    The syntax is email-validator's; nothing is looked up (no DNS, no network). Quoted
    local parts are refused: nobody types them into a form, and they would break the
    masking.
    """
    value = unicodedata.normalize("NFC", text or "").strip()
    if not value:
        raise ValidationError(_("Enter an e-mail address."), field=field)
    if len(value) > EMAIL_MAX:
        raise ValidationError(
            _("An e-mail address has at most {n} characters.").format(n=EMAIL_MAX), field=field
        )
    from email_validator import EmailNotValidError, validate_email  # with IDNA: on first use

    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(
            _("Enter an e-mail address like name@example.ru."), field=field
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
    raw = (text or "").strip()
    if not raw:
        raise ValidationError(_("Enter a phone number."), field=field)
    if not _PHONE_TYPED.fullmatch(raw):
        raise ValidationError(
            _("A phone number has only digits, spaces, dashes and brackets."), field=field
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
                _("Enter the number with its country code, starting with +."), field=field)
        return ValidationError(
            _("Enter the number with its country code, e.g. {example}.").format(
                example=example),
            field=field,
        )
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
            _("There is no such number with +{code}: check the digits.").format(code=code),
            field=field)
    return ValidationError(
        _("There is no such number with +{code}: check the digits, e.g. {example}.").format(
            code=code, example=example),
        field=field,
    )


def _phone_length_error(*, too_long: bool, code: int, field: str) -> ValidationError:
    message = (_("Too many digits for a phone number with +{code}.") if too_long
               else _("Too few digits for a phone number with +{code}."))
    return ValidationError(message.format(code=code), field=field)


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
    value = (text or "").strip()
    if "@" in value:
        return "email", normalise_email(value, field=field)
    if any(ch.isdigit() for ch in value):
        return "phone", normalise_phone(value, region=region, field=field)
    raise ValidationError(
        _("Enter the e-mail address or phone number of your account."), field=field
    )


# --- name ------------------------------------------------------------------------------------

_NAME_PUNCTUATION = set(" -'’.")


def normalise_full_name(text: str, *, field: str = "full_name") -> str:
    """``  Ольга   Иванова `` -> ``Ольга Иванова``; letters of any script, first and last
    name at least."""
    value = _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()
    if not value:
        raise ValidationError(_("Enter the full name."), field=field)
    if len(value) > NAME_MAX:
        raise ValidationError(
            _("A name has at most {n} characters.").format(n=NAME_MAX), field=field
        )
    for ch in value:
        if not (ch.isalpha() or ch in _NAME_PUNCTUATION or unicodedata.combining(ch)):
            raise ValidationError(
                _("A name has only letters, spaces, hyphens and apostrophes."), field=field
            )
    words = [word for word in value.split(" ") if any(ch.isalpha() for ch in word)]
    if len(words) < 2:
        raise ValidationError(_("Enter both the first and the last name."), field=field)
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
        raise ValidationError(_("Enter the date as DD.MM.YYYY."), field=field)
    try:
        return date(year, month, day)
    except ValueError:
        if not 1 <= month <= 12:
            raise ValidationError(
                _("There is no month {month}: the month is 01 to 12.").format(month=month),
                field=field) from None
        raise ValidationError(
            _("There is no {day:02d}.{month:02d}.{year}: that month has {days} days.").format(
                day=day, month=month, year=year, days=monthrange(year, month)[1]),
            field=field) from None


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
        raise ValidationError(_("Enter the date of birth."), field=field)
    if birth_date > today:
        raise ValidationError(_("The date of birth is in the future."), field=field)
    if birth_date.year < today.year - OLDEST_AGE:
        raise ValidationError(_("Check the year of birth."), field=field)
    if adult_from(birth_date) > today:
        raise ValidationError(
            _("A member must be at least {age} years old.").format(age=ADULT_AGE), field=field
        )
    return birth_date


# --- password --------------------------------------------------------------------------------

# The few that people pick first; a long list belongs to a breach check, not here.
_COMMON_PASSWORDS = frozenset({
    "password", "password1", "password123", "passwort", "passwort1", "qwertyui",
    "qwerty123", "qwertyuiop", "12345678a", "abcdefgh", "abc12345", "iloveyou",
    "11111111a", "letmein1", "welcome1", "admin123", "пароль123", "йцукенгш",
})


def validate_password(
    password: str,
    *,
    avoid: Iterable[str | None] = (),
    field: str = "new_password",
) -> None:
    """A password that is not trivially guessed; ``avoid`` holds the member's own
    registration number, e-mail and phone."""
    if not password:
        raise ValidationError(_("Choose a password."), field=field)
    if len(password) < PASSWORD_MIN:
        raise ValidationError(
            _("The password needs at least {n} characters.").format(n=PASSWORD_MIN),
            field=field,
        )
    if len(password) > PASSWORD_MAX:
        raise ValidationError(
            _("The password may have at most {n} characters.").format(n=PASSWORD_MAX),
            field=field,
        )
    if password.isdigit():
        raise ValidationError(_("The password must not be only digits."), field=field)
    if len(set(password)) == 1:
        raise ValidationError(
            _("The password must not be one character repeated."), field=field
        )
    folded = password.casefold()
    if folded in _own_words(avoid):
        raise ValidationError(
            _("The password must not be your registration number, e-mail or phone."),
            field=field,
        )
    if folded in _COMMON_PASSWORDS:
        raise ValidationError(_("This password is too common; choose another."), field=field)


def _own_words(avoid: Iterable[str | None]) -> set[str]:
    words = set()
    for value in avoid:
        if not value:
            continue
        folded = value.strip().casefold()
        words.add(folded)
        words.add(folded.partition("@")[0])  # the name part of an e-mail
        words.add(folded.removeprefix("+"))
    return words


# --- registration number ---------------------------------------------------------------------


def normalise_registration_number(text: str, *, field: str = "login") -> str:
    """``1000 001`` -> ``1000001``: seven digits."""
    value = _SPACES.sub("", text or "")
    if not _DIGITS.fullmatch(value) or len(value) != REGISTRATION_DIGITS:
        raise ValidationError(
            _("A registration number has {n} digits.").format(n=REGISTRATION_DIGITS),
            field=field,
        )
    return value


# --- passport and address --------------------------------------------------------------------


def normalise_passport(text: str | None, *, field: str = "passport") -> str | None:
    """Optional: ``None`` when left empty; else 6 to 20 letters and digits as printed."""
    value = _SPACES.sub(" ", text or "").strip().upper()
    if not value:
        return None
    characters = [ch for ch in value if ch not in " -"]
    if not all(ch.isascii() and ch.isalnum() for ch in characters) or not (
        6 <= len(characters) <= 20
    ):
        raise ValidationError(
            _("Enter the passport number as printed: 6 to 20 letters and digits."),
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
    country = (text or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise ValidationError(_("Choose the country of the address."), field=field)
    return country


def normalise_postcode(text: str | None, country: str, *, field: str = "postcode") -> str:
    """A postcode as the post of ``country`` (``RU``, ``DE``...) writes it."""
    postcode = _SPACES.sub(" ", text or "").strip().upper()
    rule = _POSTCODES.get(country.upper())
    if rule is not None and not rule[0].fullmatch(postcode):
        raise ValidationError(
            _("A postcode in this country has {n} digits.").format(n=rule[1]), field=field
        )
    if rule is None and not _OTHER_POSTCODE.fullmatch(postcode):
        raise ValidationError(_("Enter the postcode."), field=field)
    return postcode


def normalise_city(text: str | None, *, field: str = "city") -> str:
    city = _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()
    if not any(ch.isalpha() for ch in city) or len(city) > 100:
        raise ValidationError(_("Enter the city."), field=field)
    return city


def normalise_street(text: str | None, *, field: str = "street") -> str:
    """The street and house number: letters somewhere, not only a number."""
    street = _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()
    if not any(ch.isalpha() for ch in street) or len(street) > 200:
        raise ValidationError(_("Enter the street and house number."), field=field)
    return street


# --- one-time codes --------------------------------------------------------------------------

CODE_DIGITS = 8


def normalise_code(text: str, *, field: str = "code") -> str:
    """``1234 5678`` -> ``12345678``: the digits of a reset or activation code."""
    value = _SPACES.sub("", text or "").replace("-", "")
    if not _DIGITS.fullmatch(value) or len(value) != CODE_DIGITS:
        raise ValidationError(
            _("The code has {n} digits.").format(n=CODE_DIGITS), field=field
        )
    return value
