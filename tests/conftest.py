"""Fixtures every test shares.

- Tests never read the developer's own config or data: every platformdirs location and
  every ``MLM_TUI_*`` variable points into ``tmp_path``.
- ``world_file`` is the small fixed store of :mod:`tests.world`, built once per run and
  copied for each test, so a test may change it freely.
- ``backend`` is the contract fixture: the same tests run over every Backend
  implementation listed in ``BACKENDS``: ``local`` (LocalBackend on the test's store) and
  ``remote`` (RemoteBackend over HTTP to this worker's test server, ``tests.remote_server``,
  serving the test's store; the test's clock moves the server's), and for the tests
  marked ``on_postgres``, ``postgres`` (the same test server on a PostgreSQL copy of the
  test's store, ``tests.postgres``).
"""

from __future__ import annotations

import gc
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests import quick_textual, world
from tests.backoffice import demo_backend, demo_settings, demo_template  # noqa: F401
from tests.cheap_hashing import use_cheap_password_hashing
from tests.postgres import postgres_store  # noqa: F401
from tests.shared_sql_cache import share_compiled_sql

# ``snap_sizes``: a screen state pictured at 80x24 and at 120x40 from one run of the app.
pytest_plugins = ["tests.screens.sized_snapshots"]

# Every backend by default (CI); ``TEST_BACKENDS=local`` for a quicker run while working.
# ``postgres`` runs only the tests marked ``on_postgres`` (``tests.postgres``).
BACKENDS = os.environ.get("TEST_BACKENDS", "local,remote,postgres").split(",")
ROOT = Path(__file__).resolve().parent.parent


def _code_compiled_once() -> None:
    """The suite starts many interpreters: its workers, each worker's test server, the
    CLI in a fresh process, the app in a pseudo-terminal. Each compiled every module of
    ours anew where the environment says not to keep bytecode; kept, they compile once."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False


def _temporary_files_in_memory() -> None:
    """Every test copies a store into a folder of its own, and SQLite syncs it to disk on
    opening, checkpointing and closing: on this suite's disk those waits were more than
    half of a contract test's time (200 empty tests: 6.0 s on disk, 2.3 s in memory). The
    tests' folders (``tmp_path``, and those of the servers and commands they start) go to
    a memory file system where the machine has one (``/dev/shm``), unless ``TMPDIR`` says
    where they go. Nothing in what a test checks depends on the disk being synced."""
    if "TMPDIR" in os.environ:
        return
    memory = "/dev/shm"
    try:
        found = os.statvfs(memory)
    except OSError:
        return
    enough = found.f_bavail * found.f_frsize >= 2 << 30
    if enough and not found.f_flag & os.ST_NOEXEC and os.access(memory, os.W_OK | os.X_OK):
        os.environ["TMPDIR"] = memory  # for the processes the tests start, too
        tempfile.tempdir = None  # asked again, now of TMPDIR


_temporary_files_in_memory()
_code_compiled_once()
use_cheap_password_hashing()
quick_textual.install()
share_compiled_sql()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Python's garbage collector went through every object of every test process again and
    again: the test modules, Textual, SQLAlchemy, the collected tests. That was a fifth of
    a screen test's time. What is alive once the tests are collected stays alive: it is set
    aside (``gc.freeze``), and young objects are collected less often (each app a test
    starts leaves its widgets behind in reference cycles all at once)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 100, 100)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """At the very end pytest collects garbage five times over, so that an object whose
    finaliser fails is reported. With every process's heap as large as the suite leaves
    it, that was a second or more in the last worker and again in the controller, with
    every other core idle. One collection reports those objects; what survives it is set
    aside, so pytest's own five passes have nothing left to go through."""
    gc.collect()
    gc.freeze()


class _UnshownSnapshotReport:
    lines: tuple[str, ...] = ()


