"""Sending the outbox: the queued orders in turn, each with its own key, through the
server's order path, up to ``SENT_AT_ONCE`` to a request (``Backend.place_prepared_orders``:
each placed or refused alone, so a batch is never more than its orders one by one).

What the server answers decides the order's state (see :mod:`mlm_tui.core.offline.outbox`):
placed, it is sent with its real number; refused for what the consultant must decide on
(a price, points, stock, the balance, a closed catalog), it waits beside what the server
would charge now; not answered (the server unreachable, an answer lost), it stays to be
sent again with the same key, and the sync stops at the first unreachable server rather
than wait for a timeout per order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from mlm_tui.core import errors as e
from mlm_tui.core.backend import Backend
from mlm_tui.core.errors import N_
from mlm_tui.core.models import PreparedOutcome
from mlm_tui.core.offline.outbox import Outbox, OutboxState, QueuedOrder
from mlm_tui.core.prepared_orders import totals_differ

SENT_AT_ONCE = 100  # orders per request (the server takes at most PREPARED_BATCH)
# Refusals a consultant decides on: the server placed nothing for them.
_DECIDED_BY_HER = (e.TotalsChanged, e.Unavailable, e.InsufficientBalance,
                   e.InsufficientPoints, e.NotFound, e.Forbidden, e.ValidationError)


@dataclass(slots=True)
class SyncReport:
    sent: list[QueuedOrder] = field(default_factory=list)
    waiting: list[QueuedOrder] = field(default_factory=list)
    still_queued: list[QueuedOrder] = field(default_factory=list)
    offline: bool = False


def sync(outbox: Outbox, backend: Backend, member_id: int, *,
         batch: int = SENT_AT_ONCE) -> SyncReport:
    """Send the member's queued orders, oldest first, ``batch`` to a request; what
    happened to each. ``NotAuthenticated`` when the session has ended (nothing more is
    sent)."""
    report = SyncReport()
    pending = outbox.orders(member_id, states=(OutboxState.QUEUED, OutboxState.SENDING))
    for start in range(0, len(pending), batch):
        chunk = pending[start:start + batch]
        if report.offline:
            report.still_queued.extend(chunk)
            continue
        with outbox.together():  # committed before the request leaves
            # Settled by another process meanwhile: not sent.
            sending = [order for order in chunk if outbox.mark_sending(order)]
        if not sending:
            continue
        try:
            outcomes = backend.place_prepared_orders([o.prepared for o in sending])
        except e.NotAuthenticated:
            raise
        except e.DomainError as failure:  # nothing answered for any: all sent again later
            report.offline = isinstance(failure, e.Offline)
            for order in sending:
                outbox.note_error(order, failure)
                report.still_queued.append(outbox.get(order.id))
            continue
        answered = {outcome.key: outcome for outcome in outcomes}
        with outbox.together():
            for order in sending:
                outcome = answered.get(order.key)
                if outcome is not None and outcome.order is not None:
                    outbox.mark_sent(order, outcome.order.number)
                    report.sent.append(outbox.get(order.id))
        for order in sending:
            outcome = answered.get(order.key)
            if outcome is None or outcome.order is None:
                _settle(outbox, backend, order, outcome, report)
    return report


def _settle(outbox: Outbox, backend: Backend, order: QueuedOrder,
            outcome: PreparedOutcome | None, report: SyncReport) -> None:
    """The order's state from what the server answered for it."""
    if outcome is not None and outcome.order is not None:
        outbox.mark_sent(order, outcome.order.number)
        report.sent.append(outbox.get(order.id))
        return
    refusal = (e.from_dict(json.loads(outcome.error)) if outcome is not None and outcome.error
               else e.DomainError(N_("The server did not answer for this order.")))
    if isinstance(refusal, _DECIDED_BY_HER) and not isinstance(
            refusal, e.IdempotencyKeyReused):
        _wait(outbox, backend, order, refusal)
        report.waiting.append(outbox.get(order.id))
        return
    # The server's own trouble (or a key reused, which one key per content rules out):
    # sent again later, with the same key.
    outbox.note_error(order, refusal)
    report.still_queued.append(outbox.get(order.id))


def _wait(outbox: Outbox, backend: Backend, order: QueuedOrder,
          refusal: e.DomainError) -> None:
    """Waiting for a decision, beside what the server would charge now (when it says)."""
    try:
        quote = backend.quote_prepared_order(order.prepared)
    except e.DomainError:
        quote = None  # the refusal says enough; the decision view shows what was seen
    differences = totals_differ(order.prepared.seen, quote) if quote is not None else []
    outbox.mark_waiting(order, refusal, quote, differences)
