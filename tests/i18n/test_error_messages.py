"""The core raises errors with an English template and its params, not a sentence in some
language: the reader's client renders them in its own language, also after the error
crossed a wire as a dict."""

from __future__ import annotations

import pytest

from mlm_tui.core.errors import N_, Throttled, ValidationError, ValidationErrors
from mlm_tui.core.validation import normalise_email
from mlm_tui.i18n import install


def test_an_error_raised_in_one_language_reads_in_the_language_shown():
    install("en")
    with pytest.raises(ValidationError) as raised:
        normalise_email("x" * 300 + "@example.ru")
    error = raised.value
    assert error.field == "email"
    assert error.template == "An e-mail address has at most {n} characters."
    assert error.message == error.english == "An e-mail address has at most 254 characters."
    install("ru")  # the reader switches language after the error came back
    assert error.message == "Адрес эл. почты — не больше 254 символов."
    install("de")
    assert error.message == "Eine E-Mail-Adresse hat höchstens 254 Zeichen."


def test_the_wire_form_carries_the_english_text_the_template_and_the_params():
    install("de")
    error = ValidationError(N_("The code has {n} digits."), field="code", params={"n": 8})
    assert error.to_dict() == {
        "code": "validation", "message": "The code has 8 digits.", "field": "code",
        "template": "The code has {n} digits.", "params": {"n": 8}}
    assert str(error) == "Der Code hat 8 Ziffern."


def test_params_that_are_not_json_travel_as_text():
    from datetime import datetime
    from decimal import Decimal

    error = Throttled(N_("Too many failed attempts. Try again in {minutes} min."),
                      retry_at=datetime(2026, 11, 20, 12, 0), params={"minutes": Decimal(5)})
    wire = error.to_dict()
    assert wire["params"] == {"minutes": "5"}
    assert wire["retry_at"] == "2026-11-20T12:00:00"


def test_several_errors_of_a_form_each_read_in_the_language():
    install("ru")
    errors = ValidationErrors([
        ValidationError(N_("Enter the city."), field="city"),
        ValidationError(N_("A postcode in this country has {n} digits."), field="postcode",
                        params={"n": 6}),
    ])
    assert errors.message == "Введите город."
    assert [e.message for e in errors.errors] == [
        "Введите город.", "В почтовом индексе этой страны 6 цифр."]


def test_text_that_is_no_template_is_shown_as_it_is():
    install("ru")
    error = ValidationError("/var/data/{store}.db cannot be read")  # data, not a template
    assert error.message == "/var/data/{store}.db cannot be read"


def test_the_core_never_translates_an_error_when_it_raises_it():
    import ast
    from pathlib import Path

    import mlm_tui.core

    translated = []
    for path in Path(mlm_tui.core.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id.endswith(("Error", "Conflict", "NotFound", "Forbidden",
                                               "Unavailable", "Throttled")) and node.args):
                continue
            first = node.args[0]
            if isinstance(first, ast.Call) and isinstance(first.func, ast.Attribute):
                first = first.func.value  # _("...").format(...)
            if isinstance(first, ast.Call) and getattr(first.func, "id", "") in ("_",
                                                                               "ngettext"):
                translated.append(f"{path.name}:{node.lineno}")
    assert translated == []


@pytest.mark.parametrize(("language", "left", "text"), [
    ("en", 1, "The code is wrong; 1 try left."),
    ("en", 3, "The code is wrong; 3 tries left."),
    ("ru", 2, "Код неверный; осталось 2 попытки."),
    ("ru", 5, "Код неверный; осталось 5 попыток."),
    ("de", 1, "Der Code ist falsch; noch 1 Versuch."),
])
def test_an_error_with_a_count_takes_the_plural_form_of_the_language(language, left, text):
    from mlm_tui.core.local.one_time_codes import _wrong_code

    error = _wrong_code(left)
    install(language)
    assert error.message == text


# --- a day inside an error: written as its reader writes days -------------------------------

DECIDED = "Claim {number} is already accepted. Decided on {day}."


@pytest.mark.parametrize(("language", "said"), [
    ("en", "Claim CL-1 is already accepted. Decided on Nov 20, 2026."),
    ("ru", "Претензия CL-1 уже принята. Решение принято 20.11.2026."),
    ("de", "Die Reklamation CL-1 ist bereits angenommen. Entschieden am 20.11.2026."),
])
def test_a_day_in_an_error_is_written_in_the_readers_way(language, said):
    from datetime import date

    from mlm_tui.core.errors import Conflict, from_dict
    from mlm_tui.i18n import remember_company_locale

    remember_company_locale("en_US")  # a company that writes "Nov 20, 2026"
    install(language)
    error = Conflict(N_(DECIDED), field="claim",
                     params={"number": "CL-1", "day": date(2026, 11, 20)})
    assert error.message == said
    assert from_dict(error.to_dict()).message == said  # the same after the wire
    assert error.to_dict()["params"] == {"number": "CL-1", "day": "2026-11-20"}


def test_the_company_language_read_in_english_keeps_the_companys_way():
    from datetime import date

    from mlm_tui.core.errors import Conflict
    from mlm_tui.i18n import remember_company_locale

    remember_company_locale("ru_RU")
    install("en")
    error = Conflict(N_(DECIDED), params={"number": "CL-1", "day": date(2026, 11, 20)})
    assert error.message == "Claim CL-1 is already accepted. Decided on 20.11.2026."


@pytest.mark.parametrize(("language", "said"), [
    ("en", "One top-up is at most 1 000 000,00 ₽."),  # English keeps the company's way
    ("de", "Eine Aufladung beträgt höchstens 1.000.000,00 RUB."),  # as German writes it
])
def test_an_amount_in_an_error_is_written_in_the_readers_way(language, said):
    from decimal import Decimal

    from mlm_tui.core.errors import from_dict
    from mlm_tui.core.money import Money
    from mlm_tui.i18n import remember_company_locale

    remember_company_locale("ru_RU")
    install(language)
    error = ValidationError(N_("One top-up is at most {limit}."), field="amount",
                            params={"limit": Money(Decimal(1_000_000), "RUB")})
    assert error.message.replace("\xa0", " ").replace("\u202f", " ") == said
    wire = error.to_dict()
    assert wire["params"] == {"limit": "1000000 RUB"} and wire["amounts"] == ["limit"]
    assert error.english == "One top-up is at most 1000000 RUB."
    assert from_dict(wire).message == error.message