@pytest.hookimpl(tryfirst=True)  # before syrupy's own (a conftest's hooks come first)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """On a test worker, syrupy's report is never shown (xdist prints the controller's
    summary alone) nor acted on (syrupy leaves a worker's unused snapshots be), yet
    building it matched every snapshot file against every test the worker ran: 5 to 10 s
    of each worker at the very end of a run. A worker writes what ``--snapshot-update``
    queued, and reports nothing."""
    syrupy = getattr(session.config, "_syrupy", None)
    if syrupy is None or not hasattr(session.config, "workerinput"):
        return

    def finish() -> int:
        syrupy.flush_snapshot_write_queue()
        syrupy.report = _UnshownSnapshotReport()
        return 0

    syrupy.finish = finish


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: three workers for every two cores. A screen test spends part of its
    time waiting (for the app to go idle, for a terminal in a pty, for a subprocess), and
    a worker more than the cores uses those waits. Two per core kept the cores as busy
    but spent a tenth more CPU on the same tests (each worker's own test server and
    stores, and more polling while waiting), for no shorter run."""
    cores = len(os.sched_getaffinity(0))
    return cores + max(1, cores // 2)


# The next number of each test name's folders, as pytest numbers them: ``name0``, ``name1``.
_FOLDER_NUMBERS: defaultdict[str, itertools.count[int]] = defaultdict(itertools.count)


@pytest.fixture
def tmp_path(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """pytest's ``tmp_path``, numbered without a search: pytest numbers each test's folder
    by reading every folder made before it in the run (a worker makes well over a thousand,
    so the reading grew with the square of the tests). The folder is the one pytest would
    make: where it would, named and numbered as it would (a path a test shows on screen
    stays as long)."""
    name = re.sub(r"\W", "_", request.node.name)[:30]
    base = tmp_path_factory.getbasetemp()
    while True:
        folder = base / f"{name}{next(_FOLDER_NUMBERS[name])}"
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # a folder another fixture made under the same name
            continue
        return folder


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local/state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    for name in ("DATA_DIR", "CONFIG_DIR", "STATE_DIR", "SERVER", "SMTP_HOST", "LANG"):
        monkeypatch.delenv(f"MLM_TUI_{name}", raising=False)
    # English unless a test asks for another language, whatever the developer's locale.
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    # No keyring daemon in tests: the session keeper must use its file fallback.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return home


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """The language is the process's: a test that switches it leaves English behind (and
    no company's locale)."""
    yield
    from mlm_tui import i18n

    i18n.install("en")
    i18n.remember_company_locale(None)


@dataclass
class Clock:
    """A clock tests can move: reset codes expire, throttling ends.

    With ``mirror`` set its time is also written to that file at every move, where the test
    server's clock reads it (``tests.remote_server.FileClock``)."""

    now: datetime = world.NOW
    mirror: Path | None = None

    def __call__(self) -> datetime:
        return self.now

    def __setattr__(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)
        mirror = getattr(self, "mirror", None)
        if mirror is not None and name in ("now", "mirror"):
            written = mirror.with_suffix(".new")
            written.write_text(self.now.isoformat())
            os.replace(written, mirror)  # the server never reads half a time

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return world.build_world(tmp_path_factory.mktemp("world") / "store.db")


@pytest.fixture(scope="session")
def world_orders_template(world_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("world-orders") / "store.db"
    shutil.copyfile(world_template, path)
    world.add_orders(path)
    return path


@pytest.fixture
def world_file(world_template: Path, tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """A copy of the world; with its order history when the test asks for ``world_orders``
    too (copied whole, before any backend of the test opens the file: writing the orders
    into each copy cost more than most tests)."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    target = data_dir / "store.db"
    with_orders = "world_orders" in request.fixturenames
    source = request.getfixturevalue("world_orders_template") if with_orders else world_template
    shutil.copyfile(source, target)
    return target


@pytest.fixture
def world_orders(world_file: Path) -> Path:
    """The world with its order history (``world.add_orders``): orders, invoices, parcels."""
    return world_file


@pytest.fixture
def settings(world_file: Path):
    from mlm_tui.core.settings import load_settings

    return load_settings(data_dir=world_file.parent)


@pytest.fixture(scope="session")
def remote_server() -> Iterator[str]:
    """The test team server of this worker (``tests.remote_server``): its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.remote_server"], cwd=ROOT, stdout=subprocess.PIPE,
        text=True)
    assert process.stdout is not None
    port = process.stdout.readline().strip()
    if not port.isdigit():
        process.kill()
        raise RuntimeError("the test server did not start")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def _make_backend(kind: str, settings, clock: Clock, request: pytest.FixtureRequest):
    if kind == "local":
        from mlm_tui.core.local import LocalBackend

        return LocalBackend(settings, clock=clock)
    if kind == "remote":
        from tests.remote_server import CLOCK_FILE

        clock.mirror = settings.data_dir / CLOCK_FILE
        return RemoteUnderTest(request.getfixturevalue("remote_server"), settings)
    if kind == "postgres":
        from tests.postgres import load_into
        from tests.remote_server import CLOCK_FILE, DATABASE_FILE

        database = request.getfixturevalue("postgres_store")
        load_into(database, settings.store_path)
        (settings.data_dir / DATABASE_FILE).write_text(database.url)
        clock.mirror = settings.data_dir / CLOCK_FILE
        return RemoteUnderTest(request.getfixturevalue("remote_server"), settings,
                               store=database)
    raise ValueError(kind)


class RemoteUnderTest:
    """A RemoteBackend on the test server, serving the test's store. Tests that prepare
    state by writing the store (``backend.store``) write the very file the server reads."""

    def __new__(cls, server: str, settings, store=None):
        from mlm_tui.core.remote.backend import RemoteBackend
        from tests.remote_server import knob_values, store_id

        class Remote(RemoteBackend):
            def __init__(self) -> None:
                self.store_id = store_id(settings.data_dir)
                super().__init__(f"{server}/{self.store_id}")
                self.server = server
                self.settings = settings
                self._store = store
                self._own_store = store is None
                self._client.event_hooks["request"].append(self._send_knobs)

            def _send_knobs(self, request) -> None:
                import json

                request.headers["X-Test-Knobs"] = json.dumps(knob_values())

            def money(self, amount):
                """As ``LocalBackend.money``: an amount in the company's currency."""
                from mlm_tui.core.money import Money

                return Money(amount, self.company().currency)

            @property
            def store(self):
                from mlm_tui.core.local.store import Store

                if self._store is None:
                    self._store = Store(settings.store_path, settings.file_modes)
                return self._store

            def close(self) -> None:
                if self._client.is_closed:
                    return  # closed already, as the app closes it (a second close is none)
                self._client.delete(f"{self.server}/_stores/{self.store_id}")
                if self._store is not None and self._own_store:
                    self._store.close()
                super().close()

        return Remote()


def pytest_collection_modifyitems(config, items) -> None:
    """A test marked ``in_process`` looks inside the backend's own process (it counts
    calls of a patched function, or times a call against a budget no network round trip
    fits): it runs over the local backend only; the remote one has its own benchmark.
    Over PostgreSQL run only the tests marked ``on_postgres``: the contract tests that
    touch what differs there (search, money, orders, the team), so the suite stays quick."""
    def over(item, kind: str) -> bool:
        return kind in getattr(getattr(item, "callspec", None), "params", {}).values()

    kept = [item for item in items if not (
        (item.get_closest_marker("in_process")
         and (over(item, "remote") or over(item, "postgres")))
        or (over(item, "postgres") and not item.get_closest_marker("on_postgres")))]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
    # Tests that run for seconds (a server of their own, a terminal, a crowd) go first, in
    # their order: last in the run, one of them kept a worker busy alone while the other
    # cores stood idle (a worker ended 11 s after the first to finish).
    items.sort(key=lambda item: item.get_closest_marker("long_running") is None)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, settings, clock: Clock) -> Iterator[object]:
    """A Backend over the world, signed in as nobody."""
    b = _make_backend(request.param, settings, clock, request)
    yield b
    b.close()


@pytest.fixture
def remote(request: pytest.FixtureRequest, settings, clock: Clock) -> Iterator[object]:
    """A RemoteBackend over the world on the test server, signed in as nobody."""
    b = _make_backend("remote", settings, clock, request)
    yield b
    b.close()


@pytest.fixture
def anna(backend):
    """The backend signed in as Anna, root of her team."""
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    return backend
