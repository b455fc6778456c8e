"""The wire codec: JSON to and from the core's dataclasses, generated, not written.

One pydantic ``TypeAdapter`` per type, made from the dataclasses of
:mod:`mlm_tui.core.models` themselves: a field added there travels at once. Decimals
(money, points) travel as strings, so nothing passes through a float: money is
``{"amount": "123.45", "currency": "RUB"}``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter


@cache
def adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


def dump(annotation: Any, value: Any) -> bytes:
    """``value`` as JSON bytes."""
    return adapter(annotation).dump_json(value)


def to_plain(annotation: Any, value: Any) -> Any:
    """``value`` as JSON-ready data (dicts, lists, strings, numbers)."""
    # A plain value goes as it is, even of another type than the annotation's (a caller's
    # mistake: True or "2" for a quantity), for the server to refuse with the field named
    # rather than be read here as 1 or 2.
    if value is None or isinstance(value, (str, int, float)):
        return value
    return adapter(annotation).dump_python(value, mode="json", warnings=False)


def load(annotation: Any, data: bytes | str) -> Any:
    """JSON bytes back into ``annotation`` (dataclasses, enums, Money, Decimals)."""
    return adapter(annotation).validate_json(data)


def from_plain(annotation: Any, data: Any) -> Any:
    """Data as ``to_plain`` gives it (or as a JSON parser gave it) back into ``annotation``."""
    return adapter(annotation).validate_python(data)
