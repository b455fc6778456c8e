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


class TestSshKeys:
    def test_two_keys_and_a_private_key_refused(self, snap_sizes, tmp_path):
        assert snap_sizes(make_app(tmp_path), _two_keys_and_a_refusal) == []


async def test_over_ssh_the_app_ends_when_its_key_is_removed(tmp_path, capsys):
    """Signed in by a key (``mlm-tui ssh-session``): no password screen comes after it."""
    import asyncio

    from mlm_tui.core.errors import NotAuthenticated
    from mlm_tui.core.local import LocalBackend
    from tests import world

    app = make_app(tmp_path, login=False, bound_session=True,
                   wrap=lambda backend: _signed_in_by_key(backend, key.id))
    owner = LocalBackend(app.settings, clock=app.clock)
    owner.login(world.IRINA.registration_number, world.PASSWORD)
    key = owner.add_ssh_key(ANNA_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert f"{world.IRINA.full_name} No. {world.IRINA.registration_number}" in \
            screen_text(app)
        owner.remove_ssh_key(key.fingerprint)
        with pytest.raises(NotAuthenticated):  # the next call, as a screen's worker makes it
            await asyncio.to_thread(lambda: app.backend.account_summary())
        for _ in range(100):
            if app.return_code is not None:
                break
            await pilot.pause(0.05)
    owner.close()
    assert app.return_code == 1
    said = " ".join(capsys.readouterr().err.split())  # as printed when the app ended
    assert "The session has ended: the key it was opened with was removed" in said


def _signed_in_by_key(backend, key_id: int):
    backend.open_key_session(key_id)
    return backend
