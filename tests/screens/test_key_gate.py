"""A widget that never finishes what it is doing does not stall the keyboard."""

from __future__ import annotations

import asyncio
import time

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Input, Static

from mlm_tui.dispatch import hook_dispatch
from mlm_tui.key_gate import GIVE_UP_SECONDS, KeyGate

pytestmark = pytest.mark.anyio


class Hanging(Static):
    class Hang(Message):
        pass

    def __init__(self) -> None:
        super().__init__()
        self.let_go = asyncio.Event()

    async def on_hanging_hang(self) -> None:
        await self.let_go.wait()  # set only when the test ends


class GatedApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.key_gate = KeyGate(self, self._route_input)
        hook_dispatch()

    def compose(self) -> ComposeResult:
        yield Input(id="field")
        yield Hanging()

    async def on_event(self, event: events.Event) -> None:
        if not self.key_gate.holds(event):
            await super().on_event(event)

    async def _route_input(self, event: events.Key | events.Paste) -> None:
        await super().on_event(event)


async def test_keys_in_a_burst_arrive_although_a_widget_hangs() -> None:
    app = GatedApp()
    async with app.run_test() as pilot:
        hanging = app.query_one(Hanging)
        hanging.post_message(Hanging.Hang())
        await asyncio.sleep(0.05)
        sent = time.monotonic()
        for key in "abc":  # one burst, as the terminal driver delivers it
            event = events.Key(key, key)
            event.set_sender(app)
            app.post_message(event)
        field = app.query_one("#field", Input)
        while field.value != "abc" and time.monotonic() - sent < 5:
            await asyncio.sleep(0.05)
        typed, waited = field.value, time.monotonic() - sent
        hanging.let_go.set()
        await pilot.pause()
        assert typed == "abc"
        assert waited < 4 * GIVE_UP_SECONDS
