"""The Textual app: owns one Backend, the session, and the screen stack.

Start-up draws the login screen first and opens the backend afterwards, in a thread
worker: importing SQLAlchemy and opening the store must not delay the first frame.
Everything the backend does runs in workers; the UI thread only renders. Heavy
modules (SQLAlchemy, Babel, argon2, ``core.local``) are imported inside the functions
that need them, never at the top of this module or of the login screen.

The app is given its ``Settings`` (where exports and invoice PDFs are written), keeps
the state the header shows (``company``, ``account``, ``location``, ``online``) and
reacts to the shared messages of :mod:`mlm_tui.messages`; screens never change each
other.

A session can end while the app runs (a password reset, a logout elsewhere): the call
that finds it ended tells the app, which puts the login screen over whatever was open.
The same member logging in again gets the screens back as they were left, with what
was typed in them; anyone else starts afresh.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual import events, on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen

from mlm_tui.changed_cells import ChangedCells, TerminalCells
from mlm_tui.colours import SIXTEEN_COLOURS, Colours, filters_for
from mlm_tui.core.dates import utc_now
from mlm_tui.core.errors import DomainError, NotAuthenticated, Offline
from mlm_tui.dispatch import hook_dispatch
from mlm_tui.display import printable
from mlm_tui.glyphs import AsciiOnly
from mlm_tui.i18n import N_, _, install, language_of, remember_company_locale
from mlm_tui.key_gate import KeyGate
from mlm_tui.messages import (
    AccountChanged,
    CameOnline,
    DataChanged,
    LookForChanges,
    SignedIn,
    SignOutRequested,
    StoreRebuilt,
    WentOffline,
)
from mlm_tui.navigation import DESTINATIONS, Destination
from mlm_tui.terminal_erase import Erase

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.command import Provider
    from textual.filter import LineFilter
    from textual.widget import Widget

    from mlm_tui.core.backend import Backend
    from mlm_tui.core.models import AccountSummary, Cart, Checkout, CompanyProfile, Session
    from mlm_tui.core.settings import Settings

Answer = TypeVar("Answer")  # what a worker reads from the outbox

# How many destinations the footer shows; the rest are in the help screen and the palette.
FOOTER_DESTINATIONS = 3
# How long a worker waits for the backend to open before giving up.
BACKEND_WAIT_SECONDS = 60.0
# How often the app asks whether data changed elsewhere (another app, the server): a
# change shows within this time. Asking costs microseconds and draws nothing when quiet.
POLL_SECONDS = 3.0


def load_screen_class(destination: Destination) -> type[Screen[Any]]:
    """Import a destination's screen when first opened, so start-up stays fast."""
    module_name, _sep, class_name = destination.screen.partition(":")
    module = importlib.import_module(f"mlm_tui.screens.{module_name}")
    screen_class: type[Screen[Any]] = getattr(module, class_name)
    return screen_class


def _is_showing(screen: Screen[Any], destination_id: str) -> bool:
    module_name, _sep, class_name = destination(destination_id).screen.partition(":")
    kind = type(screen)
    return kind.__name__ == class_name and kind.__module__ == f"mlm_tui.screens.{module_name}"


def destination(destination_id: str) -> Destination:
    return next(d for d in DESTINATIONS if d.id == destination_id)


def _palette_provider() -> type[Provider]:
    from mlm_tui.palette import NavigationProvider

    return NavigationProvider


def _bindings() -> list[BindingType]:
    bindings: list[BindingType] = [
        Binding("f1", "help", N_("Help"), id="app.help"),
        Binding("question_mark", "help", N_("Help"), show=False, id="app.help_question"),
        Binding("escape", "back", N_("Back"), show=False, id="app.back"),
        Binding("ctrl+q", "quit", N_("Quit"), show=False, priority=True, id="app.quit"),
        Binding("ctrl+p", "command_palette", N_("Commands"), show=False, priority=True,
                id="app.palette"),
    ]
    for index, place in enumerate(DESTINATIONS):
        bindings.append(Binding(
            place.key, f"go('{place.id}')", place.title,
            show=index < FOOTER_DESTINATIONS, id=f"go.{place.id}",
        ))
    return bindings


