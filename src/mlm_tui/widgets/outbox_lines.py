"""The orders checked out offline, as the order history shows them apart from the
server's: those still to send, those waiting for a decision, and those sent lately (with
the number the server gave them), one line each, only the lines that have orders.

It reads the app's outbox (a local file, no request, in a worker) and follows the header's counts,
so a sync that sends or refuses an order shows here at once.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.widgets import Static

from mlm_tui.core.offline.outbox import TO_SEND, OutboxState, QueuedOrder
from mlm_tui.i18n import _

SENT_SHOWN = 3  # the latest sent: the grid below lists every order the server holds


def outbox_lines(orders: list[QueuedOrder]) -> list[str]:
    """The lines for ``orders`` (the member's, oldest first)."""
    to_send = [o.number for o in orders if o.state in TO_SEND]
    waiting = [o.number for o in orders if o.state is OutboxState.WAITING]
    sent = [o for o in orders if o.state is OutboxState.SENT][-SENT_SHOWN:]
    lines = []
    if to_send:
        lines.append(_("Queued, sent when online: {numbers}").format(
            numbers=", ".join(to_send)))
    if waiting:
        lines.append(_("Waiting for your decision (F11): {numbers}").format(
            numbers=", ".join(waiting)))
    if sent:
        lines.append(_("Sent from the outbox: {numbers}").format(numbers=", ".join(
            f"{o.number} → {o.order_number}" for o in reversed(sent))))
    return lines


class OutboxLines(Static):
    DEFAULT_CSS = """
    OutboxLines { height: auto; max-height: 3; padding: 0 1; color: $text-warning; }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False)

    def on_mount(self) -> None:
        self.watch(self.app, "outbox_counts", self.show_outbox, init=True)

    def show_outbox(self, _counts: Any = None) -> None:
        self._read_outbox()

    @work(thread=True, exclusive=True, exit_on_error=False, group="outbox-lines")
    def _read_outbox(self) -> None:
        # Off the UI thread: the outbox is a file, read again at every change of the counts.
        app: Any = self.app
        lines = outbox_lines(app.read_outbox_orders())
        app.call_from_thread(self._show_lines, lines)

    def _show_lines(self, lines: list[str]) -> None:
        self.update("\n".join(lines))
        self.display = bool(lines)
