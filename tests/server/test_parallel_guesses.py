"""Sign-in throttling holds over HTTP when the guesses arrive at once: the server counts
each before checking its password, whichever thread of the server takes it."""

from __future__ import annotations

import threading

from mlm_tui.core import login_throttle as throttle
from mlm_tui.core.errors import InvalidCredentials, Throttled
from mlm_tui.core.remote import RemoteBackend
from tests import world


def test_sixteen_parallel_guesses_over_http_let_only_five_be_tried(remote):
    start = threading.Barrier(16)
    answers: list[str] = []

    def guess(number: int) -> None:
        client = RemoteBackend(remote.url)
        start.wait()
        try:
            client.login(world.ANNA.registration_number, f"guess-{number}-x7")
        except (InvalidCredentials, Throttled) as error:
            answers.append(type(error).__name__)
        finally:
            client.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tried = throttle.MAX_FAILURES - 1  # the last of them locks and says so
    assert sorted(answers) == ["InvalidCredentials"] * tried + ["Throttled"] * (16 - tried)
