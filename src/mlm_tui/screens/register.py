"""Register a new consultant into the team.

Each field is checked where it is typed: when the user leaves a field, the pure
validators of :mod:`mlm_tui.core.validation` check it and any message shows under it (and
goes once the field is right); on submit an error from the backend names its field and
is shown there the same way. Everything typed stays. A duplicate (an active account
with the same e-mail, phone, or name and birth date) is refused with the reason. On
success the new member's number is shown and an activation code is on its way to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from mlm_tui.core.company import market_country
from mlm_tui.core.errors import DomainError, ValidationError, ValidationErrors
from mlm_tui.core.models import Address, Member, MessageDelivery, Registration
from mlm_tui.core.rules.passwords import password_rule
from mlm_tui.core.rules.registration import field_error, parse_birth_date
from mlm_tui.display import data_text
from mlm_tui.i18n import N_, _, current_language, ngettext, render_message
from mlm_tui.messages import Refused
from mlm_tui.screens.form_screen import FormScreen
from mlm_tui.widgets.delivery_text import how_sent
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.form import (
    clear_error_line,
    error_line,
    show_error_line,
    submit_row,
)
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.text_input import TextInput

# The inputs, named as ValidationError.field names them.
FIELDS = ("full_name", "birth_date", "passport", "postcode", "city", "street", "phone", "email")


def field_texts() -> dict[str, tuple[str, str]]:
    """Each field's label and placeholder, in the interface language."""
    return {
        "full_name": (_("Full name"), _("First and last name")),
        "birth_date": (_("Date of birth"), _("DD.MM.YYYY")),
        "passport": (_("Passport"), _("optional")),
        "postcode": (_("Postcode"), "101000"),
        "city": (_("City"), ""),
        "street": (_("Street, house"), ""),
        "phone": (_("Phone"), "+7 916 123-45-67"),
        "email": (_("E-mail"), "name@example.ru"),
    }


def field_of(error: DomainError) -> str | None:
    """The input an error belongs at: ``address.postcode`` is the postcode's."""
    name = error.field or ""
    for candidate in (name.rsplit(".", 1)[-1], name):
        if candidate in FIELDS:
            return candidate
    return None


