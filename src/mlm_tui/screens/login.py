"""Log in by registration number or e-mail and a password.

The first screen drawn, before the backend has even opened (the app opens it in a
worker meanwhile), so this module imports nothing heavy. Each refusal is shown at the
field it concerns with its own words; what was typed stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from mlm_tui.core.errors import (
    AccountClosed,
    AccountNotActivated,
    DomainError,
    InvalidCredentials,
    Throttled,
    ValidationError,
)
from mlm_tui.i18n import _
from mlm_tui.messages import Refused, SignedIn
from mlm_tui.screens.base import AppScreen
from mlm_tui.widgets.action_link import ActionLink
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.form import FormField
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.time_left import time_left_text

if TYPE_CHECKING:  # kept off the first frame's imports
    from mlm_tui.core.models import Session


class LoginScreen(AppScreen[None]):
    DEFAULT_CSS = """
    LoginScreen { align: center top; }
    LoginScreen #login-box {
        width: 64; max-width: 100%; height: auto;
        border: round $primary; padding: 0 1; margin-top: 1;
    }
    LoginScreen #login-actions { height: auto; margin: 1 0 0 1; }
    LoginScreen #login-actions ActionLink { margin-right: 2; }
    LoginScreen #demo-hint { padding: 0 1; margin-top: 1; }
    LoginScreen #demo-hint.-empty { display: none; }
    LoginScreen #login-status { padding: 0 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("ctrl+r", "reset", _("Forgot password"), id="login.reset"),
        Binding("ctrl+t", "use_demo", _("Demo login"), id="login.demo"),
        Binding("ctrl+n", "activate", _("Activate account"), id="login.activate"),
    ]

    class LoggedIn(Message):
        def __init__(self, session: Session) -> None:
            super().__init__()
            self.session = session

    def __init__(self, login: str = "") -> None:
        super().__init__()
        self._initial_login = login

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        with Vertical(id="login-box") as box:
            box.border_title = _("Log in")
            yield FormField(_("Registration number or e-mail"), "login",
                            value=self._initial_login, next_on_enter=True)
            yield FormField(_("Password"), "password", password=True)
            with Horizontal(id="login-actions"):
                yield ActionLink(_("Log in"), id="submit", primary=True)
                yield ActionLink(_("Forgot password"), id="forgot")
            yield Static("", id="demo-hint", classes="-empty", markup=False)
            yield Static("", id="login-status", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Log in")
        self.set_focus(self._field("login").input)
        self._show_demo_hint()
        self.watch(self.app, "location", self._store_state)

    def start_over(self) -> None:
        """Ready for the next person (after logging out, or once demo data is built):
        nothing typed, no message, the demo login as it is now."""
        for field in ("login", "password"):
            self._field(field).input.value = ""
            self._field(field).clear_error()
        self.query_one("#submit", ActionLink).disabled = False
        self._status("")
        self._show_demo_hint()
        self.refresh_bindings()  # Ctrl+T, when there is a demo login now
        self.set_focus(self._field("login").input)

    def _store_state(self, location: str) -> None:
        self._status("" if location else _("Opening the store…"))

    def _show_demo_hint(self) -> None:
        demo = self.mlm_app.demo_login
        hint = self.query_one("#demo-hint", Static)
        if demo is None:
            hint.add_class("-empty")
            return
        hint.update(_("Demo login: {number}, password {password} (Ctrl+T fills it in)").format(
            number=demo.registration_number, password=demo.password))
        hint.remove_class("-empty")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "use_demo":
            return self.mlm_app.demo_login is not None
        return True

    def _field(self, name: str) -> FormField:
        return self.query_one(f"#{name}-field", FormField)

    def _status(self, text: str) -> None:
        self.query_one("#login-status", Static).update(text)

    @on(Input.Submitted, "#password")
    @on(ActionLink.Pressed, "#submit")
    def action_log_in(self) -> None:
        login = self._field("login").value.strip()
        password = self._field("password").value
        for field in ("login", "password"):
            self._field(field).clear_error()
        if not login:
            self._field("login").show_error(_("Enter your registration number or e-mail."))
            self.set_focus(self._field("login").input)
            return
        if not password:
            self._field("password").show_error(_("Enter your password."))
            self.set_focus(self._field("password").input)
            return
        self.query_one("#submit", ActionLink).disabled = True
        self._status(_("Checking…"))
        self.log_in(login, password)

    @work(thread=True, exclusive=True, exit_on_error=False, group="login")
    def log_in(self, login: str, password: str) -> None:
        try:
            session = self.backend.login(login, password)
        except DomainError as error:
            self.post_message(Refused(error))
            return
        self.post_message(self.LoggedIn(session))

    @on(LoggedIn)
    def _logged_in(self, message: LoggedIn) -> None:
        self._status("")
        self.post_message(SignedIn(message.session))

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.query_one("#submit", ActionLink).disabled = False
        self._status("")
        field, text = self._explain(message.error)
        self._field(field).show_error(text)
        self.set_focus(self._field(field).input)

    def _explain(self, error: DomainError) -> tuple[str, str]:
        """The field an error belongs to and what to tell the person."""
        if isinstance(error, Throttled):
            left = error.retry_at - self.mlm_app.clock()
            return "password", _("Too many attempts. Try again in {left}.").format(
                left=time_left_text(left))
        if isinstance(error, AccountClosed):
            return "login", _("This account is closed. Ask your sponsor or the service centre.")
        if isinstance(error, AccountNotActivated):
            return "login", _("This account is not activated yet: press Ctrl+N and enter the "
                              "activation code you received.")
        if isinstance(error, InvalidCredentials):
            return "password", _("Wrong registration number, e-mail or password.")
        if isinstance(error, ValidationError) and error.field in {"login", "password"}:
            return error.field, _(error.message)
        return "password", _(error.message)

    @on(ActionLink.Pressed, "#forgot")
    def action_reset(self) -> None:
        from mlm_tui.screens.reset import ResetScreen

        def back(login: str | None) -> None:
            if login:
                self._field("login").input.value = login
            self.set_focus(self._field("password").input)

        self.app.push_screen(ResetScreen(), back)

    def action_use_demo(self) -> None:
        demo = self.mlm_app.demo_login
        if demo is None:
            return
        self._field("login").input.value = demo.registration_number
        self._field("password").input.value = demo.password
        self.set_focus(self._field("password").input)

    def action_activate(self) -> None:
        from mlm_tui.screens.activate import ActivateScreen

        # The activation screen signs the member in itself (it posts SignedIn).
        self.app.push_screen(ActivateScreen(self._field("login").value.strip()))
