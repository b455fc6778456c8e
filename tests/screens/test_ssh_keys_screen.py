"""The SSH keys screen: paste a key, see it listed by fingerprint, remove it; a private key
or another format is refused at the field with what was pasted kept.

Snapshots at 80x24 (SSH) and 120x40; update with ``--snapshot-update`` and look at every
changed SVG before keeping it.
"""

from __future__ import annotations

import pytest

from mlm_tui.screens.ssh_keys import SshKeysScreen
from tests.screens.keys import keys, typed
from tests.screens.snapshot_app import make_app, open_screen, screen_text, settle
from tests.screens.test_snapshots import SIZES, shoot
from tests.ssh_keys import ANNA_FINGERPRINT, ANNA_KEY, PRIVATE_KEY_START, RSA_KEY

pytestmark = pytest.mark.anyio


async def test_a_member_adds_and_removes_a_key_and_a_private_key_is_refused(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "ssh_keys")
        assert isinstance(app.screen, SshKeysScreen)
        assert "No keys yet" in screen_text(app)

        await keys(pilot, typed(ANNA_KEY), "enter")
        text = screen_text(app)
        assert ANNA_FINGERPRINT in text and "anna@laptop" in text and "1 key." in text
        assert app.screen.query_one("#key-line").value == ""

        pasted = f"{PRIVATE_KEY_START} b3BlbnNzaC1rZXktdjE"
        await keys(pilot, typed(pasted), "enter")
        text = screen_text(app)
        assert "✗ This is a private key: never share it." in text
        assert app.screen.query_one("#key-line").value == pasted  # kept, to be mended
        assert app.screen.focused is app.screen.query_one("#key-line")

        await keys(pilot, "ctrl+u", typed(ANNA_KEY), "ctrl+s")
        assert "✗ This key is already registered." in screen_text(app)

        await keys(pilot, "tab", "delete")
        assert "Remove the key" in screen_text(app)
        await keys(pilot, "y")
        assert "No keys yet" in screen_text(app)
        assert app.backend.ssh_keys() == []


async def _two_keys_and_a_refusal(pilot) -> None:
    await open_screen(pilot, "ssh_keys")
    await keys(pilot, typed(ANNA_KEY), "enter", typed(RSA_KEY), "enter",
               typed("-----BEGIN OPENSSH PRIVATE KEY-----"), "enter")


@pytest.mark.parametrize("size", SIZES)
class TestSshKeys:
    def test_two_keys_and_a_private_key_refused(self, snap_compare, tmp_path, size):
        assert shoot(snap_compare, make_app(tmp_path), size, _two_keys_and_a_refusal)
