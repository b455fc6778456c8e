"""The business's nouns as frozen dataclasses.

Money is :class:`Money` (a ``Decimal`` with a currency); points are ``Decimal``.
Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Generic, TypeVar

from mlm_tui.core.money import Money

T = TypeVar("T")


# --- members -------------------------------------------------------------------------------


class MemberKind(StrEnum):
    CONSULTANT = "consultant"
    CUSTOMER = "customer"


class MemberStatus(StrEnum):
    PENDING = "pending"  # registered, not yet activated
    ACTIVE = "active"
    CLOSED = "closed"  # removed by retention or on request


@dataclass(frozen=True, slots=True)
class Address:
    postcode: str
    city: str
    street: str
    country: str = "RU"

    def one_line(self) -> str:
        return f"{self.postcode} {self.city}, {self.street}"


@dataclass(frozen=True, slots=True)
class Member:
    id: int
    registration_number: str
    kind: MemberKind
    status: MemberStatus
    full_name: str
    email: str | None
    phone: str | None
    birth_date: date | None
    address: Address | None
    passport: str | None
    sponsor_id: int | None
    enroller_id: int | None
    registered_at: datetime
    loyalty_enrolled: bool = False
    loyalty_since: date | None = None
    last_order_at: datetime | None = None
    # As an upline sees a downline: e-mail, phone and address masked, passport and birth
    # date withheld (``core.privacy.as_seen_by_upline``).
    masked: bool = False
    # The language she reads ("ru", "de", "en"); None: the company's. What is sent to her
    # (e-mail, SMS, a PDF invoice) is written in it.
    language: str | None = None

    @property
    def city(self) -> str:
        return self.address.city if self.address else ""


@dataclass(frozen=True, slots=True)
class BuyerFacts:
    """What the order-type check needs to know about an order's buyer
    (:mod:`mlm_tui.core.order_checks`). Orders carry it, so checking a page of them asks
    the backend for nothing more; none of it is withheld from an upline."""

    kind: MemberKind
    registered_at: datetime
    loyalty_enrolled: bool
    loyalty_since: date | None = None

    @classmethod
    def of(cls, member: Member) -> BuyerFacts:
        return cls(member.kind, member.registered_at, member.loyalty_enrolled,
                   member.loyalty_since)


@dataclass(frozen=True, slots=True)
class MemberRef:
    """Just enough of a member to name them (enroller, sponsor, a tree node)."""

    id: int
    registration_number: str
    full_name: str


@dataclass(frozen=True, slots=True)
class MemberMatch:
    """A row of a name search: what tells members with the same name apart."""

    id: int
    registration_number: str
    full_name: str
    city: str
    phone_masked: str
    last_order_at: datetime | None
    status: MemberStatus


@dataclass(frozen=True, slots=True)
class MonthVolume:
    month: str  # "YYYY-MM"
    points: Decimal
    orders: int
    loyalty_orders: int  # AS orders that month

    @property
    def ordered(self) -> bool:
        return self.orders > 0


@dataclass(frozen=True, slots=True)
class MemberOverview:
    member: Member
    enroller: MemberRef | None
    sponsor: MemberRef | None
    volume: tuple[MonthVolume, ...]  # the last three months, oldest first


@dataclass(frozen=True, slots=True)
class TeamNode:
    member: MemberRef
    kind: MemberKind
    status: MemberStatus
    points_this_month: Decimal
    children: int  # direct downline size, so the tree knows whether a node expands


@dataclass(frozen=True, slots=True)
class TeamRoot:
    """The team screen as it opens: the signed-in member's own node and the first level."""

    me: TeamNode
    children: tuple[TeamNode, ...]


@dataclass(frozen=True, slots=True)
class Registration:
    """What a sponsor types to register a new consultant into their team."""

    full_name: str
    birth_date: date
    email: str
    phone: str
    address: Address
    passport: str | None = None
    kind: MemberKind = MemberKind.CONSULTANT
    # The language her activation code is written in and kept as hers: the interface's
    # language of the one registering her; None: the company's.
    language: str | None = None


# --- sessions and accounts -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Session:
    token: str  # only ever shown to the client; the store keeps its hash
    member_id: int
    registration_number: str
    full_name: str
    expires_at: datetime
    # The language she chose to read ("ru", "de", "en"); None: the company's. The interface
    # switches to it as she signs in, on any computer.
    language: str | None = None


