"""Register a new consultant into the team.

Each field is checked where it is typed: when the user leaves a field, the pure
validators of :mod:`mlm_tui.core.validation` check it and any message shows under it (and
goes once the field is right); on submit an error from the backend names its field and
is shown there the same way. Everything typed stays. A duplicate (an active account
with the same e-mail, phone, or name and birth date) is refused with the reason. On
success the new member's number is shown and an activation code is on its way to them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from mlm_tui.core.errors import DomainError, ValidationError
from mlm_tui.core.models import Address, Member, Registration
from mlm_tui.core.rules.passwords import password_rule
from mlm_tui.core.validation import (
    normalise_address,
    normalise_email,
    normalise_full_name,
    normalise_passport,
    normalise_phone,
    validate_birth_date,
)
from mlm_tui.i18n import _
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader

if TYPE_CHECKING:
    from mlm_tui.core.backend import Backend

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

# Where each field's error is shown: the address's three lines share one error line,
# because the backend checks (and names) the address as a whole.
ERROR_SLOTS = {"full_name": "full_name", "birth_date": "birth_date", "passport": "passport",
               "address": "address", "postcode": "address", "city": "address",
               "street": "address", "phone": "phone", "email": "email"}
# The input to put the cursor in when a slot's error shows.
_SLOT_INPUT = {"address": "postcode"}
# The country of an address typed here: the company's market.
_COUNTRY_OF_LOCALE = {"ru": "RU", "de": "DE"}
# An address is checked as a whole; to check one of its lines alone, the other lines hold
# values that pass, so the message can only be about the line just left.
_ADDRESS_LINES = ("postcode", "city", "street")
_PASSING_POSTCODE = {"RU": "101000", "DE": "10115"}
_PASSING_LINES = {"city": "City", "street": "Street 1"}


def parse_birth_date(text: str) -> date:
    """``17.05.1985`` or ``1985-05-17``."""
    cleaned = text.strip()
    try:
        if "." in cleaned:
            day, month, year = (int(part) for part in cleaned.split("."))
            return date(year, month, day)
        return date.fromisoformat(cleaned)
    except ValueError as exc:
        raise ValidationError(_("Enter the date as DD.MM.YYYY."), field="birth_date") from exc


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
            normalise_phone(text)
        elif name == "email":
            normalise_email(text)
        elif name in _ADDRESS_LINES:
            lines = {"postcode": _PASSING_POSTCODE.get(country, "1000"), **_PASSING_LINES,
                     name: text}
            normalise_address(Address(lines["postcode"], lines["city"], lines["street"],
                                      country))
    except ValidationError as error:
        return error
    return None


class RegisterScreen(Screen[None]):
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
        Binding("ctrl+s", "submit", _("Register"), id="register.submit"),
    ]

    class Registered(Message):
        def __init__(self, member: Member) -> None:
            super().__init__()
            self.member = member

    class Refused(Message):
        def __init__(self, error: DomainError) -> None:
            super().__init__()
            self.error = error

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each field's text when it was last checked (on leaving it, or on submit): leaving
        # a field unchanged says nothing new, and keeps an error the backend gave.
        self._checked: dict[str, str] = {}
        self._asked_to_correct = False

    @property
    def backend(self) -> Backend:
        return self.app.backend  # type: ignore[attr-defined]

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
                    yield Input(placeholder=placeholder, id=name, compact=True)
                slot = ERROR_SLOTS[name]
                if slot == name or name == "street":  # the address's error after its last line
                    yield Static("", id=f"{slot}-error", classes="field-error -empty",
                                 markup=False)
            with Horizontal(id="actions"):
                yield Button(_("Register"), id="submit", variant="primary", compact=True)
            yield Static("", id="result")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Register a consultant")
        self.query_one("#full_name", Input).focus()

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
        self._refresh_slot(ERROR_SLOTS[name])

    def _refresh_slot(self, slot: str) -> None:
        """Show the first error of the checked fields sharing ``slot``, or clear it."""
        clock = getattr(self.app, "clock", None)
        today = clock().date() if clock else date.today()
        company = getattr(self.app, "company", None)
        country = _COUNTRY_OF_LOCALE.get(company.locale[:2], "RU") if company else "RU"
        for name in FIELDS:
            if ERROR_SLOTS[name] != slot or name not in self._checked:
                continue
            error = field_error(name, self._value(name), today=today, country=country)
            if error is not None:
                self._mark(slot, error.message)
                return
        self._unmark(slot)
        if self._asked_to_correct and not self.query(".field-error").exclude(".-empty"):
            self._result("")

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        index = FIELDS.index(event.input.id or "")
        if index + 1 < len(FIELDS):
            self.query_one(f"#{FIELDS[index + 1]}", Input).focus()
        else:
            self.action_submit()

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        self._clear_errors()
        self._checked = {name: self._value(name) for name in FIELDS}
        try:
            birth_date = parse_birth_date(self._value("birth_date"))
        except ValidationError as error:
            self._show_error(error)
            return
        self._result(_("Registering…"))
        self.register({name: self._value(name) for name in FIELDS}, birth_date)

    @work(thread=True, exclusive=True, exit_on_error=False, group="register")
    def register(self, typed: dict[str, str], birth_date: date) -> None:
        try:
            country = _COUNTRY_OF_LOCALE.get(self.backend.company().locale[:2], "RU")
            registration = Registration(
                full_name=typed["full_name"],
                birth_date=birth_date,
                email=typed["email"],
                phone=typed["phone"],
                address=Address(typed["postcode"], typed["city"], typed["street"], country),
                passport=typed["passport"] or None,
            )
            member = self.backend.register_member(registration)
        except DomainError as error:
            self.post_message(self.Refused(error))
            return
        self.post_message(self.Registered(member))

    @on(Registered)
    def _registered(self, message: Registered) -> None:
        member = message.member
        self._checked = {}  # a fresh form for the next newcomer
        for name in FIELDS:
            self.query_one(f"#{name}", Input).value = ""
        self._result(
            _("{name} is registered as {number}. The activation code went to {email} and "
              "{phone}; they activate the account and choose a password.").format(
                # As an upline sees her: masked already.
                name=member.full_name, number=member.registration_number,
                email=member.email, phone=member.phone)
            + " " + password_rule(),
            style="success",
        )
        self.query_one("#full_name", Input).focus()

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self._show_error(message.error)

    def _show_error(self, error: DomainError) -> None:
        slot = ERROR_SLOTS.get((error.field or "").split(".")[0])
        if slot is None:
            self._result(error.message, style="error")
            return
        self._mark(slot, error.message)
        self.query_one(f"#{_SLOT_INPUT.get(slot, slot)}", Input).focus()
        self._result(_("Please correct the marked field."), style="error")
        self._asked_to_correct = True

    def _mark(self, slot: str, message: str) -> None:
        label = self.query_one(f"#{slot}-error", Static)
        label.update("✗ " + message)
        label.remove_class("-empty")

    def _unmark(self, slot: str) -> None:
        label = self.query_one(f"#{slot}-error", Static)
        label.update("")
        label.add_class("-empty")

    def _clear_errors(self) -> None:
        for slot in set(ERROR_SLOTS.values()):
            self._unmark(slot)

    def _result(self, text: str, *, style: str = "") -> None:
        self._asked_to_correct = False
        result = self.query_one("#result", Static)
        result.update(text)
        result.set_classes(style)
