"""Domain exceptions: the only errors that cross the Backend seam.

A screen shows each one once, next to the field it names. Raw ``sqlite3``,
SQLAlchemy or ``httpx`` errors are translated at the boundary that meets them.

The core does not translate: it raises an error with its English template, marked with
``N_`` for the catalogue, and the ``params`` that fill it. ``message`` is rendered when
read, by the renderer the client installed (``mlm_tui.i18n`` installs one that
translates into the reader's language); without one, the English text.

A day in ``params`` is a ``date`` and an amount a ``Money``, never text: the reader's
renderer writes them as the reader writes days and amounts (``20.11.2026``,
``Nov 20, 2026``; ``1.234,50 ₽``); points are ``Points`` (``12,5 BB``). On the wire a day
travels as ISO text, an amount as ``"1234.50 RUB"`` and points as ``"12.5 BB"``; ``days``,
``amounts`` and ``points`` name those params, so the client gets a ``date``, a ``Money``
and ``Points`` back. An order's status is an ``OrderStatus`` (its code on the wire, named
in ``statuses``): the reader shows its word.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

Params = Mapping[str, object]


def N_(template: str) -> str:
    """Mark a template for the catalogue; it is translated where it is shown."""
    return template


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a template with a plural for the catalogue; ``params["n"]`` chooses the form."""
    return singular, plural


Template = str | tuple[str, str]


def _in_english(template: Template, params: Params) -> str:
    if isinstance(template, tuple):
        count = params.get("n", 1)
        template = template[0] if count == 1 else template[1]
    if not params:
        return template
    return template.format_map({key: _plain(value) for key, value in params.items()})


_render: Callable[[Template, Params], str] = _in_english


def render_messages_with(render: Callable[[Template, Params], str]) -> None:
    """How ``message`` turns a template and its params into text (the client's language)."""
    global _render
    _render = render


def _plain(value: object) -> object:
    """A param as it travels as JSON: numbers and text as they are, anything else as text
    (a day as ISO text: ``2026-11-20``)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if _is_money(value):
        return f"{value.amount} {value.currency}"  # type: ignore[attr-defined]
    if _is_points(value):
        # Without trailing zeros, never in exponent form: 12.5, 100.
        return f"{value.value.normalize():f} {value.label}"  # type: ignore[attr-defined]
    return str(value)


def _is_money(value: object) -> bool:
    from mlm_tui.core.money import Money

    return isinstance(value, Money)


def _is_order_status(value: object) -> bool:
    from mlm_tui.core.models import OrderStatus

    return isinstance(value, OrderStatus)


def _is_points(value: object) -> bool:
    from mlm_tui.core.money import Points

    return isinstance(value, Points)


class DomainError(Exception):
    """Base of every error the Backend raises on purpose."""

    code = "error"

    def __init__(self, message: Template, *, field: str | None = None,
                 params: Params | None = None) -> None:
        super().__init__(message)
        self.template: Template = message
        self.params: dict[str, object] = dict(params or {})
        self.field = field

    @property
    def message(self) -> str:
        """The text for whoever reads it now, in their language."""
        return _render(self.template, self.params)

    @property
    def english(self) -> str:
        """The text in the source language, whatever the reader's."""
        return _in_english(self.template, self.params)

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, object]:
        """The error as plain data (the wire form): its code, field, the English message,
        and the template with its parameters, which a client renders in its own language.
        ``from_dict`` reads it back; nothing else writes or reads an error's wire form."""
        wire: dict[str, object] = {
            "code": self.code, "message": self.english, "field": self.field,
            "template": self.template,
            "params": {key: _plain(value) for key, value in self.params.items()}}
        days = sorted(key for key, value in self.params.items() if isinstance(value, date))
        if days:
            wire["days"] = days
        amounts = sorted(key for key, value in self.params.items() if _is_money(value))
        if amounts:
            wire["amounts"] = amounts
        points = sorted(key for key, value in self.params.items() if _is_points(value))
        if points:
            wire["points"] = points
        statuses = sorted(key for key, value in self.params.items()
                          if _is_order_status(value))
        if statuses:
            wire["statuses"] = statuses
        return wire

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> DomainError:
        return cls(_wire_template(data), field=data.get("field"), params=_wire_params(data))


def _wire_params(data: dict[str, Any]) -> dict[str, object]:
    """The params as they were raised: the days named in ``days`` as dates again, the
    amounts named in ``amounts`` as Money."""
    params = dict(data.get("params") or {})
    for key in data.get("days") or ():
        with contextlib.suppress(KeyError, ValueError):  # not a day after all: as it came
            params[key] = date.fromisoformat(str(params[key]))
    if data.get("amounts"):
        from decimal import Decimal, InvalidOperation

        from mlm_tui.core.money import Money

        for key in data["amounts"]:
            with contextlib.suppress(KeyError, ValueError, InvalidOperation):
                amount, currency = str(params[key]).split(" ")
                params[key] = Money(Decimal(amount), currency)
    if data.get("points"):
        from decimal import Decimal, InvalidOperation

        from mlm_tui.core.money import Points

        for key in data["points"]:
            with contextlib.suppress(KeyError, ValueError, InvalidOperation):
                value, label = str(params[key]).split(" ", 1)
                params[key] = Points(Decimal(value), label)
    if data.get("statuses"):
        from mlm_tui.core.models import OrderStatus

        for key in data["statuses"]:
            with contextlib.suppress(KeyError, ValueError):
                params[key] = OrderStatus(str(params[key]))
    return params


def _wire_template(data: dict[str, Any]) -> Template:
    """The template as it came over the wire (JSON makes a plural's pair a list); the
    English message where a sender sent none."""
    template = data.get("template")
    if isinstance(template, list) and len(template) == 2:
        return str(template[0]), str(template[1])
    if isinstance(template, str):
        return template
    return str(data.get("message") or "")


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

    def __init__(self, message: Template, *, retry_at: datetime, field: str | None = None,
                 params: Params | None = None) -> None:
        super().__init__(message, field=field, params=params)
        self.retry_at = retry_at

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "retry_at": self.retry_at.isoformat()}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> DomainError:
        return cls(_wire_template(data), field=data.get("field"), params=_wire_params(data),
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
        first = errors[0]
        super().__init__(first.template, field=first.field, params=first.params)
        self.errors = list(errors)

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "errors": [error.to_dict() for error in self.errors]}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> DomainError:
        errors = [from_dict(each) for each in data.get("errors") or ()]
        return cls([e for e in errors if isinstance(e, ValidationError)] or [
            ValidationError(_wire_template(data), field=data.get("field"),
                            params=_wire_params(data))])


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


class TotalsChanged(Conflict):
    """A prepared order would cost something else now than the consultant saw (a price,
    its points, a promotion that ended): it is not placed until she decides."""

    code = "totals_changed"


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
        error = DomainError(_wire_template(data), field=data.get("field"),
                            params=_wire_params(data))
        error.code = code
        return error
    return kind._from_fields(data)
