"""The outbox: orders made ready away from the server, kept until it has them.

One SQLite file per server (``offline_file``), in the user's data dir, 0600 like every
file of ours, with its own small schema (``SCHEMA_VERSION``). Queuing an order writes,
in one transaction, the order, its lines, the totals the consultant saw (the whole cart
she saw, for the side-by-side view) and a key made here, which is the order's
``Idempotency-Key`` on the server for every try, from any process, for ever.

The states of a queued order::

    queued ──send──▶ sending ──placed──────────────▶ sent (its real order number)
      ▲                 │ └──server unreachable: stays sending, sent again later
      │                 └──refused (a price, points, stock, balance)──▶ waiting
      └──────────────── confirm (at the server's figures) ◀─────────────┘
    queued / waiting ──drop──▶ dropped    queued / waiting ──edit──▶ dropped, lines to the cart

``sending`` is written (and committed) before the request leaves, so a process killed at
any point leaves the order queued, sending or settled: never unknown. An order that is
``sending`` may be on the server already; it is only ever sent again, with the same key
and the same content, which the server answers with the order it placed, so it cannot be
dropped or changed until the server has answered. ``waiting`` follows only a refusal,
after which the server holds nothing for it: it is the one state a consultant decides on.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mlm_tui.core import errors as e
from mlm_tui.core.errors import N_
from mlm_tui.core.files import PRIVATE, make_folder, new_file, take_over
from mlm_tui.core.models import Cart, Checkout, PreparedLine, PreparedOrder, SeenTotals
from mlm_tui.core.prepared_orders import seen_totals
from mlm_tui.core.remote import wire

SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,          -- the queued number a consultant reads
    member_id INTEGER NOT NULL,
    key TEXT NOT NULL UNIQUE,        -- the order's Idempotency-Key on the server
    queued_at TEXT NOT NULL,
    state TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 0,  -- raised by a decision: older answers are stale
    checkout TEXT NOT NULL,
    delivery_product_code TEXT,
    seen TEXT NOT NULL,              -- the totals seen (SeenTotals)
    seen_cart TEXT NOT NULL,         -- the cart seen, line by line
    server_cart TEXT,                -- what the server would charge, while waiting
    differences TEXT NOT NULL DEFAULT '',
    order_number TEXT,
    last_error TEXT,                 -- the domain error's wire form
    attempts INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE TABLE outbox_lines (
    outbox_id INTEGER NOT NULL REFERENCES outbox(id),
    line_no INTEGER NOT NULL,
    code TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    paid_with_points INTEGER NOT NULL,
    PRIMARY KEY (outbox_id, line_no)
);
CREATE INDEX outbox_by_member ON outbox (member_id, state, id);
-- The replica: what the member could read online, kept to work without the server.
CREATE TABLE replica (
    part TEXT PRIMARY KEY,           -- "company", "me", "promotions"
    body TEXT NOT NULL,
    refreshed_at TEXT NOT NULL
);
CREATE TABLE replica_products (
    code TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    refreshed_at TEXT NOT NULL,
    digest TEXT NOT NULL             -- catalog_digests.body_digest(body)
);
-- The cart kept here, so that it can be filled offline.
CREATE TABLE cart_lines (
    member_id INTEGER NOT NULL,
    code TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    paid_with_points INTEGER NOT NULL DEFAULT 0,
    added INTEGER NOT NULL,
    PRIMARY KEY (member_id, code)
);
"""
# The schema's steps after the first, in order: step N brings a file from N to N + 1.
_STEPS = ("""
-- What was added to the kept cart while the server was away, not yet in the server's
-- cart: added there once when it is back (``target``: the server's quantity once added,
-- written before the request leaves, so an answer lost or a crash never adds twice).
CREATE TABLE cart_added (
    member_id INTEGER NOT NULL,
    code TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    target INTEGER,
    PRIMARY KEY (member_id, code)
);
""",)


class OutboxState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    WAITING = "waiting"
    DROPPED = "dropped"


STATE_LABELS = {
    OutboxState.QUEUED: N_("queued — will be sent when online"),
    OutboxState.SENDING: N_("sent, no answer yet — will be sent again"),
    OutboxState.SENT: N_("placed"),
    OutboxState.WAITING: N_("needs your decision"),
    OutboxState.DROPPED: N_("dropped"),
}
TO_SEND = (OutboxState.QUEUED, OutboxState.SENDING)


@dataclass(frozen=True, slots=True)
class QueuedOrder:
    id: int
    member_id: int
    key: str
    queued_at: datetime
    state: OutboxState
    revision: int
    prepared: PreparedOrder
    seen_cart: Cart
    server_cart: Cart | None
    differences: tuple[str, ...]
    order_number: str | None
    last_error: e.DomainError | None
    attempts: int

    @property
    def number(self) -> str:
        """The queued number: what the consultant quotes until the order has its own."""
        return f"Q-{self.id:06d}"


