"""Personal data as others see it: masked.

Enough is left to recognise a contact ("the one ending in 17") without being able to
use it. A member's uplines only ever get a downline's contacts masked, and never the
passport or the birth date: those are for the member and the company's service alone.
A member's own screens may still keep her own data masked until she asks to see it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from mlm_tui.core.models import Address, Member


def as_seen_by_upline(member: Member) -> Member:
    """A downline member as their sponsor and everyone above see them."""
    address = member.address
    return replace(
        member,
        email=mask_email(member.email) or None,
        phone=mask_phone(member.phone) or None,
        # The city tells namesakes apart; the rest would find the door.
        address=Address("", address.city, "", address.country) if address else None,
        birth_date=None,
        passport=None,
        masked=True,
    )


def mask_phone(phone: str | None) -> str:
    """``+79161234517`` -> ``+7 *** ***-**-17``; the country code and last two digits stay."""
    if not phone:
        return ""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 6:
        return "*" * len(digits)
    if not phone.startswith("+"):
        return f"*** ***-**-{digits[-2:]}"
    # Country codes +1 and +7 are one digit; the markets here otherwise use two (+49, +38).
    country = digits[:1] if digits[0] in "17" else digits[:2]
    prefix = f"+{country} "
    return f"{prefix}*** ***-**-{digits[-2:]}"


def mask_email(email: str | None) -> str:
    """``olga.msk@example.ru`` -> ``o***k@example.ru``; the domain stays."""
    if not email:
        return ""
    local, _, domain = email.partition("@")
    shown = f"{local[0]}***{local[-1]}" if len(local) > 1 else "*"
    return f"{shown}@{domain}" if domain else shown


def mask_address(address: Address | None) -> str:
    """Only the city: enough to tell two members with the same name apart."""
    if address is None:
        return ""
    return f"{address.city}, ***"


def mask_passport(passport: str | None) -> str:
    if not passport:
        return ""
    return "*" * max(len(passport) - 2, 1) + passport[-2:]


def mask_birth_date(birth_date: date | None) -> str:
    return "**.**.****" if birth_date else ""
