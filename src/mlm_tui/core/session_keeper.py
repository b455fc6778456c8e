"""Where the client keeps its session token between runs: the OS keyring, else a 0600 file.

A keyring can be missing (a headless SSH host), refuse (a locked collection) or hang (a
D-Bus secret service that never answers). Every keyring call therefore runs in a daemon
thread and is abandoned after ``timeout`` seconds; from the first failure on, this keeper
uses its file in the state dir and says so in :attr:`SessionKeeper.location`.

The file is created 0600 (never readable by others, not even for a moment) and replaced
atomically, so a crash leaves the old tokens or the new ones, never half a file. Tokens
never appear in a log message or an exception.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SERVICE = "mlm-tui"
FILE_NAME = "session-tokens.json"


class _KeyringUnusable(Exception):
    """The keyring is missing, failed, or did not answer in time."""


class SessionKeeper:
    def __init__(self, state_dir: Path, *, timeout: float = 3.0) -> None:
        self.state_dir = Path(state_dir)
        self.timeout = timeout
        self._keyring_ok: bool | None = None  # None: not asked yet

    @property
    def path(self) -> Path:
        return self.state_dir / FILE_NAME

    @property
    def location(self) -> str:
        """Where tokens are kept, in words for the status line."""
        if self._keyring_usable():
            return "system keyring"
        return f"file {self.path} (no keyring available)"

    def load(self, account: str) -> str | None:
        if self._keyring_usable():
            token: str | None
            try:
                token = self._keyring_call("get_password", SERVICE, account)
            except _KeyringUnusable:
                token = None
            if token:
                return token
        # Also when the keyring works: the token may have been kept while it did not.
        return self._read_file().get(account)

    def save(self, account: str, token: str) -> None:
        if self._keyring_usable():
            try:
                self._keyring_call("set_password", SERVICE, account, token)
            except _KeyringUnusable:
                pass
            else:
                self._forget_in_file(account)  # no stale copy left on disk
                return
        tokens = self._read_file()
        tokens[account] = token
        self._write_file(tokens)

    def clear(self, account: str) -> None:
        if self._keyring_usable():
            try:
                if self._keyring_call("get_password", SERVICE, account) is not None:
                    self._keyring_call("delete_password", SERVICE, account)
            except _KeyringUnusable:
                pass
        self._forget_in_file(account)

    # --- keyring -------------------------------------------------------------------------
    def _keyring_usable(self) -> bool:
        if self._keyring_ok is None:
            # The fail and null backends (priority <= 0) are what keyring picks when there
            # is no real one. Even choosing a backend may talk to D-Bus, hence the thread.
            try:
                self._keyring_ok = self._in_thread(lambda: _priority(_current_keyring())) > 0
            except _KeyringUnusable:
                self._keyring_ok = False
            if not self._keyring_ok:
                log.info("no usable keyring; session tokens are kept in %s", self.path)
        return self._keyring_ok

    def _keyring_call(self, name: str, *args: str) -> Any:
        try:
            return self._in_thread(lambda: getattr(_current_keyring(), name)(*args))
        except _KeyringUnusable:
            self._keyring_ok = False
            log.warning("the keyring failed on %s; session tokens are kept in %s",
                        name, self.path)
            raise

    def _in_thread(self, call: Callable[[], Any]) -> Any:
        """Run ``call`` in a daemon thread; give up after ``timeout`` seconds.

        A daemon thread, not an executor: a call that never returns must not keep the
        process from exiting.
        """
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                outcome["value"] = call()
            except BaseException as exc:  # reported to the caller below
                outcome["error"] = exc

        worker = threading.Thread(target=run, name="keyring-call", daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            log.warning("the keyring did not answer within %.1f s", self.timeout)
            raise _KeyringUnusable("timeout")
        if "error" in outcome:
            # Only the type: a backend's message might quote what it was given.
            log.info("the keyring refused: %s", type(outcome["error"]).__name__)
            raise _KeyringUnusable(type(outcome["error"]).__name__)
        return outcome.get("value")

    # --- file ----------------------------------------------------------------------------
    def _read_file(self) -> dict[str, str]:
        try:
            if self.path.stat().st_mode & 0o077:  # loosened by hand or by a copy: tighten
                self.path.chmod(0o600)
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            log.warning("the session file %s is unreadable; starting afresh", self.path)
            return {}
        tokens = data.get("tokens") if isinstance(data, dict) else None
        if not isinstance(tokens, dict):
            return {}
        return {str(k): v for k, v in tokens.items() if isinstance(v, str)}

    def _forget_in_file(self, account: str) -> None:
        tokens = self._read_file()
        if account in tokens:
            del tokens[account]
            self._write_file(tokens)

    def _write_file(self, tokens: dict[str, str]) -> None:
        self.state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkstemp creates the file 0600 before a byte is written.
        import tempfile  # only when a token is written: off the start-up path

        fd, temp_name = tempfile.mkstemp(prefix=".session-", suffix=".tmp", dir=self.state_dir)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"version": 1, "tokens": tokens}, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(temp_name, self.path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise


def _current_keyring() -> Any:
    import keyring

    return keyring.get_keyring()


def _priority(backend: Any) -> float:
    try:
        return float(backend.priority)
    except Exception:  # a backend that cannot say is not trusted
        return 0.0
