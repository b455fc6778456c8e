"""Sending the outbox: each queued order in turn, with its own key, through the server's
order path (``Backend.place_prepared_order``).

What the server answers decides the order's state (see :mod:`mlm_tui.core.offline.outbox`):
placed, it is sent with its real number; refused for what the consultant must decide on
(a price, points, stock, the balance, a closed catalog), it waits beside what the server
would charge now; not answered (the server unreachable, an answer lost), it stays to be
sent again with the same key, and the sync stops at the first unreachable server rather
than wait for a timeout per order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mlm_tui.core import errors as e
from mlm_tui.core.backend import Backend
from mlm_tui.core.offline.outbox import Outbox, OutboxState, QueuedOrder
from mlm_tui.core.prepared_orders import totals_differ

# Refusals a consultant decides on: the server placed nothing for them.
_DECIDED_BY_HER = (e.TotalsChanged, e.Unavailable, e.InsufficientBalance,
                   e.InsufficientPoints, e.NotFound, e.Forbidden, e.ValidationError)


@dataclass(slots=True)
class SyncReport:
    sent: list[QueuedOrder] = field(default_factory=list)
    waiting: list[QueuedOrder] = field(default_factory=list)
    still_queued: list[QueuedOrder] = field(default_factory=list)
    offline: bool = False


def sync(outbox: Outbox, backend: Backend, member_id: int) -> SyncReport:
    """Send the member's queued orders, oldest first; what happened to each.
    ``NotAuthenticated`` when the session has ended (nothing more is sent)."""
    report = SyncReport()
    for order in outbox.orders(member_id, states=(OutboxState.QUEUED, OutboxState.SENDING)):
        if report.offline:
            report.still_queued.append(order)
            continue
        if not outbox.mark_sending(order):
            continue  # settled by another process meanwhile
        try:
            placed = backend.place_prepared_order(order.prepared)
        except e.Offline as failure:
            outbox.note_error(order, failure)
            report.offline = True
            report.still_queued.append(outbox.get(order.id))
            continue
        except e.NotAuthenticated:
            raise
        except e.IdempotencyKeyReused as failure:
            outbox.note_error(order, failure)  # cannot happen with one key per content
            report.still_queued.append(outbox.get(order.id))
            continue
        except _DECIDED_BY_HER as refusal:
            _wait(outbox, backend, order, refusal)
            report.waiting.append(outbox.get(order.id))
            continue
        except e.DomainError as failure:
            outbox.note_error(order, failure)  # the server's own trouble: sent again later
            report.still_queued.append(outbox.get(order.id))
            continue
        outbox.mark_sent(order, placed.number)
        report.sent.append(outbox.get(order.id))
    return report


def _wait(outbox: Outbox, backend: Backend, order: QueuedOrder,
          refusal: e.DomainError) -> None:
    """Waiting for a decision, beside what the server would charge now (when it says)."""
    try:
        quote = backend.quote_prepared_order(order.prepared)
    except e.DomainError:
        quote = None  # the refusal says enough; the decision view shows what was seen
    differences = totals_differ(order.prepared.seen, quote) if quote is not None else []
    outbox.mark_waiting(order, refusal, quote, differences)
