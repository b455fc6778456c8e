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
from dataclasses import replace
from datetime import date, datetime
from typing import Literal

from mlm_tui.core.errors import ValidationError
from mlm_tui.core.models import Address
from mlm_tui.core.privacy import mask_address, mask_email, mask_passport, mask_phone
from mlm_tui.core.rules.passwords import PASSWORD_MAX, PASSWORD_MIN, validate_password
from mlm_tui.i18n import _

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
    "normalise_code",
    "normalise_contact",
    "normalise_email",
    "normalise_full_name",
    "normalise_passport",
    "normalise_phone",
    "normalise_registration_number",
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

# --- e-mail ----------------------------------------------------------------------------------

# The characters RFC 5322 allows unquoted in a local part; letters of any script are
# accepted as well (internationalised addresses). Quoted local parts are not supported:
# nobody types them into a registration form, and they would break the masking.
_LOCAL_SPECIALS = set("!#$%&'*+/=?^_`{|}~.-")


def normalise_email(text: str, *, field: str = "email") -> str:
    """``  Anna@Example.RU `` -> ``anna@example.ru``."""
    value = (text or "").strip()
    if not value:
        raise ValidationError(_("Enter an e-mail address."), field=field)
    if len(value) > EMAIL_MAX:
        raise ValidationError(
            _("An e-mail address has at most {n} characters.").format(n=EMAIL_MAX), field=field
        )
    local, at, domain = value.rpartition("@")
    if not at or not _valid_local_part(local) or not _valid_domain(domain):
        raise ValidationError(
            _("Enter an e-mail address like name@example.ru."), field=field
        )
    return value.lower()


def _valid_local_part(local: str) -> bool:
    if not local or len(local) > 64 or local[0] == "." or local[-1] == "." or ".." in local:
        return False
    return all(ch.isalnum() or ch in _LOCAL_SPECIALS for ch in local)


def _valid_domain(domain: str) -> bool:
    labels = domain.split(".")
    if len(labels) < 2:
        return False
    for label in labels:
        if not label or len(label) > 63 or label[0] == "-" or label[-1] == "-":
            return False
        if not all(ch.isalnum() or ch == "-" for ch in label):
            return False
    top = labels[-1]
    return len(top) >= 2 and not top.isdigit()


# --- phone -----------------------------------------------------------------------------------

_PHONE_SEPARATORS = re.compile(r"[\s\-().\u00a0/]")


def normalise_phone(text: str, *, field: str = "phone") -> str:
    """A Russian or German number as people write it -> E.164.

    ``8 (916) 123-45-67``, ``+7 916 1234567`` and ``916 123 45 67`` -> ``+79161234567``;
    ``0151 1234 5605`` and ``0049 151 12345605`` -> ``+4915112345605``. Any other
    country is accepted in international form (``+43 ...``).
    """
    raw = (text or "").strip()
    if not raw:
        raise ValidationError(_("Enter a phone number."), field=field)
    compact = _PHONE_SEPARATORS.sub("", raw)
    if compact.startswith("00"):  # the international prefix dialled from Germany
        compact = "+" + compact[2:]
    national = compact.removeprefix("+")
    if not _DIGITS.fullmatch(national):
        raise ValidationError(
            _("A phone number has only digits, spaces, dashes and brackets."), field=field
        )
    if compact.startswith("+"):
        e164 = compact
    elif len(national) == 11 and national[0] in "78":
        e164 = "+7" + national[1:]
    elif len(national) == 10 and national[0] == "9":  # a Russian mobile typed without 8
        e164 = "+7" + national
    elif national.startswith("0"):
        e164 = "+49" + national[1:]
    else:
        raise ValidationError(
            _("Enter the number with its country code, e.g. +7 916 123-45-67 "
              "or +49 151 12345678."),
            field=field,
        )
    _check_e164(e164, field)
    return e164


def _check_e164(e164: str, field: str) -> None:
    digits = e164[1:]
    if digits.startswith("7"):
        if len(digits) != 11:
            raise ValidationError(
                _("A Russian number has 10 digits after +7 (or after 8)."), field=field
            )
    elif digits.startswith("49"):
        # German numbers vary in length: 6 to 13 digits after the country code.
        if not 6 <= len(digits) - 2 <= 13 or digits[2] == "0":
            raise ValidationError(
                _("This is not a German phone number: check the digits after +49 (or 0)."),
                field=field,
            )
    elif digits.startswith("0") or not 8 <= len(digits) <= 15:
        raise ValidationError(
            _("Enter the number with its country code, e.g. +7 916 123-45-67 "
              "or +49 151 12345678."),
            field=field,
        )


# --- contact (e-mail or phone) ---------------------------------------------------------------


def normalise_contact(text: str, *, field: str = "contact") -> tuple[ContactKind, str]:
    """What a member types to be found again: their e-mail or their phone."""
    value = (text or "").strip()
    if "@" in value:
        return "email", normalise_email(value, field=field)
    if any(ch.isdigit() for ch in value):
        return "phone", normalise_phone(value, field=field)
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
    country = (address.country or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise ValidationError(_("Choose the country of the address."), field=field)
    postcode = _SPACES.sub(" ", address.postcode or "").strip().upper()
    rule = _POSTCODES.get(country)
    if rule is not None and not rule[0].fullmatch(postcode):
        raise ValidationError(
            _("A postcode in this country has {n} digits.").format(n=rule[1]), field=field
        )
    if rule is None and not _OTHER_POSTCODE.fullmatch(postcode):
        raise ValidationError(_("Enter the postcode."), field=field)
    city = _SPACES.sub(" ", address.city or "").strip()
    if not any(ch.isalpha() for ch in city) or len(city) > 100:
        raise ValidationError(_("Enter the city."), field=field)
    street = _SPACES.sub(" ", address.street or "").strip()
    if not any(ch.isalpha() for ch in street) or len(street) > 200:
        raise ValidationError(_("Enter the street and house number."), field=field)
    return replace(address, postcode=postcode, city=city, street=street, country=country)


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
