"""What every screen of the app stands on: the app itself, typed.

A screen runs only inside :class:`~mlm_tui.app.MlmApp`. Saying so once here lets a screen
ask the app for its backend, company, clock or session by name, checked, instead of each
screen guessing at ``self.app`` on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import events, on
from textual.binding import Binding
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.worker import Worker

from mlm_tui.app import MlmApp
from mlm_tui.core.changes import ChangeKind
from mlm_tui.core.errors import DomainError
from mlm_tui.i18n import N_
from mlm_tui.messages import DataChanged, Failed, Refused

if TYPE_CHECKING:
    from mlm_tui.core.backend import Backend
    from mlm_tui.core.models import CompanyProfile

ResultType = TypeVar("ResultType")
Answer = TypeVar("Answer")


def back_binding(keymap_id: str, *, show: bool = True) -> Binding:
    """Escape: back to the screen under this one (``AppScreen.action_back``)."""
    return Binding("escape", "back", N_("Back"), show=show, id=keymap_id)


class AppScreen(Screen[ResultType]):
    """A screen of the back office.

    A screen that shows data names its kinds in ``SHOWS`` and reads them again in
    ``reload_changed`` when any of them changed, here or in another app: at once when it
    is the screen in front, else when it comes back to the front.
    """

    SHOWS: ClassVar[frozenset[ChangeKind]] = frozenset()
    _changed_behind = False  # a change came while another screen was in front
    _own_write_shown: frozenset[ChangeKind] = frozenset()

    def reload_changed(self) -> None:
        """Read again what changed, keeping the cursor, the scroll and what is typed."""

    def shown_own_write(self, *kinds: ChangeKind) -> None:
        """This screen shows what its own write gave back: when the change it made comes
        back with the next poll, it need not be read again (one request per action)."""
        self._own_write_shown |= frozenset(kinds)

    def own_write_refused(self, *kinds: ChangeKind) -> None:
        """The write ``shown_own_write`` announced changed nothing: a change of these kinds
        coming next was made elsewhere, and is read."""
        self._own_write_shown -= frozenset(kinds)

    @on(DataChanged)
    def _show_changes(self, message: DataChanged) -> None:
        own = self._own_write_shown & message.kinds
        self._own_write_shown -= own
        if not (message.kinds - own) & self.SHOWS:
            return
        if self.is_current:
            self.reload_changed()
        else:
            self._changed_behind = True

    _styled_as_mounted = True  # until it has been shown once

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual styles every widget as it mounts, then styles the whole screen again
        # when a newly pushed screen comes to the front: the same work twice for every
        # screen opened. The first time, the styles it was mounted with stand (focus
        # changes restyle the widgets they touch); after that, as Textual does.
        if self._styled_as_mounted:
            self._styled_as_mounted = False
            event.refresh_styles = False

    @on(events.ScreenResume)
    def _catch_up(self) -> None:
        if self._changed_behind:
            self._changed_behind = False
            self.reload_changed()

    async def action_back(self) -> None:
        """Back to the screen under this one (a screen that binds escape to "back")."""
        self.dismiss()

    @property
    def mlm_app(self) -> MlmApp:
        app = self.app
        if not isinstance(app, MlmApp):
            raise TypeError(f"{type(self).__name__} runs inside MlmApp, not {type(app).__name__}")
        return app

    @property
    def backend(self) -> Backend:
        """The app's backend. From workers only: it waits for the store to open."""
        return self.mlm_app.backend

    def company_profile(self) -> CompanyProfile:
        """The company profile, from workers. The app read it when the store opened, so a
        screen that opens asks the backend for its own data only; the backend is asked
        only if the app has none yet."""
        company = self.mlm_app.company
        return company if company is not None else self.backend.company()

    def in_background(self, ask: Callable[[], Message], *, group: str,
                      refused: bool = False) -> Worker[None]:
        """Ask the backend in a thread worker, never on the UI thread.

        ``ask`` makes the backend calls and returns the message that carries the answer;
        the screen gets that message, or ``Failed`` (``Refused`` with ``refused``: what
        was typed is wrong) carrying the domain error. A newer request of the same
        ``group`` replaces one still running.
        """
        def run() -> None:
            try:
                answer = ask()
            except DomainError as error:
                self.post_message(Refused(error) if refused else Failed(error))
                return
            self.post_message(answer)

        return self.run_worker(run, thread=True, exclusive=True, exit_on_error=False,
                               group=group)

    def read_with_company(self, read: Callable[[], Answer],
                          loaded: Callable[[Answer, CompanyProfile], Message], *,
                          group: str) -> Worker[None]:
        """``in_background`` for a screen that shows one answer with the company's money
        and dates: the screen gets ``loaded(read(), company)``."""
        def ask() -> Message:
            company = self.company_profile()
            return loaded(read(), company)

        return self.in_background(ask, group=group)


# ModalScreen comes first: Textual takes a screen's CSS from its first base class.
class AppModalScreen(ModalScreen[ResultType], AppScreen[ResultType]):
    """A dialog of the back office."""
