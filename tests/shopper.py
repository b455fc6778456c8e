"""One shopper of the crowd in ``tests/server/test_two_servers.py``, in a process of its own:

    python -m tests.shopper '{"servers": [...], "token": ..., "code": ...,
                              "checkouts": 200, "payment": "balance", "first": 0}'

It resumes the session ``token`` (opened by the test, one login at a time: logins at once
are taken for a guesser's) on every server, prices its order once (``quote_prepared_order``), says
``ready`` and waits for a line on its input, so that the crowd starts together. Then it
places ``checkouts`` orders of one unit of ``code``, each through the next server in turn,
each with a key of its own, and prints what became of them as one JSON object: the orders
placed (number, amount), the refusals by error code, and anything else that went wrong.
Orders go as prepared orders (the outbox's way): they never touch the member's cart, which
the shoppers of one member would otherwise fight over.
"""

from __future__ import annotations

import json
import sys
import uuid
from decimal import Decimal
from typing import Any

from mlm_tui.core.errors import DomainError
from mlm_tui.core.models import (
    Checkout,
    DeliveryMethod,
    PaymentMethod,
    PreparedLine,
    PreparedOrder,
    SeenTotals,
)
from mlm_tui.core.money import Money
from mlm_tui.core.prepared_orders import seen_totals
from mlm_tui.core.remote.backend import RemoteBackend

# How each way to pay is delivered: from the balance to a pickup point, at the service
# centre where the parcel waits.
DELIVERY = {
    PaymentMethod.BALANCE: (DeliveryMethod.PICKUP_POINT, "PP-MSK-2"),
    PaymentMethod.SERVICE_CENTRE: (DeliveryMethod.SERVICE_CENTRE, "SC-MSK-1"),
}


def prepared(code: str, payment: PaymentMethod, seen: SeenTotals | None) -> PreparedOrder:
    delivery, point = DELIVERY[payment]
    checkout = Checkout(delivery, payment, uuid.uuid4().hex, point)
    return PreparedOrder((PreparedLine(code, 1),), checkout, seen or _NOTHING_SEEN)


_NOTHING_SEEN = SeenTotals(Money(Decimal(0), "XXX"), Decimal(0))  # a quote reads none


def shop(task: dict[str, Any]) -> dict[str, Any]:
    payment = PaymentMethod(task["payment"])
    backends = [RemoteBackend(url) for url in task["servers"]]
    try:
        for backend in backends:
            backend.resume(task["token"])
        quote = backends[0].quote_prepared_order(prepared(task["code"], payment, None))
        seen = seen_totals(quote)
        print("ready", flush=True)
        sys.stdin.readline()
        placed: list[list[str]] = []
        refused: dict[str, int] = {}
        unexpected: list[str] = []
        for round_ in range(task["checkouts"]):
            backend = backends[(task["first"] + round_) % len(backends)]
            try:
                order = backend.place_prepared_order(prepared(task["code"], payment, seen))
            except DomainError as refusal:
                refused[refusal.code] = refused.get(refusal.code, 0) + 1
            except Exception as error:  # a 5xx, a dropped connection: the test names it
                unexpected.append(f"{type(error).__name__}: {error}")
            else:
                placed.append([order.number, str(order.total.amount)])
        return {"placed": placed, "refused": refused, "unexpected": unexpected}
    finally:
        for backend in backends:
            backend.close()


if __name__ == "__main__":
    print(json.dumps(shop(json.loads(sys.argv[1]))), flush=True)