@dataclass(frozen=True, slots=True)
class SshKey:
    """A public key a member signs in with over SSH (OpenSSH checks it; we map it to her)."""

    id: int
    key_type: str  # "ssh-ed25519"
    fingerprint: str  # "SHA256:…", as ``ssh-keygen -l`` shows it
    comment: str  # what followed the key on its line, often "anna@laptop"
    added_at: datetime


@dataclass(frozen=True, slots=True)
class ResetRequest:
    """The answer to "forgot password": the same shape whether or not the account exists."""

    destination_masked: str  # e.g. "i***a@mail.ru, +7 *** ***-**-17"
    expires_at: datetime
    resend_after: datetime


class Delivery(StrEnum):
    SENT = "sent"  # out through the mail server or the SMS gateway
    KEPT = "kept"  # none is set: kept in the local mail folder


@dataclass(frozen=True, slots=True)
class MessageDelivery:
    """How this installation sends e-mail and SMS: what a screen says of where a code went."""

    email: Delivery
    sms: Delivery


# --- company -------------------------------------------------------------------------------


class PaymentMethod(StrEnum):
    BALANCE = "balance"  # from the advance on the member's account
    SERVICE_CENTRE = "service_centre"
    CASH_TO_COURIER = "cash_to_courier"
    INSTALMENTS = "instalments"


class DeliveryMethod(StrEnum):
    PICKUP_POINT = "pickup_point"
    SERVICE_CENTRE = "service_centre"
    COURIER = "courier"


class TopUpMethod(StrEnum):
    CARD = "card"
    TERMINAL = "terminal"
    TRANSFER = "transfer"  # a bank transfer quoting the top-up's reference


@dataclass(frozen=True, slots=True)
class Carrier:
    code: str
    name: str
    tracking_url: str  # template with "{number}"
    country: str = ""  # ISO code of the country it delivers in; "" anywhere

    def tracking_link(self, number: str) -> str:
        # Not str.format: a template is the company's text, and "{number.__class__}" or a
        # stray "{" in it must not run or fail. The number is quoted: it is data too.
        from urllib.parse import quote

        return self.tracking_url.replace("{number}", quote(number, safe=""))


@dataclass(frozen=True, slots=True)
class PickupPoint:
    code: str
    name: str
    address: str
    kind: DeliveryMethod  # PICKUP_POINT or SERVICE_CENTRE
    country: str = ""  # ISO code of the country it stands in


@dataclass(frozen=True, slots=True)
class CompanyProfile:
    name: str
    currency: str
    locale: str  # "ru", "de", "en"
    points_label: str  # "BB", "PV"
    consultant_discount: Decimal  # 0.20 for 20 %
    # What cancelling withholds from the balance: forming the order always, delivering it
    # there and back only when it was delivered (shipped) before it came back.
    cancellation_forming_fee: Money
    cancellation_round_trip_fee: Money
    delivery_fee: Money
    free_delivery_from: Money | None
    monthly_points_target: Decimal
    carriers: tuple[Carrier, ...]
    payment_methods: tuple[PaymentMethod, ...]
    pickup_points: tuple[PickupPoint, ...]
    claim_decision_days: int = 7
    retention_no_order_months: int = 3
    retention_after_last_order_months: int = 12
    # The points wallet (sponsor / loyalty points). An order credits this share of its
    # points to the wallet of who placed it; those points expire after the days given
    # (the demo's sponsor points live a year). A wallet point buys products worth
    # ``money_per_wallet_point`` in the company's currency.
    wallet_points_share: Decimal = Decimal("0.10")
    wallet_points_valid_days: int = 365
    money_per_wallet_point: Decimal = Decimal(1)
    # The demo store's payments: no provider or bank confirms them, so the member confirms
    # her own with a step labelled "demo payment". Never on a real company's store.
    demo_payments: bool = False
    # VAT: prices are gross; the standard rate (0.19 for 19 %), and the categories taxed
    # at another rate by name. Neither set: the company's invoices show no VAT.
    vat_standard_rate: Decimal = Decimal(0)
    vat_reduced: tuple[tuple[str, Decimal], ...] = ()

    def carrier(self, code: str) -> Carrier | None:
        return next((c for c in self.carriers if c.code == code), None)


# --- catalog -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CatalogPeriod:
    code: str  # "2026-13"
    name: str
    starts_on: date
    ends_on: date
    ordering_open: bool


@dataclass(frozen=True, slots=True)
class Category:
    id: int
    name: str
    products: int