class RegisterScreen(FormScreen, fields=FIELDS):
    DEFAULT_CSS = """
    RegisterScreen VerticalScroll { padding: 0 1; }
    RegisterScreen #intro { margin-bottom: 1; }
    RegisterScreen .row { height: 1; }
    RegisterScreen .row Label { width: 16; }
    RegisterScreen .row Input { width: 1fr; }
    RegisterScreen .field-error { color: $error; padding-left: 16; height: auto; }
    RegisterScreen .field-error.-empty { display: none; }
    RegisterScreen #actions { height: auto; margin-top: 1; }
    RegisterScreen #result { margin-top: 1; height: auto; }
    RegisterScreen #result.error { color: $error; }
    RegisterScreen #result.success { color: $success; }
    """

    BINDINGS = [
        Binding("ctrl+s", "submit", N_("Register"), id="register.submit"),
    ]

    @dataclass
    class Registered(Message):
        member: Member
        delivery: MessageDelivery

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each field's text when it was last checked (on leaving it, or on submit): leaving
        # a field unchanged says nothing new, and keeps an error the backend gave.
        self._checked: dict[str, str] = {}
        self._asked_to_correct = False

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        with VerticalScroll():
            yield Static(_("A new consultant in your team. All fields but the passport are "
                           "needed."), id="intro")
            texts = field_texts()
            for name in FIELDS:
                label, placeholder = texts[name]
                with Horizontal(classes="row"):
                    yield Label(label, id=f"{name}-label")
                    yield TextInput(placeholder=placeholder, id=name, compact=True)
                yield error_line(f"{name}-error")
            yield from submit_row(_("Register"))
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Register a consultant")
        self.query_one("#full_name", Input).focus()
        self.load_checks()

    @work(thread=True, exit_on_error=False, group="register-checks")
    def load_checks(self) -> None:
        """The phone and e-mail rules take a tenth of a second to load: here, not when the
        user first leaves one of those fields."""
        import email_validator  # noqa: F401
        import phonenumbers  # noqa: F401

    @on(Input.Blurred)
    def _check_left_field(self, event: Input.Blurred) -> None:
        name = event.input.id or ""
        if name not in FIELDS:
            return
        value = event.input.value.strip()
        if self._checked.get(name) == value:
            return
        if name not in self._checked and not value:
            return  # only passing through: an empty field is asked for on submit
        self._checked[name] = value
        error = self._typed_error(name)
        if error is not None:
            self._mark(name, error.message)
            return
        self._unmark(name)
        if self._asked_to_correct and not self.query(".field-error").exclude(".-empty"):
            self._result("")

    def _typed_error(self, name: str) -> ValidationError | None:
        today = self.mlm_app.clock().date()
        company = self.mlm_app.company
        country = market_country(company) if company else ""
        return field_error(name, self._value(name), today=today, country=country)

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        self._clear_errors()
        self._checked = {name: self._value(name) for name in FIELDS}
        # Every field as typed, by the backend's own rules: all mistakes shown in one go.
        errors = [error for name in FIELDS if (error := self._typed_error(name)) is not None]
        if errors:
            self._show_error(ValidationErrors(errors))
            return
        birth_date = parse_birth_date(self._value("birth_date"))
        self._result(_("Registering…"))
        self.register({name: self._value(name) for name in FIELDS}, birth_date)

    def register(self, typed: dict[str, str], birth_date: date) -> None:
        def ask() -> Message:
            # The newcomer lives where the company sells: the address's country.
            country = market_country(self.company_profile())
            registration = Registration(
                full_name=typed["full_name"],
                birth_date=birth_date,
                email=typed["email"],
                phone=typed["phone"],
                address=Address(typed["postcode"], typed["city"], typed["street"], country),
                passport=typed["passport"] or None,
                # She is written to in the language her sponsor registers her in.
                language=current_language(),
            )
            member = self.backend.register_member(registration)
            return self.Registered(member, self.backend.message_delivery())

        self.in_background(ask, group="register", refused=True)

    @on(Registered)
    def _registered(self, message: Registered) -> None:
        member = message.member
        self._checked = {}  # a fresh form for the next newcomer
        for name in FIELDS:
            self.query_one(f"#{name}", Input).value = ""
        self._result(
            _("{name} is registered as {number}. The activation code went to {email} and "
              "{phone} ({how}); they activate the account and choose a password.").format(
                # As an upline sees her: masked already.
                name=member.full_name, number=member.registration_number,
                email=member.email, phone=member.phone, how=how_sent(message.delivery))
            + " " + password_rule(render_message),
            style="success",
        )
        self.query_one("#full_name", Input).focus()

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self._show_error(message.error)

    def _show_error(self, error: DomainError) -> None:
        """Each error at its field, the cursor in the first; one without a field below."""
        errors = error.errors if isinstance(error, ValidationErrors) else [error]
        marked = [(name, each) for each in errors if (name := field_of(each)) is not None]
        unplaced = [each.message for each in errors if field_of(each) is None]
        for name, each in marked:
            self._mark(name, each.message)
        if not marked:
            self._result(" ".join(unplaced), style="error")
            return
        first = min(FIELDS.index(name) for name, _each in marked)
        self.query_one(f"#{FIELDS[first]}", Input).focus()
        self._result(" ".join([ngettext("Please correct the marked field.",
                                        "Please correct the {n} marked fields.",
                                        len(marked)).format(n=len(marked)), *unplaced]),
                     style="error")
        self._asked_to_correct = True

    def _mark(self, name: str, message: str) -> None:
        show_error_line(self.query_one(f"#{name}-error", Static), message)

    def _unmark(self, name: str) -> None:
        clear_error_line(self.query_one(f"#{name}-error", Static))

    def _clear_errors(self) -> None:
        for name in FIELDS:
            self._unmark(name)

    def _result(self, text: str, *, style: str = "") -> None:
        self._asked_to_correct = False
        result = self.query_one("#result", Static)
        result.update(data_text(text))
        result.set_classes(style)
