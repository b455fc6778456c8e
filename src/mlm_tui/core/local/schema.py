"""The store's schema in SQLAlchemy Core, so the same tables serve SQLite and PostgreSQL.

Conventions that keep it fast and exact:
- money and points are Decimals stored as integers of hundredths (``Hundredths``);
- timestamps are naive UTC stored as ISO text ``YYYY-MM-DDTHH:MM:SS`` (``IsoDateTime``),
  which sorts correctly and lets the demo generator write rows without SQLAlchemy;
- a member's ``path`` is the chain of ids from the root (``/1/7/42/``), so "the downline
  of X" is one indexed prefix range.

Full-text tables (FTS5) are SQLite-only and created by raw DDL in :mod:`migrations`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.sql import false
from sqlalchemy.types import TypeDecorator

SCHEMA_VERSION = 16


class Hundredths(TypeDecorator[Decimal]):
    """A Decimal with two places, stored exactly as an integer of hundredths."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | None, dialect: object) -> int | None:
        if value is None:
            return None
        return int((Decimal(value) * 100).to_integral_value())

    def process_result_value(self, value: int | None, dialect: object) -> Decimal | None:
        if value is None:
            return None
        return Decimal(value).scaleb(-2)


def to_db_datetime(value: datetime) -> str:
    return value.replace(tzinfo=None, microsecond=0).isoformat()


def to_db_date(value: date) -> str:
    return value.isoformat()


class IsoDateTime(TypeDecorator[datetime]):
    impl = String(19)
    cache_ok = True

    def process_bind_param(self, value: datetime | str | None, dialect: object) -> str | None:
        if value is None or isinstance(value, str):
            return value
        return to_db_datetime(value)

    def process_result_value(self, value: str | None, dialect: object) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)


class IsoDate(TypeDecorator[date]):
    impl = String(10)
    cache_ok = True

    def process_bind_param(self, value: date | str | None, dialect: object) -> str | None:
        if value is None or isinstance(value, str):
            return value
        return value.isoformat()

    def process_result_value(self, value: str | None, dialect: object) -> date | None:
        return None if value is None else date.fromisoformat(value)


metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

company = Table(
    "company",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("profile", Text, nullable=False),  # JSON of CompanyProfile
)

members = Table(
    "members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("registration_number", String(20), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("full_name", String(200), nullable=False),
    Column("name_folded", String(200), nullable=False),  # casefolded, for search and duplicates
    Column("email", String(254)),
    Column("phone", String(32)),  # normalised: "+79161234567"
    Column("birth_date", IsoDate),
    Column("postcode", String(16)),
    Column("city", String(100)),
    Column("street", String(200)),
    Column("country", String(2)),
    Column("passport", String(40)),
    Column("sponsor_id", Integer, ForeignKey("members.id")),
    Column("enroller_id", Integer, ForeignKey("members.id")),
    Column("path", String(400), nullable=False),
    Column("registered_at", IsoDateTime, nullable=False),
    Column("activated_at", IsoDateTime),
    Column("closed_at", IsoDateTime),
    Column("loyalty_enrolled", Boolean, nullable=False, default=False),
    Column("loyalty_since", IsoDate),
    Column("password_hash", String(200)),
    Column("last_order_at", IsoDateTime),
    # Added in schema version 11: the language she reads ("ru", "de", "en"); None: the
    # company's. What is sent to her (e-mail, SMS, a PDF invoice) is written in it.
    Column("language", String(8)),
    CheckConstraint("kind in ('consultant','customer')", name="member_kind"),
    CheckConstraint("status in ('pending','active','closed')", name="member_status"),
)
Index("ix_members_path", members.c.path)
Index("ix_members_sponsor", members.c.sponsor_id)
Index("ix_members_email", members.c.email)
Index("ix_members_phone", members.c.phone)
Index("ix_members_name_birth", members.c.name_folded, members.c.birth_date)

login_failures = Table(
    "login_failures",
    metadata,
    Column("login_key", String(254), primary_key=True),  # see core.login_throttle
    Column("failures", Integer, nullable=False),
    Column("last_failed_at", IsoDateTime, nullable=False),
    Column("locked_until", IsoDateTime),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # sha256 of the token; never the token
    Column("member_id", Integer, ForeignKey("members.id"), nullable=False),
    Column("created_at", IsoDateTime, nullable=False),
    Column("expires_at", IsoDateTime, nullable=False),
    # Added in schema version 12: a session opened by an SSH key ends with the key.
    Column("key_id", Integer),
)