@dataclass(frozen=True, slots=True)
class Product:
    code: str
    name: str
    category: str
    period: str
    retail_price: Money
    consultant_price: Money
    points: Decimal
    stock: int
    promotion_marks: tuple[str, ...] = ()  # short labels of promotions on this product
    description: str = ""
    # What the signed-in buyer pays for one unit, promotions included: set by the catalog
    # from ``pricing.unit_price``, the same rule the cart charges by.
    your_price: Money | None = None

    @property
    def available(self) -> bool:
        return self.stock > 0

    @property
    def price(self) -> Money:
        """The price to show; a product read without a buyer is at the consultant price."""
        return self.your_price if self.your_price is not None else self.consultant_price


class PromotionKind(StrEnum):
    PERCENT_OFF = "percent_off"  # a product (or the whole cart when no product) at a discount
    GIFT_OVER_THRESHOLD = "gift_over_threshold"  # a free product when the cart reaches a sum
    DELIVERY_PRODUCT = "delivery_product"  # choose a product instead of paying delivery


@dataclass(frozen=True, slots=True)
class Promotion:
    id: int
    period: str
    kind: PromotionKind
    title: str
    product_code: str | None = None  # PERCENT_OFF on one product; the gift; a delivery product
    percent: Decimal = Decimal(0)
    threshold: Money | None = None
    closed_sale: bool = False  # for consultants only, announced in the cabinet


# --- cart and orders -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CartLine:
    product: Product
    quantity: int
    retail: Money  # retail price x quantity
    discount: Money  # consultant discount and promotions on this line
    to_pay: Money
    points: Decimal
    is_gift: bool = False
    paid_with_points: bool = False  # paid from the points wallet instead of with money
    points_spent: Decimal = Decimal(0)  # wallet points this line costs


@dataclass(frozen=True, slots=True)
class PromotionProgress:
    promotion: Promotion
    applied: bool
    missing: Money | None  # what the cart still lacks to reach the threshold


@dataclass(frozen=True, slots=True)
class Cart:
    lines: tuple[CartLine, ...]
    retail: Money
    discount: Money
    delivery_fee: Money
    to_pay: Money  # lines + delivery
    points: Decimal
    promotions: tuple[PromotionProgress, ...] = ()
    delivery_product_code: str | None = None  # chosen instead of paying the delivery fee
    points_spent: Decimal = Decimal(0)  # wallet points the lines paid with points cost

    @property
    def is_empty(self) -> bool:
        return not self.lines


class OrderSource(StrEnum):
    """The "Quelle" column."""

    SO = "SO"  # standard order
    IO = "IO"  # internet order as a wholesale/preferred customer
    AS = "AS"  # loyalty (autoship) order
    IN = "IN"  # enrollment order


class OrderStatus(StrEnum):
    PLACED = "placed"
    PAID = "paid"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    STOP_REQUESTED = "stop_requested"  # shipped, then stopped with the carrier
    CREDITED = "credited"  # the stopped parcel came back and the amount was credited


# The lifecycle: the only moves a status may make.
# An order paid to the courier or at the service centre ships before its money arrives
# (PLACED -> SHIPPED); a delivery stop the service refuses puts the parcel back on its way
# (STOP_REQUESTED -> SHIPPED).
ORDER_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PLACED: frozenset({OrderStatus.PAID, OrderStatus.SHIPPED,
                                   OrderStatus.CANCELLED}),
    OrderStatus.PAID: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED, OrderStatus.STOP_REQUESTED}),
    OrderStatus.STOP_REQUESTED: frozenset({OrderStatus.CREDITED, OrderStatus.SHIPPED}),
    OrderStatus.DELIVERED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
    OrderStatus.CREDITED: frozenset(),
}


def can_move(current: OrderStatus, target: OrderStatus) -> bool:
    return target in ORDER_TRANSITIONS[current]


@dataclass(frozen=True, slots=True)
class OrderLine:
    line_no: int
    product_code: str
    product_name: str
    quantity: int
    unit_retail: Money
    unit_price: Money  # what was paid per unit
    points_each: Decimal
    is_gift: bool = False

    @property
    def total(self) -> Money:
        return self.unit_price * self.quantity

    @property
    def points(self) -> Decimal:
        return self.points_each * self.quantity


@dataclass(frozen=True, slots=True)
class StatusChange:
    status: OrderStatus
    at: datetime
    note: str = ""


@dataclass(frozen=True, slots=True)
class OrderSummary:
    """One row of the history grid."""

    id: int
    number: str
    placed_at: datetime
    buyer_id: int
    buyer_name: str
    buyer_registration_number: str
    source: OrderSource
    status: OrderStatus
    points: Decimal
    total: Money
    invoice_number: str | None
    buyer: BuyerFacts


