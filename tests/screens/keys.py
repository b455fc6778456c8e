"""The one way screen tests press keys and enter text.

    await keys(pilot, typed("1000001"), "enter", typed(world.PASSWORD), "enter")

A plain string is one key ("enter", "ctrl+s", "a"). ``typed(text)`` enters text into the
focused field in one step, as a terminal delivers a paste: one event instead of one key
press (and one idle wait) per character. Type key by key, with ``*"text"``, only where
each key matters: typeahead, quick-order rows, bursts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import events
from textual.pilot import Pilot

from tests.screens.snapshot_app import settle


@dataclass(frozen=True)
class Typed:
    text: str


def typed(text: str) -> Typed:
    return Typed(text)


async def keys(pilot: Pilot[Any], *pressed: str | Typed) -> None:
    """Press the keys and enter the texts in order, as a person does: each one after what
    the one before started (a search, a screen opening) is done, so a busy machine
    cannot send a key to the wrong place. Bursts are tested apart, on purpose.
    """
    await settle(pilot)
    for step in pressed:
        if isinstance(step, Typed):
            pilot.app.post_message(events.Paste(step.text))
        else:
            await pilot.press(step)
        await settle(pilot)
