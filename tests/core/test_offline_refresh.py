"""Signing in through the offline fallback keeps what offline work needs in the background.
The app may quit (and close the backend) while that is under way: the refresh then ends
quietly, with no error in its thread and without opening the offline file again."""

from __future__ import annotations

import threading

from mlm_tui.core.offline.fallback import OfflineFallback
from tests import world


class HeldAtMe:
    """The remote backend, with ``me`` held until the test lets it go on."""

    def __init__(self, backend) -> None:
        self._backend = backend
        self.asked = threading.Event()
        self.go_on = threading.Event()

    def me(self):
        self.asked.set()
        self.go_on.wait(10)
        return self._backend.me()

    def __getattr__(self, name: str):
        return getattr(self._backend, name)


def test_closing_while_the_background_refresh_runs_ends_it_quietly(remote, settings,
                                                                   monkeypatch):
    failed: list[BaseException] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: failed.append(args.exc_value))
    held = HeldAtMe(remote)
    fallback = OfflineFallback(held, settings.data_dir, "http://team.example")
    fallback.login(world.ANNA.registration_number, world.PASSWORD)
    assert held.asked.wait(10), "the refresh did not start"

    fallback.close()
    held.go_on.set()
    fallback.wait_kept()

    assert failed == []
    assert fallback._file is None  # the offline file was not opened again after closing
