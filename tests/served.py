"""``mlm-tui serve`` started as from the shell, for the tests that need a real one.

    with serving(data_dir, workers=2, output=log_file) as (url, process):
        plain_http.get(f"{url}/healthz")

It listens on a free port of 127.0.0.1; the block starts once ``/readyz`` answers, and the
server is stopped (SIGTERM, as a service manager does) when the block ends, if it still runs.
Without ``output`` its log goes to a file of its own, read back if it stops while starting:
a pipe nobody reads fills up in a long test, and the server then hangs on its next line.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

import httpx

from tests import plain_http
from tests.smtp import free_port


@contextmanager
def serving(data_dir: Path | str, *, workers: int = 1, env: Mapping[str, str] | None = None,
            output: IO[str] | None = None, database: str | None = None,
            ) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with ExitStack() as stack:
        log = output if output is not None else stack.enter_context(
            tempfile.TemporaryFile("w+", prefix="mlm-serve-"))
        yield from _serve(data_dir, workers, env, log, output is None, database)


def _serve(data_dir: Path | str, workers: int, env: Mapping[str, str] | None, log: IO[str],
           log_is_ours: bool, database: str | None,
           ) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mlm_tui", "serve", "--data-dir", str(data_dir),
         "--port", str(port), "--workers", str(workers),
         *(["--database", database] if database else [])],
        env=dict(env) if env is not None else None,
        stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if plain_http.get(f"{url}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None:
                log.seek(0)
                said = log.read() if log_is_ours else "(see its log)"
                raise AssertionError(f"the server stopped while starting: {said}")
            assert time.monotonic() < deadline, "the server never became ready"
            time.sleep(0.1)
        yield url, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
