"""Domain exceptions: the only errors that cross the Backend seam.

A screen shows each one once, next to the field it names. Raw ``sqlite3``,
SQLAlchemy or ``httpx`` errors are translated at the boundary that meets them.
"""

from __future__ import annotations

from datetime import datetime


class DomainError(Exception):
    """Base of every error the Backend raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "field": self.field}


class NotAuthenticated(DomainError):
    """No session, an expired one, or wrong credentials."""

    code = "not_authenticated"


class InvalidCredentials(NotAuthenticated):
    code = "invalid_credentials"


class AccountClosed(NotAuthenticated):
    code = "account_closed"


class AccountNotActivated(NotAuthenticated):
    code = "account_not_activated"


class Throttled(DomainError):
    """Too many failed attempts; try again after ``retry_at``."""

    code = "throttled"

    def __init__(self, message: str, *, retry_at: datetime, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_at = retry_at

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "retry_at": self.retry_at.isoformat()}


class NotFound(DomainError):
    """The thing does not exist, or this member may not see it (the same answer on purpose)."""

    code = "not_found"


class ValidationError(DomainError):
    """Bad input. ``field`` names the input that failed."""

    code = "validation"


class ValidationErrors(ValidationError):
    """Several fields of one form are wrong at once: each error names its own field.

    The first error is also this error's message and field, so code that shows a single
    error still shows a true one; a form shows every one of ``errors`` at its field.
    """

    code = "validation_errors"

    def __init__(self, errors: list[ValidationError]) -> None:
        if not errors:
            raise ValueError("ValidationErrors needs at least one error")
        super().__init__(errors[0].message, field=errors[0].field)
        self.errors = list(errors)

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "errors": [error.to_dict() for error in self.errors]}


class Conflict(DomainError):
    """The request clashes with the store: a duplicate, a lifecycle rule, a changed price."""

    code = "conflict"


class InsufficientBalance(Conflict):
    code = "insufficient_balance"


class InsufficientPoints(Conflict):
    """The lines to pay with points cost more than the points wallet holds."""

    code = "insufficient_points"


class Unavailable(Conflict):
    """A product cannot be ordered (sold out, not in this period, ordering closed)."""

    code = "unavailable"


class Offline(DomainError):
    """The server cannot be reached; the operation may be queued."""

    code = "offline"


class DeliveryFailed(DomainError):
    """An e-mail or SMS could not be delivered; nothing was sent."""

    code = "delivery_failed"
