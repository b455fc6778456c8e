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


# --- points and the amount a payment is for: numbers on the wire, written by the reader -----


def _points_refused(company_locale: str):
    """The offline check's refusal of 40 BB with 39.5 held, by a company writing numbers
    as ``company_locale`` does."""
    from dataclasses import replace
    from decimal import Decimal

    from mlm_tui.core.company import demo_company
    from mlm_tui.core.errors import InsufficientPoints
    from mlm_tui.core.models import Cart, Checkout, DeliveryMethod, PaymentMethod
    from mlm_tui.core.money import Money
    from mlm_tui.core.offline.covered import check_covered

    rub = Money(Decimal(0), "RUB")
    cart = Cart((), rub, rub, rub, rub, Decimal(0), points_spent=Decimal(40))
    at_the_centre = Checkout(DeliveryMethod.SERVICE_CENTRE, PaymentMethod.SERVICE_CENTRE,
                             "k", pickup_point="SC-MSK-1")
    company = replace(demo_company("ru"), locale=company_locale)
    with pytest.raises(InsufficientPoints) as refused:
        check_covered(cart, at_the_centre, None, Decimal("39.50"), company)
    return refused.value


@pytest.mark.parametrize(("language", "said"), [
    ("en", "Paying with points needs 40 BB; the wallet holds 39.5 BB."),
    ("ru", "Для оплаты баллами нужно 40 BB; в кошельке 39,5 BB."),
    ("de", "39,5 BB"),
])
def test_points_in_an_error_are_written_in_the_readers_way(language, said):
    from decimal import Decimal

    from mlm_tui.core.errors import from_dict
    from mlm_tui.core.money import Points
    from mlm_tui.i18n import remember_company_locale

    remember_company_locale("en_US")  # a company that writes "39.5"
    error = _points_refused("en_US")
    install(language)
    assert said in error.message
    wire = error.to_dict()
    assert wire["params"] == {"needed": "40 BB", "held": "39.5 BB"}
    assert wire["points"] == ["held", "needed"]
    back = from_dict(wire)
    assert back.params["held"] == Points(Decimal("39.5"), "BB")
    assert back.message == error.message


def test_points_raised_by_a_company_writing_commas_read_with_a_point_in_english():
    from mlm_tui.i18n import remember_company_locale

    error = _points_refused("ru_RU")  # before, the core wrote "39,5 BB" into the error
    remember_company_locale("en_US")
    install("en")
    assert error.message.endswith("the wallet holds 39.5 BB. Pay a line with money instead.")


def test_points_refused_by_the_server_arrive_as_points(remote):
    from decimal import Decimal

    from mlm_tui.core.errors import InsufficientPoints
    from mlm_tui.core.money import Points
    from tests import world

    remote.login(world.ANNA.registration_number, world.PASSWORD)
    remote.add_to_cart("34001", 1)
    install("de")
    with pytest.raises(InsufficientPoints) as refused:
        remote.set_paid_with_points("34001", True)
    error = refused.value
    assert error.params == {"needed": Points(Decimal(240), "BB"),
                            "held": Points(Decimal(100), "BB")}
    assert "240 BB" in error.message and "100 BB" in error.message
    assert "Paying with points" not in error.message


@pytest.mark.parametrize(("language", "said"), [
    ("en", "is for 1 500,00 ₽, not 15000 RUB."),  # English keeps the company's way
    ("de", "1.500,00 RUB"),
])
def test_the_amount_a_payment_is_for_is_written_in_the_readers_way(anna_local, language,
                                                                   said):
    from decimal import Decimal

    from mlm_tui.core.errors import from_dict
    from mlm_tui.core.local import payments
    from mlm_tui.core.models import TopUpMethod
    from mlm_tui.core.money import Money
    from mlm_tui.i18n import remember_company_locale
    from tests import world

    request = anna_local.top_up(Money(Decimal(1500), "RUB"), TopUpMethod.CARD)
    event = payments.ProviderEvent("evt_1", request.reference, True, Decimal(15000), "RUB")
    with pytest.raises(ValidationError) as refused:
        payments.receive_provider_event(anna_local.store, event, now=world.NOW)
    error = refused.value
    assert error.params["expected"] == Money(Decimal(1500), "RUB")
    remember_company_locale("ru_RU")
    install(language)
    assert said in error.message.replace("\xa0", " ").replace("\u202f", " ")
    assert from_dict(error.to_dict()).message == error.message


@pytest.fixture
def anna_local(settings, clock):
    from mlm_tui.core.local import LocalBackend
    from tests import world

    backend = LocalBackend(settings, clock=clock)
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    yield backend
    backend.close()


@pytest.mark.parametrize(("language", "said"), [
    ("en", "Order RU-1 cannot go from paid to stop requested."),
    ("ru", "Заказ RU-1 не может перейти из «оплачен» в «запрошена остановка»."),
    ("de", "Bestellung RU-1 kann nicht von „bezahlt“ zu „Stopp beantragt“ wechseln."),
])
def test_an_order_status_in_an_error_is_the_readers_word_for_it(language, said):
    from mlm_tui.core.errors import from_dict
    from mlm_tui.core.local.orders import _why_not
    from mlm_tui.core.models import OrderStatus

    error = _why_not("RU-1", OrderStatus.PAID, OrderStatus.STOP_REQUESTED)
    install(language)
    assert error.message == said
    wire = error.to_dict()
    assert wire["params"]["target"] == "stop_requested"  # the code travels
    assert wire["statuses"] == ["current", "target"]
    assert from_dict(wire).message == said
