"""Screen tests: no blinking cursors, so a snapshot never catches one half-way.

Async tests run on anyio's pytest plugin (anyio comes with httpx): a module of async
tests says ``pytestmark = pytest.mark.anyio``.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # Textual runs on asyncio