one_time_codes = Table(
    "one_time_codes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", Integer, ForeignKey("members.id"), nullable=False),
    Column("purpose", String(16), nullable=False),  # "reset" | "activation"
    Column("code_hash", String(200), nullable=False),
    Column("created_at", IsoDateTime, nullable=False),
    Column("expires_at", IsoDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("used_at", IsoDateTime),
)
Index("ix_codes_member", one_time_codes.c.member_id, one_time_codes.c.purpose)

periods = Table(
    "periods",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(16), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("starts_on", IsoDate, nullable=False),
    Column("ends_on", IsoDate, nullable=False),
    Column("ordering_open", Boolean, nullable=False, default=True),
)

categories = Table(
    "categories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
)

products = Table(
    "products",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("period_id", Integer, ForeignKey("periods.id"), nullable=False),
    Column("code", String(16), nullable=False),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("category_id", Integer, ForeignKey("categories.id"), nullable=False),
    Column("retail_price", Hundredths, nullable=False),
    Column("consultant_price", Hundredths, nullable=False),
    Column("points", Hundredths, nullable=False),
    Column("stock", Integer, nullable=False),
    UniqueConstraint("period_id", "code", name="uq_product_period_code"),
)
Index("ix_products_category", products.c.period_id, products.c.category_id, products.c.code)

promotions = Table(
    "promotions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("period_id", Integer, ForeignKey("periods.id"), nullable=False),
    Column("kind", String(24), nullable=False),
    Column("title", String(200), nullable=False),
    Column("product_code", String(16)),
    Column("percent", Hundredths, nullable=False, default=0),
    Column("threshold", Hundredths),
    Column("closed_sale", Boolean, nullable=False, default=False),
)

cart_lines = Table(
    "cart_lines",
    metadata,
    Column("member_id", Integer, ForeignKey("members.id"), primary_key=True),
    Column("product_code", String(16), primary_key=True),
    Column("quantity", Integer, nullable=False),
    Column("added_at", IsoDateTime, nullable=False),
    # Added in schema version 4: the line is paid from the points wallet, not with money.
    Column("paid_with_points", Boolean, nullable=False, default=False,
           server_default=false()),
    CheckConstraint("quantity > 0", name="cart_quantity_positive"),
)

cart_choices = Table(
    "cart_choices",
    metadata,
    Column("member_id", Integer, ForeignKey("members.id"), primary_key=True),
    Column("delivery_product_code", String(16)),
)

orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(20), nullable=False, unique=True),
    Column("buyer_id", Integer, ForeignKey("members.id"), nullable=False),
    Column("placed_by_id", Integer, ForeignKey("members.id"), nullable=False),
    Column("source", String(2), nullable=False),
    Column("status", String(16), nullable=False),
    Column("period_id", Integer, ForeignKey("periods.id"), nullable=False),
    Column("placed_at", IsoDateTime, nullable=False),
    Column("retail", Hundredths, nullable=False),
    Column("discount", Hundredths, nullable=False),
    Column("delivery_fee", Hundredths, nullable=False),
    Column("total", Hundredths, nullable=False),
    Column("points", Hundredths, nullable=False),
    Column("payment_method", String(20), nullable=False),
    Column("delivery_method", String(20), nullable=False),
    Column("pickup_point", String(16)),
    Column("idempotency_key", String(64), unique=True),
    # When the money arrived (from the balance at once; at the door or the counter later):
    # the order earns its points then. None while it is unpaid.
    Column("paid_at", IsoDateTime),
    CheckConstraint("source in ('SO','IO','AS','IN')", name="order_source"),
)
Index("ix_orders_placed", orders.c.placed_at, orders.c.id)
# A member's orders by date: keyset pages, and counts, which read the narrowest index.
ORDERS_BY_BUYER = Index("ix_orders_buyer_placed", orders.c.buyer_id, orders.c.placed_at,
                        orders.c.id)
# The same, carrying what a month's volume adds up: three months from the index alone.
ORDERS_VOLUME = Index("ix_orders_buyer_volume", orders.c.buyer_id, orders.c.placed_at,
                      orders.c.status, orders.c.source, orders.c.points)