def offline_file(data_dir: Path, server_url: str) -> Path:
    """The outbox file of one server (or of what the backend calls its place), under the
    data dir."""
    parts = urlsplit(server_url)
    name = f"{parts.hostname}-{parts.port or parts.scheme}" if parts.hostname else "local"
    digest = hashlib.sha256(server_url.encode()).hexdigest()[:8]
    return data_dir / "offline" / f"{name}-{digest}.db"


class Outbox:
    """The outbox file of one server, opened by one process (several may open it)."""

    def __init__(self, path: Path, *, clock: Callable[[], datetime] = datetime.now) -> None:
        self.path = path
        self.clock = clock
        self._together = False  # inside ``together``: one transaction for many changes
        make_folder(path.parent, PRIVATE)
        new_file(path, PRIVATE)  # 0600 before SQLite writes a byte; -wal and -shm follow it
        take_over(path, PRIVATE, PRIVATE.file)
        # Autocommit: every change below is one explicit BEGIN IMMEDIATE ... COMMIT.
        self._db = sqlite3.connect(path, isolation_level=None, timeout=30,
                                   check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        # A queued order is a customer's order: on disk before "queued" is shown.
        self._db.execute("PRAGMA synchronous=FULL")
        if self._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return  # made before: opening writes nothing (no wait for the disk)
        with self._write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            # A newer file (a later version of the app) is left as it is.
            for step, script in enumerate((_SCHEMA, *_STEPS)):
                if version > step:
                    continue
                for statement in script.split(";"):
                    if statement.strip():
                        db.execute(statement)
            if version < SCHEMA_VERSION:
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        self._db.close()

    @property
    def db(self) -> sqlite3.Connection:
        """The file's connection, for the replica and the cart kept beside the outbox."""
        return self._db

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction on the file (``BEGIN IMMEDIATE``)."""
        with self._write() as db:
            yield db

    @contextmanager
    def together(self) -> Iterator[None]:
        """The changes made inside, one transaction (one wait for the disk): a batch of
        orders marked sending before their request leaves, or sent once answered."""
        with self._write():
            self._together = True
            try:
                yield
            finally:
                self._together = False

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self._together:  # part of the transaction open already
            yield self._db
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # --- queuing ---------------------------------------------------------------------------
    def queue(self, member_id: int, cart: Cart, checkout: Checkout, *,
              keep_key: bool = False) -> QueuedOrder:
        """The cart as seen, queued with a new key (the checkout's own with ``keep_key``:
        a checkout whose request may have reached the server keeps its key, so the server
        answers the queued order with the order that request placed, if it did): the
        order, its lines, the totals and the key in one transaction."""
        if cart.is_empty:
            raise e.ValidationError(N_("The cart is empty."), field="cart")
        key = checkout.idempotency_key if keep_key else uuid.uuid4().hex
        now = self.clock().isoformat()
        lines = [(line.product.code, line.quantity, line.paid_with_points)
                 for line in cart.lines if not line.is_gift]
        plain_checkout = wire.to_plain(Checkout, _with_key(checkout, key))
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO outbox (member_id, key, queued_at, state, checkout,"
                " delivery_product_code, seen, seen_cart, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (member_id, key, now, OutboxState.QUEUED.value, json.dumps(plain_checkout),
                 cart.delivery_product_code, _dump(SeenTotals, seen_totals(cart)),
                 _dump(Cart, cart), now))
            outbox_id = cursor.lastrowid
            db.executemany(
                "INSERT INTO outbox_lines VALUES (?, ?, ?, ?, ?)",
                [(outbox_id, number, code, quantity, int(points))
                 for number, (code, quantity, points) in enumerate(lines, 1)])
        assert outbox_id is not None
        return self.get(outbox_id)

    # --- reading ---------------------------------------------------------------------------
    def get(self, outbox_id: int) -> QueuedOrder:
        row = self._db.execute("SELECT * FROM outbox WHERE id = ?", (outbox_id,)).fetchone()
        if row is None:
            raise e.NotFound(N_("There is no queued order {number}."), field="number",
                             params={"number": f"Q-{outbox_id:06d}"})
        return self._read(row)

    def by_number(self, number: str) -> QueuedOrder:
        digits = number.strip().upper().removeprefix("Q-").lstrip("0") or "0"
        if not digits.isdigit():
            raise e.NotFound(N_("There is no queued order {number}."), field="number",
                             params={"number": number})
        return self.get(int(digits))

    def orders(self, member_id: int, *, states: tuple[OutboxState, ...] | None = None
               ) -> list[QueuedOrder]:
        """The member's queued orders, oldest first (in the order they are sent)."""
        wanted = states or tuple(OutboxState)
        marks = ",".join("?" * len(wanted))
        rows = self._db.execute(
            f"SELECT * FROM outbox WHERE member_id = ? AND state IN ({marks}) ORDER BY id",
            (member_id, *[s.value for s in wanted])).fetchall()
        return [self._read(row) for row in rows]

    def counts(self, member_id: int) -> dict[OutboxState, int]:
        """How many orders are in each state (the header's "2 queued, 1 waiting")."""
        rows = self._db.execute(
            "SELECT state, count(*) FROM outbox WHERE member_id = ? GROUP BY state",
            (member_id,)).fetchall()
        found = {OutboxState(state): count for state, count in rows}
        return {state: found.get(state, 0) for state in OutboxState}

    def _read(self, row: sqlite3.Row) -> QueuedOrder:
        lines = tuple(
            PreparedLine(line["code"], line["quantity"], bool(line["paid_with_points"]))
            for line in self._db.execute(
                "SELECT * FROM outbox_lines WHERE outbox_id = ? ORDER BY line_no",
                (row["id"],)))
        prepared = PreparedOrder(lines, wire.from_plain(Checkout, json.loads(row["checkout"])),
                                 wire.load(SeenTotals, row["seen"]),
                                 row["delivery_product_code"])
        return QueuedOrder(
            id=row["id"], member_id=row["member_id"], key=row["key"],
            queued_at=datetime.fromisoformat(row["queued_at"]),
            state=OutboxState(row["state"]), revision=row["revision"], prepared=prepared,
            seen_cart=wire.load(Cart, row["seen_cart"]),
            server_cart=wire.load(Cart, row["server_cart"]) if row["server_cart"] else None,
            differences=tuple(d for d in row["differences"].split(",") if d),
            order_number=row["order_number"],
            last_error=e.from_dict(json.loads(row["last_error"])) if row["last_error"] else None,
            attempts=row["attempts"])

    # --- what sync writes ------------------------------------------------------------------
    def mark_sending(self, order: QueuedOrder) -> bool:
        """Before the request leaves: from now on it may be on the server. False when the
        order changed meanwhile (another process settled it): then it is not sent."""
        return self._move(order, (OutboxState.QUEUED, OutboxState.SENDING),
                          "state = ?, attempts = attempts + 1",
                          (OutboxState.SENDING.value,))

    def mark_sent(self, order: QueuedOrder, order_number: str) -> bool:
        return self._move(order, (*TO_SEND, OutboxState.SENT),
                          "state = ?, order_number = ?, last_error = NULL, server_cart = NULL,"
                          " differences = ''", (OutboxState.SENT.value, order_number))

    def mark_waiting(self, order: QueuedOrder, refusal: e.DomainError,
                     server_cart: Cart | None, differences: list[str]) -> bool:
        return self._move(order, TO_SEND,
                          "state = ?, last_error = ?, server_cart = ?, differences = ?",
                          (OutboxState.WAITING.value, json.dumps(refusal.to_dict()),
                           _dump(Cart, server_cart) if server_cart else None,
                           ",".join(differences)))

    def note_error(self, order: QueuedOrder, error: e.DomainError) -> bool:
        """The order stays to be sent; the error is what the outbox screen shows."""
        return self._move(order, TO_SEND, "last_error = ?", (json.dumps(error.to_dict()),))

    def _move(self, order: QueuedOrder, allowed: tuple[OutboxState, ...], sets: str,
              values: tuple[Any, ...]) -> bool:
        marks = ",".join("?" * len(allowed))
        with self._write() as db:
            changed = db.execute(
                f"UPDATE outbox SET {sets}, updated_at = ? WHERE id = ? AND revision = ?"
                f" AND state IN ({marks})",
                (*values, self.clock().isoformat(), order.id, order.revision,
                 *[s.value for s in allowed])).rowcount
        return bool(changed)

    # --- decisions -------------------------------------------------------------------------
    def confirm(self, order: QueuedOrder) -> QueuedOrder:
        """Accept what the server would charge now: queued again at its figures."""
        current = self.get(order.id)
        if current.state is not OutboxState.WAITING or current.server_cart is None:
            raise e.Conflict(N_("Order {number} does not wait for a decision."),
                             field="number", params={"number": order.number})
        with self._write() as db:
            db.execute(
                "UPDATE outbox SET state = ?, revision = revision + 1, seen = ?, seen_cart = ?,"
                " server_cart = NULL, differences = '', last_error = NULL, updated_at = ?"
                " WHERE id = ?",
                (OutboxState.QUEUED.value, _dump(SeenTotals, seen_totals(current.server_cart)),
                 _dump(Cart, current.server_cart), self.clock().isoformat(), order.id))
        return self.get(order.id)

    def drop(self, order: QueuedOrder) -> QueuedOrder:
        """Give the order up. Only one the server surely does not hold: queued and never
        answered for, or waiting; one being sent may be placed already."""
        with self._write() as db:
            changed = db.execute(
                "UPDATE outbox SET state = ?, revision = revision + 1, updated_at = ?"
                " WHERE id = ? AND state IN (?, ?)",
                (OutboxState.DROPPED.value, self.clock().isoformat(), order.id,
                 OutboxState.QUEUED.value, OutboxState.WAITING.value)).rowcount
        if not changed:
            raise e.Conflict(
                N_("Order {number} may have reached the server already: sync first."),
                field="number", params={"number": order.number})
        return self.get(order.id)


def _with_key(checkout: Checkout, key: str) -> Checkout:
    from dataclasses import replace

    return replace(checkout, idempotency_key=key)


def _dump(annotation: Any, value: Any) -> str:
    return wire.dump(annotation, value).decode()
