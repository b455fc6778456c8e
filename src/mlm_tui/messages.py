"""Messages more than one screen sends to the app.

Screens post these and the app decides what changes (the session, the header, the
screen stack): widgets never reach for the app to change other widgets. Messages that
only one widget or screen uses are nested in that class instead.

``Failed`` and ``Refused`` carry a backend error from a worker back to the screen (or
widget) that started it; each handles its own, and the app ignores them as they bubble.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from mlm_tui.core.changes import ChangeKind
    from mlm_tui.core.errors import DomainError
    from mlm_tui.core.models import Session


@dataclass
class SignedIn(Message):
    """A member logged in (or activated an account): keep the session, open the landing."""

    session: Session


class SignOutRequested(Message):
    """Log out, forget the kept session and return to the login screen."""


class AccountChanged(Message):
    """Balance or points may have changed (an order was placed): refresh the header."""


class StoreRebuilt(Message):
    """The store was filled (demo data built): open it again and show the login."""

    def __init__(self, demo_login: object | None = None) -> None:
        super().__init__()
        self.demo_login = demo_login


class WentOffline(Message):
    """A backend call failed with ``Offline``: the header says so until a call succeeds."""


class CameOnline(Message):
    """A backend call succeeded after being offline."""


class Failed(Message):
    """Reading or doing something failed: the screen says so where the result would be.

    ``about`` tells apart a screen's requests whose errors it shows in different places
    (say, which step of the password reset asked).
    """

    def __init__(self, error: DomainError, *, about: str = "") -> None:
        super().__init__()
        self.error, self.about = error, about


class Refused(Message):
    """The backend refused what the member typed or asked for: the screen shows why at the
    field the error names, and keeps what was typed. ``about`` as for ``Failed``."""

    def __init__(self, error: DomainError, *, about: str = "") -> None:
        super().__init__()
        self.error, self.about = error, about
class LookForChanges(Message):
    """Ask the backend now what changed, rather than at the next poll (a screen came back
    from one that may have written, such as a password reset)."""


class DataChanged(Message, bubble=False):
    """Data of these kinds was written (here or anywhere else): what shows it reloads.

    The app sends it to every screen of the stack, and it stops there (``bubble`` off): a
    screen reloads what it shows, keeping the cursor, the scroll and what is typed.
    """

    def __init__(self, kinds: frozenset[ChangeKind]) -> None:
        super().__init__()
        self.kinds = kinds
