"""A registration checked as a whole: every wrong field at once, each under its own name.

A sponsor filling in the form for a newcomer wants to fix everything in one go, not learn
of one mistake per submit. Each field is checked by its own rule from
:mod:`mlm_tui.core.validation`; the address by line, so a bad postcode is named
``address.postcode`` and shown at the postcode, not somewhere under the address.
The form checks each field as it is typed by the same rules (``field_error``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TypeVar

from mlm_tui.core.errors import ValidationError, ValidationErrors
from mlm_tui.core.models import Address, MemberKind, Registration
from mlm_tui.core.validation import (
    normalise_city,
    normalise_country,
    normalise_email,
    normalise_full_name,
    normalise_passport,
    normalise_phone,
    normalise_postcode,
    normalise_street,
    parse_day,
    validate_birth_date,
)
from mlm_tui.i18n import N_

T = TypeVar("T")


class _Collector:
    """Runs each check, keeps its result, and remembers every error instead of stopping."""

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def check(self, rule: Callable[[], T], fallback: T) -> T:
        try:
            return rule()
        except ValidationErrors as errors:
            self.errors.extend(errors.errors)
            return fallback
        except ValidationError as error:
            self.errors.append(error)
            return fallback


def check_registration(registration: Registration, today: date) -> Registration:
    """The registration as the store keeps it, or ``ValidationErrors`` naming every wrong
    field (``full_name``, ``birth_date``, ``email``, ``phone``, ``passport``,
    ``address.postcode``, ``address.city``, ``address.street``, ``address.country``,
    ``kind``)."""
    c = _Collector()
    r = registration
    full_name = c.check(lambda: normalise_full_name(r.full_name), r.full_name)
    birth_date = c.check(lambda: validate_birth_date(r.birth_date, today), r.birth_date)
    email = c.check(lambda: normalise_email(r.email), r.email)
    # A number typed without its country code is one of the newcomer's country.
    region = _region(r.address)
    phone = c.check(lambda: normalise_phone(r.phone, region=region), r.phone)
    address = c.check(lambda: _address(r.address), r.address)
    passport = c.check(lambda: normalise_passport(r.passport), r.passport)
    kind = c.check(lambda: _kind(r.kind), MemberKind.CONSULTANT)
    if c.errors:
        raise ValidationErrors(c.errors)
    return replace(r, full_name=full_name, birth_date=birth_date, email=email, phone=phone,
                   address=address, passport=passport, kind=kind)


def parse_birth_date(text: str) -> date:
    """``17.05.1985`` or ``1985-05-17``; a day the calendar lacks is named as such."""
    return parse_day(text, field="birth_date")


def field_error(name: str, text: str, *, today: date, country: str) -> ValidationError | None:
    """What is wrong with one field as typed, or ``None``: the backend's own rules, with no
    I/O, so they may run while the user types."""
    try:
        if name == "full_name":
            normalise_full_name(text)
        elif name == "birth_date":
            validate_birth_date(parse_birth_date(text), today)
        elif name == "passport":
            normalise_passport(text)
        elif name == "phone":
            normalise_phone(text, region=country)
        elif name == "email":
            normalise_email(text)
        elif name == "postcode":
            normalise_postcode(text, country)
        elif name == "city":
            normalise_city(text)
        elif name == "street":
            normalise_street(text)
    except ValidationError as error:
        return error
    return None


def _region(address: Address) -> str:
    """The country a phone number without its code is read in; while the address names
    none that exists, the market the registrations mostly come from."""
    try:
        return normalise_country(address.country)
    except ValidationError:
        return "RU"


def _address(address: Address) -> Address:
    c = _Collector()
    country = c.check(lambda: normalise_country(address.country, field="address.country"),
                      "")
    postcode = c.check(
        lambda: normalise_postcode(address.postcode, country, field="address.postcode"),
        address.postcode) if country else address.postcode
    city = c.check(lambda: normalise_city(address.city, field="address.city"), address.city)
    street = c.check(lambda: normalise_street(address.street, field="address.street"),
                     address.street)
    if c.errors:
        raise ValidationErrors(c.errors)
    return replace(address, postcode=postcode, city=city, street=street, country=country)


def _kind(kind: MemberKind | str) -> MemberKind:
    try:
        return MemberKind(kind)
    except ValueError:
        raise ValidationError(N_("Choose consultant or customer."), field="kind") from None
