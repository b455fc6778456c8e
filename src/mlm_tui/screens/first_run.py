"""An empty store: build the demo data (with a progress bar) or activate an account.

Shown instead of the login when the store has no members yet. Building runs in a
worker; when it is done the app opens the store again and shows the login with the
demo login filled in below the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, ProgressBar, Static

from mlm_tui.core.errors import DomainError
from mlm_tui.i18n import N_, _
from mlm_tui.messages import Failed, StoreRebuilt
from mlm_tui.screens.base import AppScreen
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.framed_box import FramedBox
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.status_line import StatusLine


def phase_names() -> dict[str, str]:
    """What the demo builder is doing, per phase it reports (``core.demo``), in order."""
    return {
        "company": _("the company"),
        "catalog": _("the catalog"),
        "members": _("the team"),
        "orders": _("two years of orders"),
        "ledgers": _("balances and points"),
        "inbox": _("the inbox"),
        "finishing": _("finishing"),
    }


def overall_progress(phase: str, done: int, total: int) -> float:
    """Progress over the whole build, 0..1: each phase an equal share."""
    phases = list(phase_names())
    index = phases.index(phase) if phase in phases else 0
    share = done / total if total else 1.0
    return (index + min(max(share, 0.0), 1.0)) / len(phases)


class FirstRunScreen(AppScreen[None]):
    DEFAULT_CSS = """
    FirstRunScreen { align: center top; }
    FirstRunScreen #first-run { width: 70; margin-top: 1; }
    FirstRunScreen .intro { height: auto; margin-bottom: 1; }
    FirstRunScreen #first-run-actions { height: auto; }
    FirstRunScreen #first-run-actions Button { margin-right: 2; }
    FirstRunScreen #build-progress { margin-top: 1; }
    FirstRunScreen #build-progress.-idle { display: none; }
    FirstRunScreen #build-status { padding: 0; }
    """

    BINDINGS = [
        Binding("ctrl+b", "build", N_("Build demo data"), id="first_run.build"),
        Binding("ctrl+n", "activate", N_("Activate account"), id="first_run.activate"),
    ]

    @dataclass
    class Progress(Message):
        phase: str
        done: int
        total: int

    @dataclass
    class Built(Message):
        demo_login: Any

    def __init__(self, *, build_at_once: bool = False) -> None:
        super().__init__()
        self.build_at_once = build_at_once
        self.building = False

    @property
    def can_build(self) -> bool:
        return self.mlm_app.demo_builder is not None

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        with FramedBox(_("Welcome"), id="first-run"):
            yield Static(_("This store is empty."), classes="intro")
            yield Static(_("Build the demo data to try everything at once: a company, a "
                           "team, a catalog and its orders. The demo login is shown on the "
                           "login screen afterwards."), classes="intro", id="demo-intro")
            yield Static(_("A new consultant is registered by a sponsor and receives an "
                           "activation code: activate the account with it."), classes="intro")
            with Horizontal(id="first-run-actions"):
                yield Button(_("Build the demo data"), id="build", variant="primary",
                             compact=True)
                yield Button(_("Activate an account"), id="activate", compact=True)
            yield ProgressBar(id="build-progress", classes="-idle", show_eta=False)
            yield StatusLine(id="build-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("First start")
        if not self.can_build:
            self.query_one("#build", Button).display = False
            self.query_one("#demo-intro", Static).display = False
            self.set_focus(self.query_one("#activate", Button))
        else:
            self.set_focus(self.query_one("#build", Button))
            if self.build_at_once:
                self.action_build()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "build":
            return self.can_build and not self.building
        return True

    @on(Button.Pressed, "#build")
    def action_build(self) -> None:
        if self.building or not self.can_build:
            return
        self.building = True
        self.refresh_bindings()
        self.query_one("#build", Button).disabled = True
        self.query_one("#build-progress", ProgressBar).remove_class("-idle")
        self._status(_("Building the demo data…"))
        self.build()

    @work(thread=True, exclusive=True, exit_on_error=False, group="first-run")
    def build(self) -> None:
        def progress(phase: str, done: int, total: int) -> None:
            self.post_message(self.Progress(phase, done, total))

        try:
            demo_login = self.mlm_app.build_demo_data(progress)
        except DomainError as error:
            self.post_message(Failed(error))
            return
        except Exception as error:  # shown to the person; the store stays as it was
            self.post_message(Failed(DomainError(str(error))))
            return
        self.post_message(self.Built(demo_login))

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        bar = self.query_one("#build-progress", ProgressBar)
        bar.update(total=100, progress=round(
            100 * overall_progress(message.phase, message.done, message.total)))
        name = phase_names().get(message.phase, message.phase)
        self._status(_("Building the demo data: {phase}…").format(phase=name))

    @on(Built)
    def _built(self, message: Built) -> None:
        self.building = False
        self._status(_("The demo data is ready."))
        self.post_message(StoreRebuilt(message.demo_login))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.building = False
        self.refresh_bindings()
        self.query_one("#build", Button).disabled = False
        self._status(_("The demo data could not be built: {error}").format(
            error=message.error), error=True)

    def _status(self, text: str, *, error: bool = False) -> None:
        self.query_one("#build-status", StatusLine).show(text, error=error)

    @on(Button.Pressed, "#activate")
    def action_activate(self) -> None:
        from mlm_tui.screens.activate import ActivateScreen

        self.app.push_screen(ActivateScreen())