class MlmApp(App[None]):
    """The consultant's back office. See :func:`run_app` for how the CLI starts it."""

    CSS_PATH = "app.tcss"
    TITLE = "mlm-tui"
    BINDINGS: ClassVar[list[BindingType]] = _bindings()
    COMMANDS = {_palette_provider}  # quit and the theme are in it too, after this app's own

    company: reactive[CompanyProfile | None] = reactive(None)
    account: reactive[AccountSummary | None] = reactive(None)
    location: reactive[str] = reactive("")
    online: reactive[bool] = reactive(True)
    # Offline, when the prices shown were last read from the server (the replica's).
    prices_as_of: reactive[datetime | None] = reactive(None)
    # Orders checked out offline: (to send, waiting for a decision); the header shows them.
    outbox_counts: reactive[tuple[int, int]] = reactive((0, 0))
    session: reactive[Session | None] = reactive(None, bindings=True)

    class BackendOpened(Message):
        def __init__(self, location: str, company: CompanyProfile | None, empty: bool,
                     session: Session | None) -> None:
            super().__init__()
            self.location, self.company, self.empty, self.session = (
                location, company, empty, session)

    class BackendFailed(Message):
        def __init__(self, error: Exception) -> None:
            super().__init__()
            self.error = error

    class AccountLoaded(Message):
        def __init__(self, summary: AccountSummary) -> None:
            super().__init__()
            self.summary = summary

    class SignedOut(Message):
        pass

    class SessionEnded(Message):
        """A backend call found the session ended (from a worker)."""

        def __init__(self, error: NotAuthenticated) -> None:
            super().__init__()
            self.error = error

    def __init__(
        self,
        backend_factory: Callable[[], Backend],
        *,
        settings: Settings,
        keeper: Any = None,
        demo_login: Any = None,
        demo_builder: Callable[[Callable[..., None]], Any] | None = None,
        build_demo_at_once: bool = False,
        clock: Callable[[], datetime] = utc_now,
        keymap: dict[str, str] | None = None,
        error_log: Path | None = None,
        poll_seconds: float = POLL_SECONDS,
        language: str | None = "en",
        bound_session: bool = False,
        colours: Colours = Colours.MANY,
        ascii_only: bool = False,
        blink: bool = True,
        erase: Erase = Erase.NONE,
        signed_in_at_start: bool = False,
    ) -> None:
        """
        ``backend_factory`` opens the backend (called once, in a worker thread).
        ``settings`` are those the backend was opened with: the app writes its exports
        and invoice PDFs where they say.
        ``keeper`` keeps the session token between runs (``core.session_keeper``).
        ``demo_login`` is shown on the login screen (``core.demo.DemoLogin``).
        ``demo_builder(progress)`` fills an empty store with the demo data and returns the
        demo login; with ``build_demo_at_once`` an empty store is filled without asking.
        ``clock`` gives naive UTC: the time left of a throttle or a resend cooldown.
        ``error_log``: a failure of the app's own code is written there and shown, and the
        app keeps going (see :mod:`mlm_tui.failures`); without it the app ends, as in tests.
        ``poll_seconds``: how often to ask the backend what changed elsewhere.
        ``language``: the interface language ("en", "ru", "de"); None: the company's
        default, once the store is open. Until then the login screen speaks the company's
        language as last seen on this computer (kept in the state dir), else English.
        ``bound_session``: the backend comes signed in with a session that is the app's
        whole life (over SSH, by the connection's key): when it ends or the member logs
        out, the app ends instead of asking for a password.
        ``colours``: what the terminal shows (``mlm_tui.colours.terminal_colours()``, as
        ``run_app`` asks); the look follows it (see :mod:`mlm_tui.colours`).
        ``ascii_only``: the terminal shows ASCII alone (its locale is not UTF-8, see
        :mod:`mlm_tui.glyphs`): nothing else is written to it.
        ``blink``: whether the cursor of a text field blinks. Over SSH it does not: every
        blink redraws the whole field, about 1.4 KB a second on the link.
        ``erase``: how the terminal erases characters in place
        (``mlm_tui.terminal_erase.terminal_erase()``, as ``run_app`` asks); runs of
        blank cells are written the shorter for it.
        ``signed_in_at_start``: the backend opens signed in (the tests' apps): the login
        form is built only if it is asked for after all, not under the landing screen.
        """
        super().__init__()
        self._terminal_cells = TerminalCells(erase)
        self._use_colours(colours)
        self._use_glyphs(ascii_only)
        self.blink = blink
        self._signed_in_at_start = signed_in_at_start
        self._backend_factory = backend_factory
        self.settings = settings
        self._language_from_company = language is None
        self.language = install(language if language else self._company_language_seen())
        self._backend: Backend | None = None
        self._watched: Backend | None = None
        self._backend_error: Exception | None = None
        # Who was signed in when the session ended under the open screens.
        self._interrupted: Session | None = None
        self._backend_ready = threading.Event()
        self.keeper = keeper
        self.bound_session = bound_session
        self.demo_login = demo_login
        self.demo_builder = demo_builder
        self.build_demo_at_once = build_demo_at_once
        self.clock = clock
        self.error_log = error_log
        self._failures_shown: set[str] = set()
        self.key_gate = KeyGate(self, self._route_input)
        hook_dispatch()
        self.poll_seconds = poll_seconds
        self._change_cursor: int | None = None
        self._poll_lock = threading.Lock()
        # A write of this app moved money: the header reads the account once, when the
        # change poll that follows the write is in (not once for the write and once more
        # for the change it reports).
        self._header_stale = False
        self._poll_timer: Any = None
        # ``[keys]`` of config.toml (``mlm_tui.keymap``): binding id -> keys.
        self.keymap: dict[str, str] = dict(keymap or {})
        if keymap:
            self.set_keymap(keymap)
        self._sync_lock = threading.Lock()
        if settings.server_url:  # orders checked out offline exist only with a server
            self.bind("f11", "outbox", description=_("Outbox"), show=False)

    # --- the terminal's colours (mlm_tui.colours) -------------------------------------------
    def _use_colours(self, colours: Colours) -> None:
        self.colours = colours
        self._colour_filters = filters_for(colours)
        if colours is not Colours.MANY:
            self.register_theme(SIXTEEN_COLOURS)
            self.theme = SIXTEEN_COLOURS.name
        # App:nocolor rules (app.tcss) say by bold and reverse video what colour would.
        self.no_color = colours is Colours.NONE

    def _use_glyphs(self, ascii_only: bool) -> None:
        # Amounts on screen are written "1 234,50 RUB" (mlm_tui.formats asks this app).
        self.ascii_only = ascii_only
        self._glyph_filters: list[LineFilter] = [AsciiOnly()] if ascii_only else []

    def get_line_filters(self) -> Sequence[LineFilter]:
        filters = (super().get_line_filters() if self.colours is Colours.MANY
                   else self._colour_filters)
        return [*filters, *self._glyph_filters] if self._glyph_filters else filters

    # --- only the cells that changed reach the terminal (mlm_tui.changed_cells) -----------
    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        from textual._compositor import ChopsUpdate, LayoutUpdate

        if isinstance(renderable, (LayoutUpdate, ChopsUpdate)):
            self._terminal_cells.fit(*self.size)
            # A compositor update, as Textual writes it (a renderable by its own types too).
            renderable = cast("RenderableType", ChangedCells(self._terminal_cells, renderable))
        elif renderable is not None:
            self._terminal_cells.forget()  # written as it is: what it changes is unknown
        super()._display(screen, renderable)

    @on(events.Mount)
    def _watch_the_terminal(self) -> None:
        # Another program had the terminal meanwhile: what it shows is unknown.
        for signal in (self.app_suspend_signal, self.app_resume_signal):
            signal.subscribe(self, lambda _app: self._terminal_cells.forget(), immediate=True)

    @on(events.DescendantFocus)
    def _no_blinking(self, event: events.DescendantFocus) -> None:
        if self.blink:
            return
        from textual.widgets import Input

        kinds: tuple[type[Widget], ...] = (Input,)
        # A TextArea exists only once its module is imported; importing it here would put
        # it on the way to the first frame (the login field takes focus there).
        text_area = sys.modules.get("textual.widgets._text_area")
        if text_area is not None:
            kinds += (text_area.TextArea,)
        if isinstance(event.widget, kinds):
            event.widget.cursor_blink = False  # type: ignore[attr-defined]

    # --- keys in a burst land where they would typed one by one (mlm_tui.key_gate) ------
    async def on_event(self, event: events.Event) -> None:
        if not self.key_gate.holds(event):
            await super().on_event(event)

    async def _route_input(self, event: events.Key | events.Paste) -> None:
        await super().on_event(event)

    # --- failures of the app's own code ----------------------------------------------------
    def handler_failed(self, error: Exception) -> bool:
        """Log and show a failure and keep going; False (fail as usual) without a log."""
        if self.error_log is None:
            return False
        from mlm_tui.failures import failure_summary, write_failure

        try:
            write_failure(self.error_log, error)
            where = str(self.error_log)
        except OSError:
            where = _("nowhere: the log could not be written")
        summary = failure_summary(error)
        if summary not in self._failures_shown:  # one repeated at every key is shown once
            self._failures_shown.add(summary)
            self.notify(
                _("That did not work: {what}. Your work is kept; details are in {log}.")
                .format(what=summary, log=where),
                title=_("Something failed"), severity="error", timeout=20, markup=False)
        return True

    def _handle_exception(self, error: Exception) -> None:
        # Failures outside a handler (a worker, a timer, drawing) come here; Textual's own
        # way ends the app.
        if not self.handler_failed(error):
            super()._handle_exception(error)

    # --- the backend -----------------------------------------------------------------------
    @property
    def backend_ready(self) -> bool:
        """True once the backend has opened, or failed to (then calls raise its error)."""
        return self._backend_ready.is_set()

    @property
    def backend(self) -> Backend:
        """The backend, waiting for it to open. Call it from workers, never the UI thread."""
        on_ui_thread = threading.current_thread() is threading.main_thread()
        if on_ui_thread and not self._backend_ready.is_set():
            raise DomainError(_("The store is still opening."))
        if not self._backend_ready.wait(BACKEND_WAIT_SECONDS):
            raise DomainError(_("The store did not open in time."))
        if self._backend is None or self._watched is None:
            error = self._backend_error
            raise error if isinstance(error, DomainError) else DomainError(str(error))
        return self._watched

    def get_default_screen(self) -> Screen[Any]:
        # The login screen is the bottom of the stack: the first frame draws it at once,
        # not a blank screen first with this one pushed over it.
        from mlm_tui.screens.login import LoginScreen

        return LoginScreen(drawn_when_asked=self._signed_in_at_start)

    async def _ask_to_log_in(self) -> None:
        """The login form at the bottom of the stack, built if it waited."""
        from mlm_tui.screens.login import LoginScreen

        bottom = self.screen_stack[0]
        if isinstance(bottom, LoginScreen):
            await bottom.ask()

    def on_ready(self) -> None:
        # After the first frame: importing SQLAlchemy in a thread would hold the
        # interpreter lock while the login screen is being drawn.
        self.call_after_refresh(self.open_backend)

    @work(thread=True, exclusive=True, exit_on_error=False, group="backend")
    def open_backend(self) -> None:
        try:
            backend = self._backend_factory()
            empty = backend.is_empty()
            company = None if empty else backend.company()
            location = backend.describe()
        except Exception as error:  # any failure to open is shown; the UI must not hang
            self._backend_error = error
            self._backend_ready.set()
            self.post_message(self.BackendFailed(error))
            return
        self._backend, self._backend_error = backend, None
        self._watched = _watch_session(backend, self._session_ended_in_worker)
        # Ready once the app holds the company (``_backend_opened``), not before: one who
        # signs in meanwhile would get screens that format money without it.
        session = None if empty else (backend.session() or self._resume_kept(backend, location))
        if company is not None:
            self._warm_up_formatting(company)
            if self._language_from_company:
                self._remember_company_language(company)
        self.post_message(self.BackendOpened(location, company, empty, session))

    # The company's language, kept so that the next start draws its first frame in it.
    def _company_language_file(self) -> Path:
        return self.settings.state_dir / "company-language"

    def _company_language_seen(self) -> str | None:
        try:
            return self._company_language_file().read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None

    def _remember_company_language(self, company: CompanyProfile) -> None:
        language = language_of(company.locale) or "en"
        if language == self._company_language_seen():
            return
        with contextlib.suppress(OSError):  # not kept: the next start shows English first
            from mlm_tui.core.files import private_file

            self._company_language_file().parent.mkdir(parents=True, exist_ok=True)
            with private_file(self._company_language_file(), "w") as fh:
                fh.write(language)
    def _resume_kept(self, backend: Backend, location: str) -> Session | None:
        if self.keeper is None:
            return None
        try:
            token = self.keeper.load(location)
        except Exception:  # an unreadable keyring or file just means logging in again
            return None
        if not token:
            return None
        try:
            return backend.resume(token)
        except NotAuthenticated:
            self.keeper.clear(location)
            return None
        except DomainError:
            return None

    @staticmethod
    def _warm_up_formatting(company: CompanyProfile) -> None:
        # Babel loads its locale data on first use; pay that here, not on the first table.
        from mlm_tui.core.money import Money, format_money

        format_money(Money.zero(company.currency), company.locale)

    @on(BackendOpened)
    async def _backend_opened(self, message: BackendOpened) -> None:
        self.location = message.location
        self.company = message.company
        self._backend_ready.set()
        if message.company is not None:
            remember_company_locale(message.company.locale)  # how errors write their days
        if self._language_from_company and message.company is not None:
            self._language_from_company = False
            await self.action_language(language_of(message.company.locale) or "en")
        self._start_polling()
        if message.empty:
            from mlm_tui.screens.first_run import FirstRunScreen

            await self._reset_stack(FirstRunScreen(build_at_once=self.build_demo_at_once))
        elif message.session is not None:
            await self._enter(message.session)
        else:
            await self._ask_to_log_in()

    @on(BackendFailed)
    async def _backend_failed(self, message: BackendFailed) -> None:
        await self._ask_to_log_in()
        error = message.error
        text = error.message if isinstance(error, DomainError) else str(error)
        # The error may quote a path or what the store holds: plain text, never markup.
        self.notify(printable(_("The store could not be opened: {error}").format(error=text)),
                    severity="error", timeout=30, markup=False)

    @on(StoreRebuilt)
    async def _store_rebuilt(self, message: StoreRebuilt) -> None:
        """Demo data was built into the store: open it again and show the login."""
        if message.demo_login is not None:
            self.demo_login = message.demo_login
        await self._reset_stack()
        self._reopen_backend()

    def build_demo_data(self, progress: Callable[..., None]) -> Any:
        """Fill the empty store with the demo data (from a worker); returns the demo login.

        The builder writes the file alone, in bulk and without WAL, which SQLite allows only
        while no other connection is open: the backend lets go of its connections first. It
        is opened again once the data is in (``StoreRebuilt``).
        """
        if self.demo_builder is None:
            raise DomainError(_("This store cannot be filled with demo data."))
        if self._backend is not None:
            self._backend.close()
        return self.demo_builder(progress)

    def _reopen_backend(self) -> None:
        old, self._backend, self._watched = self._backend, None, None
        self._backend_ready.clear()
        if old is not None:
            old.close()
        self.open_backend()

    # --- changes made anywhere --------------------------------------------------------------
    def _start_polling(self) -> None:
        self._change_cursor = None  # a store opened again starts counting afresh
        if self._poll_timer is None:
            self._poll_timer = self.set_interval(self.poll_seconds, self.check_for_changes)
        self.check_for_changes()  # the starting cursor: what is shown now is current

    @on(LookForChanges)
    def check_for_changes(self) -> None:
        """Ask the backend what changed since the last time (one call for every screen)."""
        if self.backend_ready and self._backend is not None:
            self._poll_changes()

    @work(thread=True, exit_on_error=False, group="changes")
    def _poll_changes(self) -> None:
        with self._poll_lock:  # one at a time: each continues from the cursor of the last
            cursor = self._change_cursor
            try:
                changes = self.backend.changes_since(cursor)
            except Offline:
                self.post_message(WentOffline())
                return
            except DomainError:
                if self._header_stale:  # the header still follows the write
                    self.post_message(DataChanged(frozenset()))
                return  # the next poll asks again
            self._change_cursor = changes.cursor
        if not self.online:
            self.post_message(CameOnline())
        if cursor is not None and (changes.kinds or self._header_stale):
            self.post_message(DataChanged(changes.kinds))

    @on(DataChanged)
    def _data_changed(self, message: DataChanged) -> None:
        from mlm_tui.core.changes import ChangeKind

        stale, self._header_stale = self._header_stale, False
        if self.session is not None and (
                stale or message.kinds & {ChangeKind.ACCOUNT, ChangeKind.TEAM}):
            self.refresh_account()
        for screen in self.screen_stack:
            screen.post_message(DataChanged(message.kinds))

    # --- session ---------------------------------------------------------------------------
    @on(SignedIn)
    async def _signed_in(self, message: SignedIn) -> None:
        self.keep_session(message.session.token)
        interrupted, self._interrupted = self._interrupted, None
        from mlm_tui.screens.login import LoginScreen

        if (interrupted is not None and interrupted.member_id == message.session.member_id
                and isinstance(self.screen, LoginScreen) and len(self.screen_stack) > 2):
            # The same member again: back to the screens as they were left.
            self.session = message.session
            self.refresh_account()
            await self.pop_screen()
            return
        await self._enter(message.session)

    def _session_ended_in_worker(self, error: NotAuthenticated) -> None:
        self.post_message(self.SessionEnded(error))

    @on(SessionEnded)
    async def _session_ended(self) -> None:
        ended = self.session
        if ended is None:  # already asked to log in again (or never signed in)
            return
        if self.bound_session:
            self.exit(return_code=1, message=_(
                "The session has ended: the key it was opened with was removed, or the "
                "account is no longer active."))
            return
        self.session = None
        self.account = None
        self._interrupted = ended
        self.forget_session()
        from mlm_tui.screens.login import LoginScreen

        await self.push_screen(LoginScreen(
            ended.registration_number,
            notice=_("Your session has ended: the password was changed, or you logged out "
                     "elsewhere. Log in again to go on where you were."),
        ))

    @work(thread=True, exit_on_error=False, group="keeper")
    def forget_session(self) -> None:
        if self.keeper is not None:
            with contextlib.suppress(Exception):  # an unreadable keyring forgets nothing
                self.keeper.clear(self.location)

    async def _enter(self, session: Session) -> None:
        self.session = session
        if session.language is not None:
            # Her own choice, kept with her: it follows her to any computer she signs in on.
            await self.action_language(session.language)
        self.refresh_account()
        landing = load_screen_class(DESTINATIONS[0])
        await self._reset_stack(landing())

    @work(thread=True, exit_on_error=False, group="keeper")
    def keep_session(self, token: str) -> None:
        if self.keeper is not None:
            # Under the name the next start looks it up by: one who signs in before the
            # opened store reached the header is kept under it too.
            where = self.location or (self._backend.describe() if self._backend else "")
            self.keeper.save(where, token)

    @on(SignOutRequested)
    def _sign_out_requested(self) -> None:
        self.log_out()

    def action_logout(self) -> None:
        self.log_out()

    @work(thread=True, exclusive=True, exit_on_error=False, group="logout")
    def log_out(self) -> None:
        with contextlib.suppress(DomainError):  # the session ends here whatever it says
            self.backend.logout()
        if self.keeper is not None:
            self.keeper.clear(self.location)
        self.post_message(self.SignedOut())

    @on(SignedOut)
    async def _signed_out(self) -> None:
        if self.bound_session:
            self.exit()
            return
        self.session = None
        self.account = None
        self._interrupted = None
        await self._reset_stack()

    @on(AccountChanged)
    def _account_changed(self) -> None:
        # What this write changed shows on the other screens too, and in the header: one
        # poll, then one read of the account (``_data_changed``).
        self._header_stale = True
        self.check_for_changes()

    @work(thread=True, exclusive=True, exit_on_error=False, group="account")
    def refresh_account(self) -> None:
        try:
            summary = self.backend.account_summary()
        except Offline:
            self.post_message(WentOffline())
            return
        except DomainError:
            return
        self.post_message(self.AccountLoaded(summary))

    @on(AccountLoaded)
    def _account_loaded(self, message: AccountLoaded) -> None:
        self.account = message.summary
        if not getattr(self._backend, "reachable", True):
            self._went_offline()  # the figures kept from the last time it answered
            return
        self.online = True
        self.refresh_outbox_counts(send_queued=True)  # back online: what was queued goes now
        self._merge_offline_cart()  # and what was put in the cart meanwhile joins the server's

    # --- the outbox (orders checked out offline, mlm_tui.core.offline) ---------------------
    def _outbox_place(self) -> str:
        return self.settings.server_url or self.location

    def read_outbox_orders(self) -> list[Any]:
        """The member's outbox orders, oldest first, for a worker thread; none where
        nothing was ever queued."""
        session = self.session
        orders = self.with_own_outbox(
            lambda outbox: outbox.orders(session.member_id) if session else [])
        return orders or []

    def with_own_outbox(self, use: Callable[[Any], Answer]) -> Answer | None:
        """``use`` applied to an outbox opened for the call and closed after it, for a
        worker thread (the file is not read on the UI thread); None where nothing was ever
        queued."""
        from mlm_tui.core.offline.outbox import Outbox, offline_file

        path = offline_file(self.settings.data_dir, self._outbox_place())
        if not (self.settings.server_url or path.exists()):
            return None
        outbox = Outbox(path)
        try:
            return use(outbox)
        finally:
            outbox.close()

    @work(thread=True, exclusive=True, exit_on_error=False, group="outbox-counts")
    def refresh_outbox_counts(self, *, send_queued: bool = False) -> None:
        """Count the outbox's orders for the header, off the UI thread (it reads a file;
        every account refresh asks); with ``send_queued``, send them if any are queued."""
        from mlm_tui.core.offline.outbox import OutboxState

        session = self.session
        if session is None:
            return
        counts = self.with_own_outbox(lambda outbox: outbox.counts(session.member_id))
        if counts is None:
            return
        shown = (counts[OutboxState.QUEUED] + counts[OutboxState.SENDING],
                 counts[OutboxState.WAITING])
        self.call_from_thread(self._show_outbox_counts, shown, send_queued)

    def _show_outbox_counts(self, counts: tuple[int, int], send_queued: bool) -> None:
        self.outbox_counts = counts
        if send_queued and counts[0]:
            self._send_outbox()

    @work(thread=True, exclusive=True, exit_on_error=False, group="cart-merge")
    def _merge_offline_cart(self) -> None:
        """The lines added to the cart offline, added to the server's cart (once), said in
        one notice."""
        from mlm_tui.cart_merge import merge_notice

        merge = getattr(self._backend, "merge_offline_cart", None)
        if merge is None or self.session is None:
            return
        try:
            merged = merge()
        except DomainError:
            return  # the server went away again: merged when it is back
        notice = merge_notice(merged)
        if notice:
            self.call_from_thread(self.notify, notice, markup=False)
            self.post_message(AccountChanged())  # the cart shown reads the server's again

    def queue_offline(self, cart: Cart, checkout: Checkout) -> str:
        """Put the cart as shown in the outbox under the checkout's own key (from a worker
        thread): the queued number."""
        from mlm_tui.core.offline.outbox import Outbox, offline_file

        session = self.session
        assert session is not None
        outbox = Outbox(offline_file(self.settings.data_dir, self._outbox_place()))
        try:
            number = str(outbox.queue(session.member_id, cart, checkout, keep_key=True).number)
        finally:
            outbox.close()
        clear_kept = getattr(self._backend, "clear_kept_cart", None)
        if clear_kept is not None:
            clear_kept()  # queued: the cart kept here is not ordered twice
        return number

    def sync_outbox(self) -> Any:
        """Send what the outbox holds (from a worker thread): the sync's report."""
        from mlm_tui.core.offline.outbox import Outbox, offline_file
        from mlm_tui.core.offline.sync import sync

        session = self.session
        assert session is not None
        with self._sync_lock:
            outbox = Outbox(offline_file(self.settings.data_dir, self._outbox_place()))
            try:
                report = sync(outbox, self.backend, session.member_id)
            finally:
                outbox.close()
        if report.offline:
            self.post_message(WentOffline())
        self._empty_cart_ordered(report.sent)
        return report

    def _empty_cart_ordered(self, sent: list[Any]) -> None:
        """An order queued from this app's checkout left its lines in the server's cart
        (the request never got there): once it is placed, a cart holding just those
        lines is emptied, so they are not ordered twice."""
        if not sent:
            return
        cart = self.backend.cart()
        held = sorted((line.product.code, line.quantity) for line in cart.lines
                      if not line.is_gift)
        if held and any(held == sorted((line.code, line.quantity)
                                       for line in order.prepared.lines) for order in sent):
            self.backend.clear_cart()

    @work(thread=True, exclusive=True, exit_on_error=False, group="outbox")
    def _send_outbox(self) -> None:
        try:
            self.sync_outbox()
        except DomainError:
            return  # said on the outbox screen when opened; sent again next time
        self.call_from_thread(self.refresh_outbox_counts)

    async def action_outbox(self) -> None:
        from mlm_tui.screens.outbox import OutboxScreen

        if not isinstance(self.screen, OutboxScreen):
            await self.push_screen(OutboxScreen())

    @on(WentOffline)
    def _went_offline(self) -> None:
        self.online = False
        as_of = getattr(self._backend, "prices_as_of", None)
        if as_of is not None:
            self.prices_as_of = as_of()

    @on(CameOnline)
    def _came_online(self) -> None:
        self.online = True
        if self.session is not None:
            self.refresh_account()  # the real figures; and what was queued is sent

    # --- navigation ------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"go", "logout", "outbox"}:
            if self.session is None:
                return False
            if isinstance(self.screen, ModalScreen):
                return None  # shown, but not while a dialog is open
        # The footer has no room for the screen one is already on.
        return not (action == "go" and parameters
                    and _is_showing(self.screen, str(parameters[0])))

    async def action_go(self, destination_id: str) -> None:
        screen_class = load_screen_class(destination(destination_id))
        stack = self.screen_stack
        for depth, screen in enumerate(reversed(stack)):
            if type(screen) is screen_class:
                for _step in range(depth):  # go back to it rather than open it twice
                    await self.pop_screen()
                return
        await self.push_screen(screen_class())

    async def action_back(self) -> None:
        # The bottom is the login screen; the landing above it stays. A login screen over
        # the others (the session ended) is left only by logging in.
        from mlm_tui.screens.login import LoginScreen

        if isinstance(self.screen, LoginScreen):
            return
        if len(self.screen_stack) > 2 and not isinstance(self.screen, ModalScreen):
            await self.pop_screen()

    def action_help(self) -> None:
        from mlm_tui.screens.help import HelpScreen, bindings_of

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(bindings_of(self.screen)))

    # --- the interface language --------------------------------------------------------------
    async def action_language(self, language: str) -> None:
        """Show everything in ``language`` from now on, without starting again."""
        if install(language) == self.language:
            return
        self.language = install(language)
        await self._draw_again()

    async def action_choose_language(self, language: str) -> None:
        """The language she chose: the interface speaks it at once and, signed in, it is
        kept as hers, so what is sent to her (e-mail, SMS, an invoice) is written in it."""
        await self.action_language(language)
        if self.session is not None:
            self.keep_member_language(self.language)

    @work(thread=True, exit_on_error=False, group="member-language")
    def keep_member_language(self, language: str) -> None:
        try:
            self.backend.set_language(language)
        except DomainError as error:
            self.call_from_thread(self.notify, error.message, severity="error")

    async def _draw_again(self) -> None:
        """Every screen drawn anew in the language now in effect. The top-level screens
        open again in the same order; the login keeps what was typed as the login; one
        order, invoice or dialog over them closes (it is a key away)."""
        from mlm_tui.screens.first_run import FirstRunScreen
        from mlm_tui.screens.login import LoginScreen

        again: list[Callable[[], Screen[Any]]] = []
        for screen in self.screen_stack[1:]:
            place = next((d for d in DESTINATIONS if _is_showing(screen, d.id)), None)
            if place is not None:
                again.append(load_screen_class(place))
            elif isinstance(screen, FirstRunScreen):
                again.append(FirstRunScreen)
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        if isinstance(self.screen, LoginScreen):
            await self.screen.draw_again()
        for make in again:
            await self.push_screen(make())

    async def _reset_stack(self, screen: Screen[Any] | None = None) -> None:
        """Back to the login screen at the bottom, with ``screen`` the only one above it;
        without ``screen``, the login screen itself, started over (nothing typed)."""
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        if screen is not None:
            await self.push_screen(screen)
            return
        from mlm_tui.screens.login import LoginScreen

        if isinstance(self.screen, LoginScreen):
            await self.screen.ask()
            self.screen.start_over()

    def on_unmount(self) -> None:
        if self._backend is not None:
            self._backend.close()