order_lines = Table(
    "order_lines",
    metadata,
    Column("order_id", Integer, ForeignKey("orders.id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("product_code", String(16), nullable=False),
    Column("product_name", String(200), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_retail", Hundredths, nullable=False),
    Column("unit_price", Hundredths, nullable=False),
    Column("points_each", Hundredths, nullable=False),
    Column("is_gift", Boolean, nullable=False, default=False),
)

order_status_history = Table(
    "order_status_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("at", IsoDateTime, nullable=False),
    Column("note", String(200), nullable=False, default=""),
)
Index("ix_status_history_order", order_status_history.c.order_id)

invoices = Table(
    "invoices",
    metadata,
    Column("number", String(20), primary_key=True),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False, unique=True),
    Column("issued_at", IsoDateTime, nullable=False),
)

shipments = Table(
    "shipments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False, unique=True),
    Column("carrier", String(16), nullable=False),
    Column("tracking_number", String(40), nullable=False),
    Column("shipped_at", IsoDateTime, nullable=False),
    Column("status", String(20), nullable=False),
    Column("estimated_from", IsoDate),
    Column("estimated_to", IsoDate),
)
Index("ix_shipments_status", shipments.c.status)

shipment_events = Table(
    "shipment_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("shipment_id", Integer, ForeignKey("shipments.id"), nullable=False),
    Column("at", IsoDateTime, nullable=False),
    Column("station", String(100), nullable=False),
    Column("description", String(200), nullable=False),
)
Index("ix_shipment_events_shipment", shipment_events.c.shipment_id)

# The service's queue of delivery stops: one per order, decided once.
delivery_stops = Table(
    "delivery_stops",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False, unique=True),
    Column("requested_at", IsoDateTime, nullable=False),
    Column("returned", Boolean, nullable=False, default=False),  # the carrier sent it back
    Column("state", String(16), nullable=False),
    Column("decided_at", IsoDateTime),
    Column("decided_by", String(200), nullable=False, default=""),
    Column("credit", Hundredths),
    Column("note", String(200), nullable=False, default=""),
)
Index("ix_delivery_stops_state", delivery_stops.c.state)

balance_ledger = Table(
    "balance_ledger",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", Integer, ForeignKey("members.id"), nullable=False),
    Column("at", IsoDateTime, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("amount", Hundredths, nullable=False),  # signed
    Column("order_id", Integer, ForeignKey("orders.id")),
    Column("note", String(200), nullable=False, default=""),
    # Added in schema version 13: who confirmed the money of a credit (a PaymentSource).
    Column("source", String(16)),
)
Index("ix_balance_member", balance_ledger.c.member_id, balance_ledger.c.id)
# An order's entries (what it took, refunds, fees): read whenever an order is shown.
Index("ix_balance_order", balance_ledger.c.order_id)

points_ledger = Table(
    "points_ledger",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", Integer, ForeignKey("members.id"), nullable=False),
    Column("at", IsoDateTime, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("points", Hundredths, nullable=False),  # signed
    Column("expires_on", IsoDate),
    Column("order_id", Integer, ForeignKey("orders.id")),
    Column("note", String(200), nullable=False, default=""),
)
Index("ix_points_member", points_ledger.c.member_id, points_ledger.c.id)
Index("ix_points_order", points_ledger.c.order_id)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(20), nullable=False, unique=True),
    Column("member_id", Integer, ForeignKey("members.id"), nullable=False),
    Column("invoice_number", String(20), ForeignKey("invoices.number"), nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("submitted_at", IsoDateTime, nullable=False),
    Column("decision_due", IsoDate, nullable=False),
    Column("decision", Text),
    # Added in schema version 3: when the service decided, and what it credited.
    Column("decided_at", IsoDateTime),
    Column("credit", Hundredths),
    # Added in schema version 11: the service's own words on its decision (the reason of
    # a rejection, a note on an acceptance), the decision being worded from the status and
    # the credit in the reader's language; ``decision`` keeps it in English. None: decided
    # before, and ``decision`` is shown as written.
    Column("note", Text),
)

claim_lines = Table(
    "claim_lines",
    metadata,
    Column("claim_id", Integer, ForeignKey("claims.id"), primary_key=True),
    Column("product_code", String(16), primary_key=True),
    Column("quantity", Integer, nullable=False),
)

notifications = Table(
    "notifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", Integer, ForeignKey("members.id"), nullable=False),
    Column("at", IsoDateTime, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("read_at", IsoDateTime),
    # Added in schema version 11: what the notice says as a code and its parameters (JSON),
    # worded in the reader's language when shown. Without a code (older notices, the
    # company's own messages) ``title`` and ``body`` are shown as written.
    Column("code", String(40)),
    Column("params", Text),
)
Index("ix_notifications_member", notifications.c.member_id, notifications.c.id)

# Added in schema version 2: "Successful start" lessons a member has finished.
training_progress = Table(
    "training_progress",
    metadata,
    Column("member_id", Integer, ForeignKey("members.id"), primary_key=True),
    Column("lesson", String(40), primary_key=True),
    Column("completed_at", IsoDateTime, nullable=False),
)

# Added in schema version 9: the team server's answers to requests that create something,
# kept under the client's Idempotency-Key so that a retry gets the same answer and does
# not create twice. ``status`` NULL: the first request is still being answered.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("member_id", Integer, ForeignKey("members.id"), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("request_hash", String(64), nullable=False),  # sha256 of the method, path, body
    Column("created_at", IsoDateTime, nullable=False),
    Column("status", Integer),
    Column("response", Text),
)

# Added in schema version 9: how many sign-in, reset and registration requests each client
# address made in its current window, so that every server process on the store counts
# them together.
address_requests = Table(
    "address_requests",
    metadata,
    Column("key", String(300), primary_key=True),  # "sign_in:203.0.113.7"
    Column("window_start", IsoDateTime, nullable=False),
    Column("requests", Integer, nullable=False),
)

# Added in schema version 12: the public keys members sign in with over SSH. OpenSSH
# authenticates; ``mlm-tui ssh-keys`` finds a presented key here by its fingerprint.
member_keys = Table(
    "member_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", Integer, ForeignKey("members.id"), nullable=False),
    Column("key_type", String(64), nullable=False),
    Column("key_blob", Text, nullable=False),  # base64, as OpenSSH presents it
    Column("fingerprint", String(64), nullable=False, unique=True),  # "SHA256:…"
    Column("comment", String(200), nullable=False),
    Column("added_at", IsoDateTime, nullable=False),
)
Index("ix_member_keys_member", member_keys.c.member_id, member_keys.c.id)
# Added in schema version 13: the company's service staff, apart from the members. They
# sign in with a name and a password (argon2id) and hold sessions of their own.
service_accounts = Table(
    "service_accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("created_at", IsoDateTime, nullable=False),
    Column("disabled_at", IsoDateTime),
)

