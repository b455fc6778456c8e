"""Who may read what mlm-tui writes, whatever the user's umask.

By default everything is the user's alone: folders 0700, files 0600. A team that runs one
shared store on a host names a group in the settings (``shared_group``); then the data dir
is 2770 in that group and the store's files 0660, so every member's process can open the
store. The set-group-id bit makes whatever is created inside belong to the group too,
including the ``-wal`` and ``-shm`` files SQLite makes (with the store file's mode).

Only the store is shared. What is one person's stays 0600 in a shared folder as anywhere:
exports, personal-data exports, messages in the Maildir (reset codes among them).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

# Every permission bit a folder or file of ours may have, the set-group-id bit included.
_PERMISSIONS = 0o2777


@dataclass(frozen=True, slots=True)
class FileModes:
    """The modes of the data dir and the store's files; ``group`` a gid when shared."""

    folder: int = 0o700
    file: int = 0o600
    group: int | None = None

    @property
    def shared(self) -> bool:
        return self.group is not None


PRIVATE = FileModes()


def shared_with(group: int) -> FileModes:
    return FileModes(folder=0o2770, file=0o660, group=group)


SAFE_UMASK = 0o077  # anything not made through this module is still the user's alone


def make_folder(path: Path, modes: FileModes | None = None) -> None:
    """The folder and any missing parents, each made with ``modes``; without them, with
    the modes of the folder they are made in when that one is shared, else 0700. A
    folder that exists is left as it is."""
    missing: list[Path] = []
    folder = path
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        chosen = modes or _inherited(made.parent)
        try:
            made.mkdir(mode=0o700)
        except FileExistsError:
            continue  # another process made it first: theirs stands
        _apply(made, chosen, chosen.folder)


def take_over(path: Path, modes: FileModes, mode: int) -> None:
    """Give a folder or file of this user's the modes it should have. Another user's is
    left alone; so is, in a private run, one that a team shares (group-writable): the
    setting that made it shared is missing here, the file still is the team's."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return
    if found.st_uid != os.geteuid():
        return
    if not modes.shared and found.st_mode & stat.S_IWGRP:
        return
    if stat.S_IMODE(found.st_mode) != mode or (modes.shared and found.st_gid != modes.group):
        _apply(path, modes, mode)


def private_file(path: Path, mode: str = "w", **options: Any) -> IO[Any]:
    """Open ``path`` for writing, made (or truncated) 0600 before a byte is written."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # an existing file keeps its mode through O_CREAT
        return os.fdopen(fd, mode, **options)
    except BaseException:
        os.close(fd)
        raise


def new_file(path: Path, modes: FileModes) -> None:
    """An empty file at ``path`` with ``modes``; an existing one is left as it is."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, modes.file)
    except FileExistsError:
        return
    try:
        os.fchmod(fd, modes.file)  # what the umask took
        if modes.group is not None:
            os.fchown(fd, -1, modes.group)
    finally:
        os.close(fd)


def _inherited(parent: Path) -> FileModes:
    found = parent.stat()
    if found.st_mode & stat.S_ISGID and found.st_mode & stat.S_IWGRP:
        return shared_with(found.st_gid)
    return PRIVATE


def _apply(path: Path, modes: FileModes, mode: int) -> None:
    # The group first: changing it may clear the set-group-id bit, which chmod then sets.
    if modes.group is not None:
        os.chown(path, -1, modes.group)
    os.chmod(path, mode & _PERMISSIONS)
