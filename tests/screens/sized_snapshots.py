"""A screen state snapshotted at 80x24 (SSH) and at 120x40 from one run of the app.

    def test_help(snap_sizes, tmp_path):
        assert snap_sizes(make_app(tmp_path), lambda pilot: keys(pilot, "f1")) == []

The app starts at 80x24, the steps run, the picture is taken; the terminal is then
resized to 120x40 and the second picture taken: one start and one walk to the state
instead of two. Each picture is kept under the name the test had when the size was one
of its parameters (``test_x[80x24]``, ``test_x[state-120x40]``). The returned list names
the sizes whose picture changed.

A state that depends on when it was reached (a countdown) is taken from a start at each
size instead: ``snap_sizes(app_at_each_size, steps, each_from_the_start=True)`` with a
function that makes a fresh app.
"""

from __future__ import annotations

import inspect
import pickle
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from pytest_textual_snapshot import PseudoApp, PseudoConsole, SVGImageExtension, node_to_report_path
from rich.console import Console
from syrupy.location import PyTestLocation
from syrupy.types import SnapshotIndex
from textual.app import App
from textual.pilot import Pilot

from tests.screens.snapshot_app import settle

SIZES: dict[str, tuple[int, int]] = {"80x24": (80, 24), "120x40": (120, 40)}
Steps = Callable[[Pilot[Any]], Awaitable[None]]


class SizedSVG(SVGImageExtension):
    """An SVG snapshot named by its size as the last of the test's parameters."""

    @classmethod
    def get_snapshot_name(cls, *, test_location: PyTestLocation,
                          index: SnapshotIndex = 0) -> str:
        name = test_location.snapshot_name
        if not isinstance(index, str):
            return super().get_snapshot_name(test_location=test_location, index=index)
        return f"{name[:-1]}-{index}]" if name.endswith("]") else f"{name}[{index}]"


async def _picture(pilot: Pilot[Any]) -> str:
    """The terminal once everything started has settled, waited for as Textual's own
    snapshots wait (animations included)."""
    await settle(pilot)
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    return pilot.app.export_screenshot(title=pilot.app.title, simplify=True)


def pictures(app: App[Any], steps: Steps | None = None,
             sizes: tuple[str, ...] = tuple(SIZES)) -> dict[str, str]:
    """Run ``app`` headless at the first of ``sizes``, take ``steps``, and picture the
    terminal at each size in turn."""
    shots: dict[str, str] = {}

    async def walk(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        if steps is not None:
            await steps(pilot)
        for size in sizes:
            if shots:
                await pilot.resize_terminal(*SIZES[size])
            shots[size] = await _picture(pilot)
        pilot.app.exit()

    app.run(headless=True, auto_pilot=walk, size=SIZES[sizes[0]])
    # An app that ended before its pictures were taken fails here, not by comparing nothing.
    assert list(shots) == list(sizes), f"the app ended with {list(shots)} of {sizes} pictured"
    return shots


@pytest.fixture
def snap_sizes(snapshot: Any, request: pytest.FixtureRequest) -> Callable[..., list[str]]:
    """Compare the state at both sizes with its kept pictures; returns the sizes whose
    picture differs (``--snapshot-update`` keeps the new ones). A difference is in
    pytest-textual-snapshot's report, as any snapshot's."""
    kept = snapshot.use_extension(SizedSVG)

    def compare(app: App[Any] | Callable[[], App[Any]], steps: Steps | None = None, *,
                each_from_the_start: bool = False) -> list[str]:
        if each_from_the_start:
            assert callable(app) and not isinstance(app, App)
            shots = {size: pictures(app(), steps, (size,))[size] for size in SIZES}
        else:
            assert isinstance(app, App)
            shots = pictures(app, steps)
        changed = []
        for size, svg in shots.items():
            matches = kept(name=size) == svg
            _report(request.node, size, matches, kept.executions[kept.num_executions - 1]
                    .recalled_data, svg)
            if not matches:
                changed.append(size)
        return changed

    return compare


def _report(node: pytest.Item, size: str, matches: bool, kept: str | None, svg: str) -> None:
    """What pytest-textual-snapshot's HTML report shows of this picture. The report shows
    the pictures of a difference only (a match is counted): a match is kept without them,
    so that hundreds of pictures are not written and read back at the end of each run."""
    console = Console(legacy_windows=False, force_terminal=True)
    full_path, line_number, name = node.reportinfo()
    if matches:
        kept, svg = "", ""
    data = (matches, kept or "", svg, PseudoApp(PseudoConsole(False, console.size)),
            full_path, line_number, f"{name} at {size}",
            inspect.getdoc(getattr(node, "function", None)) or "", "", kept is not None)
    path = node_to_report_path(node)
    path.with_name(f"{path.name}_{size}").write_bytes(pickle.dumps(data))
