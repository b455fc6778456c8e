"""A newly registered member activates the account with the code they received and
chooses a password. Activation signs them in: the screen posts ``SignedIn`` and the app
opens the landing screen as after a login.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from mlm_tui.core.models import Session
from mlm_tui.core.rules.passwords import password_rule
from mlm_tui.display import data_text, printable
from mlm_tui.i18n import N_, _, render_message
from mlm_tui.messages import Refused, SignedIn
from mlm_tui.screens.form_screen import FormScreen
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.form import error_line, submit_row
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.text_input import TextInput

FIELDS = ("login", "code", "password", "confirmation")


def field_labels() -> dict[str, str]:
    return {
        "login": _("Reg. no. or e-mail"),
        "code": _("Activation code"),
        "password": _("New password"),
        "confirmation": _("Repeat password"),
    }


class ActivateScreen(FormScreen, fields=FIELDS):
    DEFAULT_CSS = """
    ActivateScreen VerticalScroll { padding: 0 1; }
    ActivateScreen .row { height: 1; margin-top: 1; }
    ActivateScreen .row Label { width: 20; }
    ActivateScreen .row Input { width: 1fr; }
    ActivateScreen .field-error { color: $error; padding-left: 20; height: auto; }
    ActivateScreen .field-error.-empty { display: none; }
    ActivateScreen #actions { height: auto; margin-top: 1; }
    ActivateScreen #result { margin-top: 1; height: auto; color: $error; }
    """

    BINDINGS = [
        Binding("ctrl+s", "submit", N_("Activate"), id="activate.submit"),
    ]

    @dataclass
    class Activated(Message):
        session: Session

    def __init__(self, login: str = "") -> None:
        super().__init__()
        self._login = login

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        labels = field_labels()
        with VerticalScroll():
            yield Static(_("Enter the code from the e-mail or SMS and choose a password.")
                         + " " + password_rule(render_message))
            for name in FIELDS:
                with Horizontal(classes="row"):
                    yield Label(labels[name])
                    yield TextInput(self._login if name == "login" else "", id=name,
                                    compact=True, password=name in ("password", "confirmation"))
                yield error_line(f"{name}-error")
            yield from submit_row(_("Activate"))
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Activate your account")
        self.query_one("#code" if self._login else "#login", Input).focus()

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        self._clear_errors()
        values = [self.query_one(f"#{name}", Input).value for name in FIELDS]
        self.activate(values[0].strip(), values[1].strip(), values[2], values[3])

    def activate(self, login: str, code: str, password: str, confirmation: str) -> None:
        def ask() -> Message:
            session = self.backend.activate_member(login, code, password, confirmation)
            return self.Activated(session)

        self.in_background(ask, group="activate", refused=True)

    @on(Activated)
    def _activated(self, message: Activated) -> None:
        self.app.notify(printable(_("Welcome, {name}! Your account is active.").format(
            name=message.session.full_name)), markup=False)
        self.post_message(SignedIn(message.session))

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        field = message.error.field
        if field in FIELDS:
            label = self.query_one(f"#{field}-error", Static)
            label.update(data_text("✗ " + message.error.message))
            label.remove_class("-empty")
            self.query_one(f"#{field}", Input).focus()
        else:
            self.query_one("#result", Static).update(data_text(message.error.message))

    def _clear_errors(self) -> None:
        for label in self.query(".field-error").results(Static):
            label.update("")
            label.add_class("-empty")
        self.query_one("#result", Static).update("")