service_sessions = Table(
    "service_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # sha256 of the token; never the token
    Column("account_id", Integer, ForeignKey("service_accounts.id"), nullable=False),
    Column("created_at", IsoDateTime, nullable=False),
    Column("expires_at", IsoDateTime, nullable=False),
)

# Added in schema version 13: money the company waits for (a top-up, an order paid
# elsewhere). Nothing is credited until a request is confirmed.
payment_requests = Table(
    "payment_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(24), nullable=False, unique=True),
    Column("member_id", Integer, ForeignKey("members.id"), nullable=False),
    Column("purpose", String(16), nullable=False),
    Column("order_id", Integer, ForeignKey("orders.id")),
    Column("method", String(16), nullable=False),
    Column("amount", Hundredths, nullable=False),
    Column("state", String(16), nullable=False),
    Column("requested_at", IsoDateTime, nullable=False),
    Column("decided_at", IsoDateTime),
    Column("source", String(16)),
    # What confirmed or refused it: the provider's event id, the statement entry, the
    # service account's name.
    Column("decided_by", String(200), nullable=False, default=""),
    Column("note", String(200), nullable=False, default=""),
    CheckConstraint("amount > 0", name="payment_amount_positive"),
)
Index("ix_payment_requests_member", payment_requests.c.member_id, payment_requests.c.id)
Index("ix_payment_requests_state", payment_requests.c.state)
Index("ix_payment_requests_order", payment_requests.c.order_id)

# Added in schema version 13: every notification a payment provider sent, by its own
# event id, so that the same notification sent twice is acted on once.
provider_events = Table(
    "provider_events",
    metadata,
    Column("event_id", String(200), primary_key=True),
    Column("received_at", IsoDateTime, nullable=False),
    Column("reference", String(24), nullable=False),
    Column("outcome", String(16), nullable=False),
)
