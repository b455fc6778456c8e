"""``mlm-tui serve`` started for a benchmark on a free port of 127.0.0.1, stopped after."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from _process_cpu import proc_stat


@contextmanager
def serving(data_dir: Path, *, workers: int = 1,
            extra: tuple[str, ...] = ()) -> Iterator[tuple[str, int]]:
    """The server's base URL and process id, once ``/readyz`` answers."""
    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mlm_tui", "serve", "--data-dir", str(data_dir), "--port",
         str(port), "--workers", str(workers), *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{url}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None:
                raise RuntimeError("the server stopped while starting")
            time.sleep(0.2)
        yield url, server.pid
    finally:
        server.terminate()
        server.wait()


def database_cpu_seconds() -> float:
    """CPU time used so far by this machine's PostgreSQL processes (its connections come
    and go with the servers' pools: read it while they are open)."""
    every = (proc_stat(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit())
    return sum(stat.cpu for stat in every if stat is not None and stat.name == "postgres")


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) used so far by the process ``pid`` and every process
    below it (a server's workers): a cost the machine's other load does not inflate."""
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        stat = proc_stat(current)
        if stat is None:
            continue
        total += stat.cpu
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def signed_in(urls: list[str], logins: list[str], password: str) -> list[Any]:
    """A client for each login, signed in through ``urls[n % len(urls)]``: signed in before
    the clock starts, so a run measures the work and not the logins."""
    from mlm_tui.core.remote import RemoteBackend

    backends = []
    for n, login in enumerate(logins):
        backend = RemoteBackend(urls[n % len(urls)])
        backend.login(login, password)
        backends.append(backend)
    return backends


def run_clients(backends: list[Any], seconds: float,
                round_of: Callable[[Any, int], Callable[[], None]]) -> tuple[list[str], float]:
    """Each client in a thread of its own repeats its round (``round_of(backend, n)``, made
    before the clock starts) for ``seconds``, all starting together; then it is closed.
    The errors met (counted and shown: a benchmark must not hide one) and the time taken."""
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(backends) + 1)

    def client(backend: Any, n: int) -> None:
        one_round = round_of(backend, n)
        start.wait()
        while time.monotonic() < stop:
            try:
                one_round()
            except Exception as error:
                with lock:
                    errors.append(f"{type(error).__name__}: {error}")
        backend.close()

    stop = time.monotonic() + seconds + 1
    threads = [threading.Thread(target=client, args=(backend, n))
               for n, backend in enumerate(backends)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join()
    return errors, time.monotonic() - began
