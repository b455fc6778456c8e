"""Log in by registration number or e-mail and a password.

The first screen drawn, before the backend has even opened (the app opens it in a
worker meanwhile), so this module imports nothing heavy. Each refusal is shown at the
field it concerns with its own words; what was typed stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label, Static

from mlm_tui.core.errors import (
    AccountClosed,
    AccountNotActivated,
    DomainError,
    InvalidCredentials,
    Throttled,
    ValidationError,
)
from mlm_tui.display import data_text
from mlm_tui.i18n import N_, _
from mlm_tui.messages import DataChanged, LookForChanges, Refused, SignedIn
from mlm_tui.screens.base import AppScreen
from mlm_tui.widgets.action_link import ActionLink
from mlm_tui.widgets.form import FormField
from mlm_tui.widgets.framed_box import FramedBox
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.time_left import time_left_text

if TYPE_CHECKING:  # kept off the first frame's imports
    from textual.timer import Timer

    from mlm_tui.core.models import Session


class LoginScreen(AppScreen[None]):
    DEFAULT_CSS = """
    LoginScreen { align: center top; }
    LoginScreen #login-box { width: 64; margin-top: 1; }
    LoginScreen #login-actions { height: auto; margin: 1 0 0 1; }
    LoginScreen #login-actions ActionLink { margin-right: 2; }
    LoginScreen #demo-hint { padding: 0 1; margin-top: 1; }
    LoginScreen #demo-hint.-empty { display: none; }
    LoginScreen #login-status { padding: 0 1; color: $text-muted; }
    LoginScreen #login-notice { padding: 0 1; margin-top: 1; color: $text-warning; }
    LoginScreen #login-notice.-empty { display: none; }
    """

    BINDINGS = [
        Binding("ctrl+r", "reset", N_("Forgot password"), id="login.reset"),
        Binding("ctrl+t", "use_demo", N_("Demo login"), id="login.demo"),
        Binding("ctrl+n", "activate", N_("Activate account"), id="login.activate"),
    ]

    @dataclass
    class LoggedIn(Message):
        session: Session

    # The time left of a sign-in lock counts down by this step, then the message goes.
    COUNTDOWN_SECONDS = 1.0

    def __init__(self, login: str = "", notice: str = "", *, drawn_when_asked: bool = False,
                 ) -> None:
        """``login`` fills in the login; ``notice`` says why one is asked to log in (again).
        ``drawn_when_asked``: the form is built only once the app asks for it
        (``ask``), not while a member is expected to be signed in already."""
        super().__init__()
        self._waiting = drawn_when_asked
        self._initial_login = login
        self._locked_until: datetime | None = None
        self._countdown: Timer | None = None
        self._notice = notice

    def compose(self) -> ComposeResult:
        if self._waiting:
            return
        yield AccountHeader()
        with FramedBox(_("Log in"), id="login-box"):
            yield Static(self._notice, id="login-notice", markup=False,
                         classes="" if self._notice else "-empty")
            yield FormField(_("Registration number or e-mail"), "login",
                            value=self._initial_login, next_on_enter=True)
            yield FormField(_("Password"), "password", password=True)
            with Horizontal(id="login-actions"):
                yield ActionLink(_("Log in"), id="submit", primary=True)
                yield ActionLink(_("Forgot password"), id="forgot")
            yield Static("", id="demo-hint", classes="-empty", markup=False)
            yield Static("", id="login-status", markup=False)

    def on_mount(self) -> None:
        if not self._waiting:
            self._set_up()

    async def ask(self) -> None:
        """The form, built now if it waited (see ``drawn_when_asked``)."""
        if self._waiting:
            self._waiting = False
            await self.recompose()
            self._set_up()

    def _set_up(self) -> None:
        # The keys come a frame after the form: the first frame, what start-up waits for,
        # draws the form without building and styling the footer's keys first.
        self.call_after_refresh(self._add_footer)
        self.title = _("Log in")
        self.set_focus(self._field("password" if self._initial_login else "login").input)
        self._show_demo_hint()
        self.watch(self.app, "location", self._store_state)

    async def _add_footer(self) -> None:
        from mlm_tui.widgets.footer import KeysFooter  # after the first frame: off its path

        await self.mount(KeysFooter())
        self.refresh_bindings()  # the footer shows the keys as they are by now

    async def draw_again(self) -> None:
        """Every text of the screen in the language now in effect, changed in place: what
        is typed, the focus and keys typed meanwhile (the company's language arrives while
        someone may be typing) stay where they are."""
        if self._waiting:  # built in the language then in effect
            return
        self.title = _("Log in")
        self.query_one("#login-box", FramedBox).border_title = _("Log in")
        self.query_one("#login-label", Label).update(_("Registration number or e-mail"))
        self.query_one("#password-label", Label).update(_("Password"))
        self.query_one("#submit", ActionLink).update(_("Log in"))
        self.query_one("#forgot", ActionLink).update(_("Forgot password"))
        self._show_demo_hint()
        self._store_state(self.mlm_app.location)
        self.query_one(AccountHeader).refresh()
        self.refresh_bindings()  # the footer, in the new language

    def start_over(self) -> None:
        """Ready for the next person (after logging out, or once demo data is built):
        nothing typed, no message, the demo login as it is now."""
        if self._waiting:
            return
        self._end_lock()
        for field in ("login", "password"):
            self._field(field).input.value = ""
            self._field(field).clear_error()
        self.query_one("#login-notice", Static).add_class("-empty")
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
        self.query_one("#login-status", Static).update(data_text(text))

    @on(Input.Submitted, "#password")
    @on(ActionLink.Pressed, "#submit")
    def action_log_in(self) -> None:
        login = self._field("login").value.strip()
        password = self._field("password").value
        self._end_lock()
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

    def log_in(self, login: str, password: str) -> None:
        def ask() -> Message:
            session = self.backend.login(login, password)
            return self.LoggedIn(session)

        self.in_background(ask, group="login", refused=True)

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
        if isinstance(message.error, Throttled):
            self._count_down_to(message.error.retry_at)

    # --- a sign-in lock ----------------------------------------------------------------------
    def _count_down_to(self, until: datetime) -> None:
        """The lock's time left keeps counting; at its end the message goes."""
        self._locked_until = until
        if self._countdown is None:
            self._countdown = self.set_interval(self.COUNTDOWN_SECONDS, self._count_down)

    def _count_down(self) -> None:
        if self._locked_until is None:
            return
        left = self._locked_until - self.mlm_app.clock()
        if left.total_seconds() <= 0:
            self._end_lock()
            return
        text = _locked_text(left)
        field = self._field("password")
        if field.error_text != text:
            field.show_error(text)

    def _end_lock(self) -> None:
        if self._countdown is not None:
            self._countdown.stop()
            self._countdown = None
        if self._locked_until is not None:
            self._locked_until = None
            self._field("password").clear_error()

    @on(DataChanged)
    def _data_changed(self, message: DataChanged) -> None:
        from mlm_tui.core.changes import ChangeKind

        # A password was set (a reset, here or in another app): whatever locked this
        # sign-in is lifted with it. Were it not, the next try would say so again.
        if ChangeKind.CREDENTIALS in message.kinds:
            self._end_lock()

    def _explain(self, error: DomainError) -> tuple[str, str]:
        """The field an error belongs to and what to tell the person."""
        if isinstance(error, Throttled):
            return "password", _locked_text(error.retry_at - self.mlm_app.clock())
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
            self.post_message(LookForChanges())  # a reset there lifts a lock shown here

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


def _locked_text(left: timedelta) -> str:
    """What a sign-in lock says while it holds: the same when refused and as it counts."""
    return _("Too many attempts. Try again in {left}.").format(left=time_left_text(left))
