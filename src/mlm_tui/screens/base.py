"""What every screen of the app stands on: the app itself, typed.

A screen runs only inside :class:`~mlm_tui.app.MlmApp`. Saying so once here lets a screen
ask the app for its backend, company, clock or session by name, checked, instead of each
screen guessing at ``self.app`` on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import ModalScreen, Screen

from mlm_tui.app import MlmApp

if TYPE_CHECKING:
    from mlm_tui.core.backend import Backend

ResultType = TypeVar("ResultType")


class AppScreen(Screen[ResultType]):
    """A screen of the back office."""

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


# ModalScreen comes first: Textual takes a screen's CSS from its first base class.
class AppModalScreen(ModalScreen[ResultType], AppScreen[ResultType]):
    """A dialog of the back office."""
