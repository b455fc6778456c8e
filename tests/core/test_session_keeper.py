"""The session token survives a restart: in the keyring, or in a private file when there
is none, and a hanging keyring never hangs the app."""

from __future__ import annotations

import json
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from mlm_tui.core.session_keeper import SessionKeeper

TOKEN = "tok-4Mk-AIz7_hRMC3EnoCZpR6zbqC7VDtu4WHk4MnBTBoo"


class MemoryKeyring(KeyringBackend):
    """A working keyring that keeps secrets in memory."""

    priority = 5  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class HangingKeyring(KeyringBackend):
    """A D-Bus secret service that never answers: every call blocks until released."""

    priority = 5  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.calls = 0

    def _block(self) -> None:
        self.calls += 1
        self.release.wait()

    def get_password(self, service, username):
        self._block()

    def set_password(self, service, username, password):
        self._block()

    def delete_password(self, service, username):
        self._block()


class BrokenKeyring(MemoryKeyring):
    """A keyring that exists but refuses (a locked collection)."""

    def set_password(self, service, username, password):
        raise keyring.errors.KeyringLocked(f"locked, refused {password}")


@pytest.fixture
def use_keyring() -> Iterator:
    previous = keyring.get_keyring()

    def install(backend: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    yield install
    keyring.set_keyring(previous)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_without_a_keyring_the_token_goes_to_a_private_file(tmp_path: Path, caplog):
    caplog.set_level("DEBUG")
    state = tmp_path / "state"
    keeper = SessionKeeper(state)
    keeper.save("anna@local", TOKEN)

    assert keeper.location == f"file {state / 'session-tokens.json'} (no keyring available)"
    assert mode_of(state / "session-tokens.json") == 0o600
    assert mode_of(state) == 0o700
    assert SessionKeeper(state).load("anna@local") == TOKEN  # a new run finds it
    assert TOKEN not in caplog.text
    assert not [p for p in state.iterdir() if p.name != "session-tokens.json"]  # no temp left


def test_file_keeps_each_account_apart_and_clear_removes_one(tmp_path: Path):
    keeper = SessionKeeper(tmp_path)
    keeper.save("anna", "token-a")
    keeper.save("klaus", "token-k")
    keeper.save("anna", "token-a2")
    keeper.clear("anna")
    keeper.clear("nobody")
    assert keeper.load("anna") is None
    assert keeper.load("klaus") == "token-k"
    stored = json.loads((tmp_path / "session-tokens.json").read_text())
    assert stored["tokens"] == {"klaus": "token-k"}


def test_file_is_created_private_even_with_a_permissive_umask(tmp_path: Path):
    import os

    old = os.umask(0)
    try:
        SessionKeeper(tmp_path).save("anna", TOKEN)
    finally:
        os.umask(old)
    assert mode_of(tmp_path / "session-tokens.json") == 0o600


def test_a_loosened_file_is_tightened_when_read(tmp_path: Path):
    keeper = SessionKeeper(tmp_path)
    keeper.save("anna", TOKEN)
    (tmp_path / "session-tokens.json").chmod(0o644)
    assert keeper.load("anna") == TOKEN
    assert mode_of(tmp_path / "session-tokens.json") == 0o600


def test_a_damaged_file_reads_as_no_session(tmp_path: Path):
    (tmp_path / "session-tokens.json").write_text("{not json")
    keeper = SessionKeeper(tmp_path)
    assert keeper.load("anna") is None
    keeper.save("anna", TOKEN)
    assert keeper.load("anna") == TOKEN


def test_a_working_keyring_keeps_the_token_and_no_file_is_written(tmp_path: Path, use_keyring):
    memory = use_keyring(MemoryKeyring())
    keeper = SessionKeeper(tmp_path)
    keeper.save("anna", TOKEN)

    assert keeper.location == "system keyring"
    assert memory.secrets == {("mlm-tui", "anna"): TOKEN}
    assert not (tmp_path / "session-tokens.json").exists()
    assert SessionKeeper(tmp_path).load("anna") == TOKEN
    keeper.clear("anna")
    keeper.clear("anna")  # clearing twice is harmless
    assert memory.secrets == {}
    assert keeper.load("anna") is None


def test_saving_to_the_keyring_removes_an_older_copy_from_the_file(tmp_path: Path, use_keyring):
    SessionKeeper(tmp_path).save("anna", "old-token")  # kept in the file: no keyring yet
    use_keyring(MemoryKeyring())
    keeper = SessionKeeper(tmp_path)
    assert keeper.load("anna") == "old-token"  # still found after the keyring appeared
    keeper.save("anna", TOKEN)
    assert keeper.load("anna") == TOKEN
    assert "old-token" not in (tmp_path / "session-tokens.json").read_text()


def test_a_hanging_keyring_falls_back_to_the_file_within_the_timeout(
    tmp_path: Path, use_keyring
):
    hanging = use_keyring(HangingKeyring())
    try:
        keeper = SessionKeeper(tmp_path, timeout=0.2)
        started = time.monotonic()
        keeper.save("anna", TOKEN)
        assert keeper.load("anna") == TOKEN
        keeper.clear("anna")
        elapsed = time.monotonic() - started

        # One call waited out the timeout; after that the keeper stopped asking.
        assert hanging.calls == 1
        assert elapsed < 2.0
        assert keeper.location.endswith("(no keyring available)")
        assert keeper.load("anna") is None
    finally:
        hanging.release.set()


def test_a_refusing_keyring_falls_back_without_leaking_the_token(
    tmp_path: Path, use_keyring, caplog
):
    caplog.set_level("DEBUG")
    use_keyring(BrokenKeyring())
    keeper = SessionKeeper(tmp_path)
    keeper.save("anna", TOKEN)
    assert keeper.load("anna") == TOKEN
    assert mode_of(tmp_path / "session-tokens.json") == 0o600
    assert "file" in keeper.location
    assert TOKEN not in caplog.text