@dataclass(frozen=True, slots=True)
class Order:
    id: int
    number: str
    placed_at: datetime
    buyer: MemberRef
    placed_by: MemberRef
    source: OrderSource
    status: OrderStatus
    period: str
    lines: tuple[OrderLine, ...]
    retail: Money
    discount: Money
    delivery_fee: Money
    total: Money
    points: Decimal
    payment_method: PaymentMethod
    delivery_method: DeliveryMethod
    pickup_point: str | None
    invoice_number: str | None
    history: tuple[StatusChange, ...]
    buyer_facts: BuyerFacts
    idempotency_key: str | None = None
    points_spent: Decimal = Decimal(0)  # wallet points that paid some of its lines
    paid_at: datetime | None = None  # None: not paid yet, so its points are still pending
    # What cancelling it withheld from the balance, part by part; empty when nothing was.
    cancellation_fees: tuple[FeePart, ...] = ()
    # Its parcel, once shipped: the order screen shows it and offers tracking with no
    # second request.
    shipment: Shipment | None = None
    # Its delivery stop, once requested: where the service's decision stands.
    delivery_stop: DeliveryStop | None = None

    @property
    def points_pending(self) -> bool:
        """Its points are not earned yet: it is waiting for its money."""
        return self.paid_at is None and self.status is OrderStatus.PLACED


@dataclass(frozen=True, slots=True)
class Checkout:
    """What the consultant chose at checkout. ``idempotency_key`` makes a retry safe."""

    delivery_method: DeliveryMethod
    payment_method: PaymentMethod
    idempotency_key: str
    pickup_point: str | None = None
    buyer_id: int | None = None  # order for a customer of the team; None = for oneself
    source: OrderSource | None = None  # None = chosen by the rules (SO, IN for a first order...)


@dataclass(frozen=True, slots=True)
class PreparedLine:
    """A line of an order made ready away from the server: what, how many, and whether it
    is paid from the points wallet."""

    code: str
    quantity: int
    paid_with_points: bool = False


@dataclass(frozen=True, slots=True)
class SeenTotals:
    """What the consultant saw an order cost when she made it ready: the server places it
    only if it would charge exactly this (see ``Backend.place_prepared_order``)."""

    to_pay: Money
    points: Decimal
    points_spent: Decimal = Decimal(0)
    gifts: tuple[str, ...] = ()  # codes of the free lines promotions added


@dataclass(frozen=True, slots=True)
class PreparedOrder:
    """An order made ready without the server's cart (offline, in the outbox): its lines,
    the checkout choices with the order's own key, and the totals the consultant saw."""

    lines: tuple[PreparedLine, ...]
    checkout: Checkout
    seen: SeenTotals
    delivery_product_code: str | None = None


