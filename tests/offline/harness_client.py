"""The client side of the fault harness: one process that checks out (queues an order) and
syncs the outbox, as ``mlm-tui checkout`` and ``mlm-tui sync`` do, to be killed anywhere.

Imported ahead by the harness's fork server, so that a client starts in milliseconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from mlm_tui.core.models import Cart, Checkout, Session
from mlm_tui.core.offline.outbox import Outbox
from mlm_tui.core.offline.sync import sync
from mlm_tui.core.remote.backend import RemoteBackend


def check_out_and_sync(outbox_path: str, url: str, session: Session,
                       steps: list[Cart | None], checkout: Checkout, retries: int,
                       started: Any) -> None:
    """Each step: queue the cart given (None: queue nothing), then sync; ``started`` (a
    shared counter without a lock; one client runs at a time) counts the steps begun, whether
    or not the process lives to end them."""
    outbox = Outbox(Path(outbox_path))
    backend = RemoteBackend(url, retries=retries, timeout=httpx.Timeout(10.0, connect=2.0))
    backend._session = session  # signed in by the harness: no request of its own
    for cart in steps:
        started.value += 1  # no lock: a client killed holding it would stop the harness
        if cart is not None:
            outbox.queue(session.member_id, cart, checkout)
        sync(outbox, backend, session.member_id)
    backend.close()
    outbox.close()
