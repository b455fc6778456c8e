"""Forgot password: e-mail or phone -> a code is sent -> code, new password, confirmation.

Three steps on one screen. The code's destination is shown masked, as the backend
reports it. Each refusal is shown at its field (wrong, expired or used code, weak
password, mismatch); asking for another code waits out a cooldown that counts down on
the button. Dismisses with the e-mail typed (to fill in the login) or ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, ContentSwitcher, Input, Static

from mlm_tui.core.errors import DomainError, Throttled
from mlm_tui.core.models import MessageDelivery, ResetRequest
from mlm_tui.core.rules.passwords import password_rule
from mlm_tui.core.rules.typed_numbers import read_code
from mlm_tui.display import data_text
from mlm_tui.i18n import N_, _, render_message
from mlm_tui.messages import Refused
from mlm_tui.screens.base import AppScreen
from mlm_tui.widgets.delivery_text import how_sent
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.form import FormField
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.status_line import StatusLine
from mlm_tui.widgets.time_left import time_left_text

CODE_FIELDS = ("code", "new_password", "confirmation")
RESET_CODE_DIGITS = 8


class ResetScreen(AppScreen[str | None]):
    DEFAULT_CSS = """
    ResetScreen VerticalScroll { padding: 0 1; }
    ResetScreen .intro { margin: 1 1 1 1; height: auto; }
    ResetScreen #password-rule { margin: 0 1 1 1; height: auto; color: $text-muted; }
    ResetScreen .actions { height: auto; margin: 1 0 0 1; }
    ResetScreen .actions Button { margin-right: 2; }
    ResetScreen #reset-status { margin-top: 1; }
    ResetScreen ContentSwitcher { height: auto; }
    ResetScreen ContentSwitcher > Vertical { height: auto; }
    """

    BINDINGS = [
        Binding("ctrl+s", "submit", N_("Continue"), id="reset.submit"),
        Binding("ctrl+r", "resend", N_("Resend code"), id="reset.resend"),
        Binding("escape", "leave", N_("Back"), id="reset.back"),
    ]

    @dataclass
    class CodeSent(Message):
        request: ResetRequest
        delivery: MessageDelivery

    class PasswordChanged(Message):
        pass

    def __init__(self) -> None:
        super().__init__()
        self.request: ResetRequest | None = None
        self.contact = ""

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        with VerticalScroll(), ContentSwitcher(initial="step-contact"):
            with Vertical(id="step-contact"):
                yield Static(_("Enter the e-mail or phone number of your account. We send "
                               "a code to the e-mail and phone on it."), classes="intro")
                yield FormField(_("E-mail or phone"), "contact")
                with Horizontal(classes="actions"):
                    yield Button(_("Send code"), id="send", variant="primary", compact=True)
            with Vertical(id="step-code"):
                yield Static("", id="sent-to", classes="intro", markup=False)
                yield FormField(_("Code (8 digits)"), "code",
                                next_on_enter=True)
                yield Static(password_rule(render_message), id="password-rule")
                yield FormField(_("New password"), "new_password", password=True,
                                next_on_enter=True)
                yield FormField(_("Repeat the new password"), "confirmation", password=True)
                with Horizontal(classes="actions"):
                    yield Button(_("Set password"), id="confirm", variant="primary",
                                 compact=True)
                    yield Button(_("Resend code"), id="resend", compact=True)
            with Vertical(id="step-done"):
                yield Static(_("Your password is changed. Log in with the new one."),
                             classes="intro")
                with Horizontal(classes="actions"):
                    yield Button(_("Back to log in"), id="done", variant="primary",
                                 compact=True)
        yield StatusLine(id="reset-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Reset password")
        self.set_focus(self._field("contact").input)
        self.set_interval(1, self._tick)

    # --- helpers ---------------------------------------------------------------------------
    def _field(self, name: str) -> FormField:
        return self.query_one(f"#{name}-field", FormField)

    @property
    def step(self) -> str:
        return self.query_one(ContentSwitcher).current or "step-contact"

    def _now(self) -> datetime:
        return self.mlm_app.clock()

    def _status(self, text: str, *, error: bool = False) -> None:
        self.query_one("#reset-status", StatusLine).show(text, error=error)

    def _tick(self) -> None:
        """Count the resend cooldown down on its button."""
        if self.request is None:
            return
        left = self.request.resend_after - self._now()
        button = self.query_one("#resend", Button)
        if left.total_seconds() > 0:
            button.label = _("Resend code (in {left})").format(left=time_left_text(left))
            button.disabled = True
        else:
            button.label = _("Resend code")
            button.disabled = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resend":
            return self.step == "step-code"
        return True

    # --- step 1: where to send the code ----------------------------------------------------
    @on(Input.Submitted, "#contact")
    @on(Button.Pressed, "#send")
    def _send(self) -> None:
        self._field("contact").clear_error()
        contact = self._field("contact").value.strip()
        if not contact:
            self._field("contact").show_error(_("Enter the e-mail or phone of your account."))
            return
        self.contact = contact
        self._status(_("Sending the code…"))
        self.request_code(contact, "step-contact")

    @on(Button.Pressed, "#resend")
    def action_resend(self) -> None:
        if self.contact and not self.query_one("#resend", Button).disabled:
            self._status(_("Sending another code…"))
            self.request_code(self.contact, "step-code")

    @work(thread=True, exclusive=True, exit_on_error=False, group="reset")
    def request_code(self, contact: str, step: str) -> None:
        try:
            request = self.backend.request_password_reset(contact)
            delivery = self.backend.message_delivery()
        except DomainError as error:
            self.post_message(Refused(error, about=step))
            return
        self.post_message(self.CodeSent(request, delivery))

    @on(CodeSent)
    def _code_sent(self, message: CodeSent) -> None:
        self.request = message.request
        expires = message.request.expires_at - self._now()
        self.query_one("#sent-to", Static).update(data_text(
            _("A code was sent to {destination} ({how}). It is valid for {left}.").format(
                destination=message.request.destination_masked,
                how=how_sent(message.delivery), left=time_left_text(expires))))
        self.query_one(ContentSwitcher).current = "step-code"
        self._status("")
        self._tick()
        self.refresh_bindings()
        self.set_focus(self._field("code").input)

    # --- step 2: code and the new password -------------------------------------------------
    @on(Input.Submitted, "#confirmation")
    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        for name in CODE_FIELDS:
            self._field(name).clear_error()
        values = [self._field(name).value for name in CODE_FIELDS]
        code = read_code(values[0])
        if code is None or len(code) != RESET_CODE_DIGITS:
            self._field("code").show_error(_("The code is {digits} digits.").format(
                digits=RESET_CODE_DIGITS))
            self.set_focus(self._field("code").input)
            return
        self._status(_("Checking the code…"))
        self.confirm(self.contact, code, values[1], values[2])

    @work(thread=True, exclusive=True, exit_on_error=False, group="reset")
    def confirm(self, contact: str, code: str, password: str, confirmation: str) -> None:
        try:
            self.backend.confirm_password_reset(
                contact, code, password, confirmation)
        except DomainError as error:
            self.post_message(Refused(error, about="step-code"))
            return
        self.post_message(self.PasswordChanged())

    @on(PasswordChanged)
    def _changed(self) -> None:
        self._status("")
        self.query_one(ContentSwitcher).current = "step-done"
        self.refresh_bindings()
        self.set_focus(self.query_one("#done", Button))

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        error = message.error
        text = _(error.message)
        if isinstance(error, Throttled):
            text = _("Please wait {left} before asking again.").format(
                left=time_left_text(error.retry_at - self._now()))
        fields: tuple[str, ...] = ("contact",) if message.about == "step-contact" else CODE_FIELDS
        if error.field in fields:
            self._status("")
            self._field(error.field).show_error(text)
            self.set_focus(self._field(error.field).input)
        elif message.about == "step-contact":
            self._status("")
            self._field("contact").show_error(text)
        else:
            self._status(text, error=True)

    # --- leaving ---------------------------------------------------------------------------
    def action_submit(self) -> None:
        if self.step == "step-contact":
            self._send()
        elif self.step == "step-code":
            self._confirm()
        else:
            self._leave()

    @on(Button.Pressed, "#done")
    def _leave(self) -> None:
        self.dismiss(self.contact if "@" in self.contact else None)

    def action_leave(self) -> None:
        self._leave()
