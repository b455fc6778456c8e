"""Domain exceptions: the only errors that cross the Backend seam.

A screen shows each one once, next to the field it names. Raw ``sqlite3``,
SQLAlchemy or ``httpx`` errors are translated at the boundary that meets them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


class DomainError(Exception):
    """Base of every error the Backend raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def to_dict(self) -> dict[str, object]:
        """The error as plain data (the wire form): its code, message, field and parameters.
        ``from_dict`` reads it back; nothing else writes or reads an error's wire form."""
        return {"code": self.code, "message": self.message, "field": self.field}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> DomainError:
        return cls(str(data.get("message") or ""), field=data.get("field"))


class NotAuthenticated(DomainError):
    """No session, an expired one, or wrong credentials."""

    code = "not_authenticated"


class SessionEnded(NotAuthenticated):
    """The session this client holds was ended elsewhere (a password reset, a logout from
    another place) or ran out: log in again."""

    code = "session_ended"


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

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> DomainError:
        return cls(str(data.get("message") or ""), field=data.get("field"),
                   retry_at=datetime.fromisoformat(str(data["retry_at"])))


class NotFound(DomainError):
    """The thing does not exist, or this member may not see it (the same answer on purpose)."""

    code = "not_found"


class Forbidden(DomainError):
    """The member may see the thing but not do this to it (cancel an order of the team)."""

    code = "forbidden"


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

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> DomainError:
        errors = [from_dict(each) for each in data.get("errors") or ()]
        return cls([e for e in errors if isinstance(e, ValidationError)] or [
            ValidationError(str(data.get("message") or ""), field=data.get("field"))])


class UnprintableText(ValidationError):
    """Free text holding a control character (an escape sequence, a NUL, a lone surrogate):
    refused, so that nothing stored can act on a terminal, a document or a spreadsheet."""

    code = "unprintable_text"


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


class IdempotencyKeyReused(ValidationError):
    """An Idempotency-Key sent again with another request: a key names one request only."""

    code = "idempotency_key_reused"


class IdempotencyKeyInUse(Conflict):
    """The first request with this Idempotency-Key is still being answered."""

    code = "idempotency_key_in_use"


class Offline(DomainError):
    """The server cannot be reached; the operation may be queued."""

    code = "offline"


class DeliveryFailed(DomainError):
    """An e-mail or SMS could not be delivered; nothing was sent."""

    code = "delivery_failed"


def _by_code(root: type[DomainError]) -> dict[str, type[DomainError]]:
    # Every subclass, wherever it is defined (the store's and the settings' errors too), as
    # long as its module is imported: what is not known here reads back as a DomainError
    # that keeps the code.
    found: dict[str, type[DomainError]] = {root.code: root}
    for sub in root.__subclasses__():
        found.update(_by_code(sub))
    return found


def error_classes() -> dict[str, type[DomainError]]:
    """Every domain error class by its code."""
    return _by_code(DomainError)


def to_dict(error: DomainError) -> dict[str, object]:
    """An error's wire form (see :meth:`DomainError.to_dict`)."""
    return error.to_dict()


def from_dict(data: dict[str, Any]) -> DomainError:
    """The error ``to_dict`` wrote, as the same class with the same attributes. A code this
    version does not know becomes a plain ``DomainError`` carrying that code."""
    code = str(data.get("code") or DomainError.code)
    kind = error_classes().get(code)
    if kind is None:
        error = DomainError(str(data.get("message") or ""), field=data.get("field"))
        error.code = code
        return error
    return kind._from_fields(data)
