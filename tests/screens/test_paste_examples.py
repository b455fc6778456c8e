"""The paste dialog's examples work as written on the demo store."""

from __future__ import annotations

import re
import shutil

import pytest

from mlm_tui.core.demo import DEMO_LOGIN
from mlm_tui.screens.paste_list import PasteListScreen
from tests.screens.keys import keys, typed
from tests.screens.snapshot_app import make_app, open_screen, screen_text

pytestmark = pytest.mark.anyio


def as_demo_consultant(backend):
    backend.login(DEMO_LOGIN.registration_number, DEMO_LOGIN.password)
    return backend


async def test_the_examples_of_the_paste_dialog_are_taken_on_the_demo_store(
        tmp_path, demo_template):
    (tmp_path / "data").mkdir()
    shutil.copyfile(demo_template, tmp_path / "data" / "store.db")
    app = make_app(tmp_path, login=False, wrap=as_demo_consultant)
    async with app.run_test(size=(80, 24)) as pilot:
        await keys(pilot)
        await open_screen(pilot, "quick_order")
        await keys(pilot, "ctrl+l")
        assert isinstance(app.screen, PasteListScreen)
        examples = re.findall(r"“([^”]+)”", screen_text(app))
        assert len(examples) >= 2
        await keys(pilot, typed("\n".join(examples)), "ctrl+s")
        rows = [(row.code, row.state.value) for row in app.screen.rows if row.code]
        assert [code for code, _ in rows] == [example.split()[0] for example in examples]
        assert {state for _, state in rows} == {"ready"}