@dataclass(frozen=True, slots=True)
class PreparedOutcome:
    """What became of one order of a batch (``Backend.place_prepared_orders``), by its
    key: placed (``order``), or refused with ``error``, the domain error's wire form
    (``DomainError.to_dict``) as JSON."""

    key: str
    order: Order | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class OrderFilter:
    member_id: int | None = None  # None = self and the whole downline
    month: str | None = None  # "YYYY-MM"
    source: OrderSource | None = None
    status: OrderStatus | None = None
    newest_first: bool = True


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a keyset-paginated list. ``next_after`` feeds the next call."""

    items: tuple[T, ...]
    next_after: str | None


@dataclass(frozen=True, slots=True)
class MonthCount:
    month: str  # "YYYY-MM"
    orders: int


@dataclass(frozen=True, slots=True)
class OrderHistory:
    """The history grid as it opens, in one answer: the first page, how long the whole
    list is (the scrollbar), the months for the menu and whose orders these are."""

    page: Page[OrderSummary]
    total: int  # orders matching the filters
    # The months holding orders that match the filters other than their month, newest
    # first: the month menu.
    months: tuple[str, ...]
    member: MemberRef | None  # the member the filters name


@dataclass(frozen=True, slots=True)
class FeePart:
    """One part of a cancellation fee: what it pays for (a message the client words)."""

    what: str
    amount: Money


@dataclass(frozen=True, slots=True)
class CancellationQuote:
    order_number: str
    shipped: bool  # True -> a delivery stop and credit request, not a plain cancel
    fee: Money  # the sum of ``fee_parts``
    refund: Money
    steps: tuple[str, ...] = ()
    fee_parts: tuple[FeePart, ...] = ()


# --- invoices and shipments ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Invoice:
    number: str
    order_number: str
    issued_at: datetime
    buyer: MemberRef
    buyer_email: str | None
    lines: tuple[OrderLine, ...]
    retail: Money
    discount: Money
    delivery_fee: Money
    total: Money
    points: Decimal
    vat: tuple[VatLine, ...] = ()  # per rate, highest first; empty: no VAT charged
    # The buyer's own language, which the PDF and its e-mail are written in; None: the
    # company's.
    buyer_language: str | None = None


@dataclass(frozen=True, slots=True)
class VatLine:
    """One VAT rate of an invoice: net + vat = gross, to the cent."""

    rate: Decimal  # 0.19 for 19 %
    net: Money
    vat: Money
    gross: Money


@dataclass(frozen=True, slots=True)
class InvoiceMailed:
    """Where an e-mailed invoice went."""

    recipient: str
    kept_in: str | None = None  # no mail server is set: the local mail folder keeping it


class ShipmentStatus(StrEnum):
    LABEL_CREATED = "label_created"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    STOPPED = "stopped"
    RETURNED = "returned"


@dataclass(frozen=True, slots=True)
class ShipmentEvent:
    at: datetime
    station: str
    description: str


@dataclass(frozen=True, slots=True)
class Shipment:
    order_number: str
    carrier: Carrier
    tracking_number: str
    shipped_at: datetime
    status: ShipmentStatus
    estimated_from: date | None
    estimated_to: date | None
    events: tuple[ShipmentEvent, ...] = ()
    buyer_name: str = ""

    @property
    def tracking_link(self) -> str:
        return self.carrier.tracking_link(self.tracking_number)


class DeliveryStopState(StrEnum):
    REQUESTED = "requested"  # waiting for the service
    CREDITED = "credited"  # the parcel came back: its amount is on the balance
    REFUSED = "refused"  # could not be stopped: the parcel goes on to the buyer


@dataclass(frozen=True, slots=True)
class DeliveryStop:
    """A shipped order's delivery stop: asked by its buyer, or opened by the carrier
    sending the parcel back; decided by the company's service."""

    order_number: str
    requested_at: datetime
    state: DeliveryStopState
    decided_at: datetime | None = None
    credit: Money | None = None  # what went to the balance, once credited
    note: str = ""  # the service's words: why refused, or a note with the credit
    returned: bool = False  # opened by the carrier's return, not by the member


# --- money and points ledgers --------------------------------------------------------------


class LedgerKind(StrEnum):
    TOP_UP = "top_up"
    PAYMENT = "payment"
    REFUND = "refund"
    FEE = "fee"


class PaymentSource(StrEnum):
    """Who confirmed that money arrived: the ledger names it beside every credit."""

    PROVIDER = "provider"  # the card or terminal provider's signed notification
    STATEMENT = "statement"  # a bank statement import (camt.053 or CSV)
    SERVICE = "service"  # the company's service, by hand
    DEMO = "demo"  # the demo store's own step: no money moved


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    id: int
    at: datetime
    kind: LedgerKind
    amount: Money  # signed: payments and fees are negative
    note: str = ""
    order_number: str | None = None
    source: PaymentSource | None = None  # for a confirmed payment: who confirmed it


class PaymentState(StrEnum):
    PENDING = "pending"  # requested; no money has arrived yet
    CONFIRMED = "confirmed"
    REJECTED = "rejected"  # declined by the provider or the service
    CANCELLED = "cancelled"  # its order was cancelled before the money came


class PaymentPurpose(StrEnum):
    TOP_UP = "top_up"  # credits the balance when confirmed
    ORDER = "order"  # pays an order placed to be paid elsewhere: it is paid when confirmed


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    """Money the company waits for: a top-up or an order paid elsewhere. ``reference`` is
    what the member quotes (on a transfer, at the terminal); a top-up is ``TU-2612-000001``,
    an order's payment its order number."""

    reference: str
    purpose: PaymentPurpose
    method: str  # a TopUpMethod, or the order's PaymentMethod
    amount: Money
    state: PaymentState
    requested_at: datetime
    decided_at: datetime | None = None
    source: PaymentSource | None = None
    note: str = ""  # why it was rejected
    order_number: str | None = None


class PointsKind(StrEnum):
    EARNED = "earned"
    SPENT = "spent"
    EXPIRED = "expired"
    # A cancelled order's points: what it earned taken back (negative), what it spent
    # given back (positive).
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class PointsEntry:
    id: int
    at: datetime
    kind: PointsKind
    points: Decimal  # signed
    expires_on: date | None = None
    note: str = ""


