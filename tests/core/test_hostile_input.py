"""Whatever is typed into a free-text field: a field error or success, never a crash.

Arbitrary text (any code point, control characters, lone surrogates, markup) goes to
every normaliser of :mod:`mlm_tui.core.validation`, to the backend calls that take free
text (registration with its address, claims) and to both searches. A refusal is a domain
error naming its field, and leaves the store exactly as it was; what is accepted holds no
control character.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from mlm_tui.core import validation
from mlm_tui.core.errors import DomainError, UnprintableText
from mlm_tui.core.models import Address, ClaimLine, Registration
from mlm_tui.core.rules.printable import UNPRINTABLE, UNPRINTABLE_BUT_NEWLINE
from tests import world

# Hostile characters often, the rest of Unicode (surrogates included) the rest of the time.
HOSTILE = st.sampled_from(["\x1b", "\x00", "\x07", "\x9b", "\x7f", "\t", "\n", "\r",
                           "\ud800", "\udfff", "[", "]", "/", "=", "@", " "])
TEXT = st.text(st.one_of(HOSTILE, st.characters(exclude_categories=()),
                         st.sampled_from("Анна Müller 1234567 +79 @example.ru")),
               max_size=40)
BOUNDED = examples(max_examples=50, deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture])

VALID_ADDRESS = Address("101000", "Москва", "ул. Тверская, 1", "RU")
VALID = Registration(full_name="Вера Новая", birth_date=date(1990, 1, 2),
                     email="vera.new@example.ru", phone="+79160000001", address=VALID_ADDRESS)


def store_digest(path: Path) -> str:
    """Every row of the store: equal digests, equal stores."""
    conn = sqlite3.connect(path)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


def texts_of(value: object) -> Iterator[str]:
    """Every string in a result: itself, or the fields of a dataclass, all the way down."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple | list):
        for item in value:
            yield from texts_of(item)
    elif is_dataclass(value) and not isinstance(value, type):
        for field in fields(value):
            yield from texts_of(getattr(value, field.name))


def accepted_or_refused(call: Callable[[], object], *, multiline: bool = False) -> object:
    """The call's result, or None when it was refused as a domain error with a field."""
    try:
        result = call()
    except DomainError as error:
        assert error.field, f"{type(error).__name__} without a field: {error.message}"
        return None
    pattern = UNPRINTABLE_BUT_NEWLINE if multiline else UNPRINTABLE
    for text in texts_of(result):
        assert not pattern.search(text), f"accepted with a control character: {text!r}"
    return result


# --- the rules alone --------------------------------------------------------------------


NORMALISERS = [
    validation.normalise_full_name, validation.normalise_email,
    partial(validation.normalise_phone, region="RU"),
    partial(validation.normalise_contact, region="DE"),
    validation.normalise_passport, validation.normalise_registration_number,
    validation.normalise_code,
]


@pytest.mark.parametrize("normalise", NORMALISERS,
                         ids=lambda f: getattr(f, "__name__", None) or f.func.__name__)
@BOUNDED
@given(text=TEXT)
def test_every_normaliser_accepts_or_names_the_field(normalise, text):
    accepted_or_refused(lambda: normalise(text))


@BOUNDED
@given(part=st.sampled_from(["postcode", "city", "street", "country"]), text=TEXT)
def test_every_part_of_an_address_is_accepted_or_refused_at_the_address(part, text):
    address = replace(VALID_ADDRESS, **{part: text})
    normalised = accepted_or_refused(lambda: validation.normalise_address(address))
    if normalised is not None:
        assert isinstance(normalised, Address)
        assert not UNPRINTABLE.search(normalised.city + normalised.street)


@pytest.mark.parametrize("hostile", ["\x1b]52;c;SGk=\x1b\\", "\x1b]0;x\x07", "\x1b[2J", "\x00",
                                     "\x9b", "\x7f", "\ud800", "\t"])
def test_control_characters_in_a_city_are_refused_at_the_address(hostile):
    with pytest.raises(UnprintableText) as refused:
        validation.normalise_address(replace(VALID_ADDRESS, city=f"Мос{hostile}ква"))
    assert (refused.value.code, refused.value.field) == ("unprintable_text", "address")


def test_markup_in_a_name_is_text_but_escapes_are_refused():
    # Brackets are not letters: the name rule refuses them, as it always did.
    assert validation.normalise_full_name("Анна Смирнова") == "Анна Смирнова"
    with pytest.raises(UnprintableText) as refused:
        validation.normalise_full_name("Анна\x1b[2J Смирнова")
    assert refused.value.field == "full_name"


# --- the backend ------------------------------------------------------------------------


@BOUNDED
@given(field=st.sampled_from(["full_name", "email", "phone", "passport", "postcode", "city",
                              "street"]),
       text=TEXT)
@example(field="city", text="Москва\x1b]0;HACKED\x07")
@example(field="street", text="ул. Тверская\ud800, 1")
def test_registration_takes_any_text_in_any_field(anna, settings, field, text):
    if field in {"postcode", "city", "street"}:
        registration = replace(VALID, address=replace(VALID_ADDRESS, **{field: text}))
    else:
        registration = replace(VALID, **{field: text})
    before = store_digest(settings.store_path)
    member = accepted_or_refused(lambda: anna.register_member(registration))
    if member is None:
        assert store_digest(settings.store_path) == before


@BOUNDED
@given(reason=TEXT)
@example(reason="Разбит\x1b[2J")
def test_a_claim_takes_any_text_as_its_reason(world_orders, anna, settings, reason):
    invoice = world.INVOICES[world.ORDER_ANNA_DELIVERED]
    before = store_digest(settings.store_path)
    claim = accepted_or_refused(
        lambda: anna.submit_claim(invoice, [ClaimLine("32548", 1)], reason), multiline=True)
    if claim is None:
        assert store_digest(settings.store_path) == before
    else:
        assert not UNPRINTABLE_BUT_NEWLINE.search(claim.reason)


def test_a_claim_with_an_escape_in_its_reason_is_refused_at_the_reason(world_orders, anna,
                                                                       settings):
    before = store_digest(settings.store_path)
    with pytest.raises(UnprintableText) as refused:
        anna.submit_claim(world.INVOICES[world.ORDER_ANNA_DELIVERED],
                          [ClaimLine("32548", 1)], "Разбит\x1b]0;HACKED\x07")
    assert refused.value.field == "reason"
    assert store_digest(settings.store_path) == before
    # A reason of several lines is still a reason.
    claim = anna.submit_claim(world.INVOICES[world.ORDER_ANNA_DELIVERED],
                              [ClaimLine("32548", 1)], "Разбит флакон.\nКоробка мятая.")
    assert claim.reason == "Разбит флакон.\nКоробка мятая."


@BOUNDED
@given(query=TEXT)
@example(query="крем\ud800")
@example(query="Иванова\ud800")
def test_searches_take_any_text(anna, query):
    assert isinstance(anna.search_products(query, limit=5), list)
    assert isinstance(anna.search_members(query, limit=5), list)


def test_a_search_with_a_lone_surrogate_finds_what_the_rest_names(anna):
    found = anna.search_products("32548\ud800", limit=5)
    assert [p.code for p in found][:1] == ["32548"]