# Signing in and out answer NotAuthenticated for a wrong password, not for an ended session.
_SIGNING_IN = frozenset({"login", "resume", "logout", "activate_member",
                         "request_password_reset", "confirm_password_reset"})


class _SessionWatch:
    """The backend as screens use it: a call refused for want of a session tells the
    app (``ended``, from the worker's thread) before the error goes back to the caller."""

    def __init__(self, backend: Backend, ended: Callable[[NotAuthenticated], None]) -> None:
        self._backend = backend
        self._ended = ended

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._backend, name)
        if name in _SIGNING_IN or name.startswith("_") or not callable(attribute):
            return attribute

        @functools.wraps(attribute)
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return attribute(*args, **kwargs)
            except NotAuthenticated as error:
                self._ended(error)
                raise

        return call


def _watch_session(backend: Backend, ended: Callable[[NotAuthenticated], None]) -> Backend:
    return cast("Backend", _SessionWatch(backend, ended))


def run_app(settings: Settings, *, demo: bool = False,
            signed_in: Callable[[], Backend] | None = None,
            keymap: dict[str, str] | None = None,
            last: Callable[[], None] | None = None) -> int:
    """Run the TUI on ``settings`` (the CLI's entry point). ``demo`` builds the demo store
    when it is missing and shows the demo login. ``signed_in`` opens a backend signed in
    already (over SSH, by the connection's key): its session is never kept. ``keymap``:
    ``[keys]`` of the settings, checked (``mlm_tui.keymap.keymap_of``). Once the
    terminal has gone the process is ended, after ``last``
    (``mlm_tui.terminal.ended_when_input_closes``)."""
    from mlm_tui.colours import terminal_colours
    from mlm_tui.glyphs import terminal_is_utf8
    from mlm_tui.i18n import choose_language
    from mlm_tui.terminal import over_ssh
    from mlm_tui.terminal_erase import terminal_erase

    def open_backend() -> Backend:
        from mlm_tui.core.backends import open_backend as open_configured

        backend = open_configured(settings)
        if settings.server_url:
            from mlm_tui.core.offline.fallback import OfflineFallback

            # Working on when the server cannot be reached, from what was kept of it.
            return cast("Backend", OfflineFallback(backend, settings.data_dir,
                                                   settings.server_url))
        return backend

    def build_demo(progress: Callable[..., None]) -> Any:
        from mlm_tui.core.demo import build_demo as build

        return build(settings.store_path, progress=progress, modes=settings.file_modes)

    app = MlmApp(
        signed_in or open_backend,
        settings=settings,
        keeper=None if signed_in else _session_keeper(settings),
        bound_session=signed_in is not None,
        demo_login=_known_demo_login() if demo else None,
        demo_builder=None if settings.server_url or signed_in else build_demo,
        build_demo_at_once=demo,
        keymap=keymap,
        error_log=settings.state_dir / "errors.log",
        language=choose_language(settings.language),
        colours=terminal_colours(),
        ascii_only=not terminal_is_utf8(),
        blink=not over_ssh(),
        erase=terminal_erase(),
    )
    import sys

    from mlm_tui.terminal import ended_when_input_closes

    input_fd: int | None = None
    with contextlib.suppress(OSError, ValueError):  # io.UnsupportedOperation: no real stdin
        input_fd = sys.stdin.fileno()
    with ended_when_input_closes(app, input_fd, last=last):
        app.run()
    return app.return_code or 0


def _session_keeper(settings: Settings) -> Any:
    return _KeeperOnFirstUse(settings.state_dir)


class _KeeperOnFirstUse:
    """The session keeper, made when first asked (from a worker, once the store opens):
    what it imports stays off the path to the first frame."""

    def __init__(self, state_dir: Any) -> None:
        self._state_dir = state_dir
        self._keeper: Any = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        with self._lock:
            if self._keeper is None:
                from mlm_tui.core.session_keeper import SessionKeeper

                self._keeper = SessionKeeper(self._state_dir)
        return getattr(self._keeper, name)


def _known_demo_login() -> Any:
    """The demo login of an existing demo store (the demo data is deterministic)."""
    from mlm_tui.core.demo import DEMO_LOGIN

    return DEMO_LOGIN