# --- claims and notifications --------------------------------------------------------------


class ClaimStatus(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class ClaimLine:
    product_code: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Claim:
    number: str
    invoice_number: str
    reason: str
    lines: tuple[ClaimLine, ...]
    status: ClaimStatus
    submitted_at: datetime
    decision_due: date
    decision: str | None = None
    decided_at: datetime | None = None
    credit: Money | None = None  # what an accepted claim put back on the balance
    # The service's own words (the reason of a rejection, a note on an acceptance), the
    # decision itself being worded from the status and the credit in the reader's language
    # (``core.notices.word_decision``). None: decided before decisions were kept so, and
    # ``decision`` is shown as it was written.
    note: str | None = None


class NotificationKind(StrEnum):
    CLAIM = "claim"
    SHIPPING = "shipping"
    PROMOTION = "promotion"
    ACCOUNT = "account"


@dataclass(frozen=True, slots=True)
class Notification:
    """A message in the inbox. One with a ``code`` is worded when shown, in the reader's
    language, from its ``params`` (``core.notices``); ``title`` and ``body`` are its English
    wording, and the only text of one without a code (older notices, the company's own)."""

    id: int
    at: datetime
    kind: NotificationKind
    title: str
    body: str
    read: bool = False
    code: str | None = None
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AccountSummary:
    """What the header shows: who is signed in and what they have."""

    member: MemberRef
    balance: Money
    points: Decimal  # points wallet (sponsor / loyalty points)
    points_this_month: Decimal


# --- home screen alerts --------------------------------------------------------------------


class AlertKind(StrEnum):
    NO_RECENT_ORDER = "no_recent_order"  # first-level members silent for three months
    POINTS_SHORTFALL = "points_shortfall"  # own points below the monthly target
    POINTS_EXPIRING = "points_expiring"  # wallet points that expire soon
    INACTIVITY_CUTOFF = "inactivity_cutoff"  # members the retention rules remove soon


@dataclass(frozen=True, slots=True)
class Alert:
    """Something on the home screen that needs doing; the screen words it per ``kind``."""

    kind: AlertKind
    points: Decimal = Decimal(0)  # the shortfall, or the points that expire
    due_on: date | None = None  # period end, expiry date, or the earliest removal date
    days_left: int | None = None  # counting today
    members: tuple[MemberRef, ...] = ()  # the first few concerned, most urgent first
    count: int = 0  # how many members in all


# --- what a screen opens with, in one answer -------------------------------------------------
# Over HTTP every request is a round trip: a screen that needs several things at once asks
# for them together.


@dataclass(frozen=True, slots=True)
class CatalogOverview:
    """The catalog as it opens: its categories and the first page of every product."""

    categories: tuple[Category, ...]
    page: Page[Product]


@dataclass(frozen=True, slots=True)
class CheckoutOverview:
    """The checkout screen: who orders (their contact details), the cart, the balance."""

    member: Member
    cart: Cart
    balance: Money


@dataclass(frozen=True, slots=True)
class WalletOverview:
    """The balance and points screen: both amounts and the first page of each ledger."""

    balance: Money
    ledger: Page[LedgerEntry]
    points: Decimal
    points_ledger: Page[PointsEntry]
    # Top-ups still waiting for their money, and those refused lately: what the member
    # asked for that is not (or will not be) in the ledger.
    payment_requests: tuple[PaymentRequest, ...] = ()


@dataclass(frozen=True, slots=True)
class PeriodPromotions:
    """The promotions screen: the current catalog period and its promotions."""

    period: CatalogPeriod
    promotions: tuple[Promotion, ...]


@dataclass(frozen=True, slots=True)
class ClaimableInvoice:
    """The claim form: the invoice, where its order stands, and the claims already made
    on it (its lines may not be claimed twice)."""

    invoice: Invoice
    order_status: OrderStatus
    earlier: tuple[Claim, ...]


@dataclass(frozen=True, slots=True)
class LineRefused:
    """A quick-order line the cart did not take: the domain error's code, message and field
    (what a raised error would carry), for the client to word."""

    product_code: str
    error: str
    message: str
    field: str | None = None


@dataclass(frozen=True, slots=True)
class CartAdditions:
    """Several lines put into the cart at once: the cart after them, and those refused."""

    cart: Cart
    refused: tuple[LineRefused, ...]

