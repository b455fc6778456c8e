"""The Backend: the one seam every screen and command talks to.

Synchronous on purpose: screens call it from thread workers, the CLI calls it
directly. Two implementations keep this contract: ``LocalBackend`` (the whole
system embedded on SQLite) and ``RemoteBackend`` (the same over HTTP).

Every method that reads or writes a member's data acts as the signed-in member
and sees only that member and their downline; anything else is ``NotFound``.
Failures are the exceptions of :mod:`mlm_tui.core.errors`, never a raw
database or HTTP error.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol, runtime_checkable

from mlm_tui.core.changes import Changes
from mlm_tui.core.models import (
    AccountSummary,
    Alert,
    CancellationQuote,
    Cart,
    CartAdditions,
    CatalogOverview,
    CatalogPeriod,
    Category,
    Checkout,
    CheckoutOverview,
    Claim,
    ClaimableInvoice,
    ClaimLine,
    CompanyProfile,
    Invoice,
    InvoiceMailed,
    LedgerEntry,
    Member,
    MemberMatch,
    MemberOverview,
    MessageDelivery,
    MonthCount,
    MonthVolume,
    Notification,
    Order,
    OrderFilter,
    OrderHistory,
    OrderSource,
    OrderSummary,
    Page,
    PaymentRequest,
    PeriodPromotions,
    PointsEntry,
    PreparedOrder,
    PreparedOutcome,
    Product,
    Promotion,
    Registration,
    ResetRequest,
    Session,
    Shipment,
    SshKey,
    TeamNode,
    TeamRoot,
    TopUpMethod,
    WalletOverview,
)
from mlm_tui.core.money import Money


@runtime_checkable
class Backend(Protocol):
    # --- store and company -----------------------------------------------------------------
    def company(self) -> CompanyProfile:
        """The company profile: currency, locale, points label, fees, carriers, pickup points."""

    def is_empty(self) -> bool:
        """True when the store has no members yet (a fresh install)."""

    def message_delivery(self) -> MessageDelivery:
        """How codes leave: e-mail and SMS each sent out (a mail server, an SMS gateway is
        set) or kept in the local mail folder. The same for everyone: a screen says with
        it where a code went, without telling whether an account exists."""

    def describe(self) -> str:
        """Where the data lives, for the header: ``local: /path/store.db`` or a server URL."""

    def close(self) -> None: ...

    def changes_since(self, cursor: int | None) -> Changes:
        """The kinds of data written anywhere since ``cursor``, and the cursor to pass next.

        ``None`` asks for a starting cursor (no kinds). One call however many screens are
        open, and cheap enough to ask every few seconds: with nothing changed it reads
        nothing. Kinds are coarse (some order changed, not which) and need no session.
        """

    # --- sessions --------------------------------------------------------------------------
    def login(self, login: str, password: str) -> Session:
        """Log in by registration number or e-mail.

        Raises ``InvalidCredentials`` (field ``password``), ``Throttled`` with the retry time;
        ``AccountClosed`` and ``AccountNotActivated`` only after the right password.
        """

    def resume(self, token: str) -> Session:
        """Continue a kept session; ``NotAuthenticated`` when expired or unknown."""

    def logout(self) -> None: ...

    def session(self) -> Session | None:
        """The current session, if any."""

    def me(self) -> Member: ...

    def account_summary(self) -> AccountSummary: ...

    # --- SSH keys --------------------------------------------------------------------------
    def ssh_keys(self) -> list[SshKey]:
        """The signed-in member's public keys for signing in over SSH, oldest first."""

    def add_ssh_key(self, line: str) -> SshKey:
        """Add a public key, given as the line of its ``.pub`` file. ``ValidationError``
        (field ``key``) for a private key, another format, an unsupported type or a damaged
        key; ``Conflict`` (field ``key``) for a key already registered, by anyone."""

    def remove_ssh_key(self, fingerprint: str) -> None:
        """Remove one of one's own keys by its ``SHA256:`` fingerprint; the sessions it
        opened end at once. ``NotFound`` (field ``fingerprint``) for any other."""
    def set_language(self, language: str | None) -> None:
        """The signed-in member's own language ("ru", "de", "en"; None: the company's):
        what is sent to her (e-mail, SMS, a PDF invoice) is written in it from now on.
        ``ValidationError`` (field ``language``) for one the interface does not speak."""

    # --- password reset --------------------------------------------------------------------
    def request_password_reset(self, contact: str) -> ResetRequest:
        """Send an 8-digit code by e-mail and SMS to the account with this e-mail or phone.

        The same answer whether or not the account exists. ``ValidationError`` (field
        ``contact``) when it is neither an e-mail nor a phone; ``Throttled`` during the resend
        cooldown.
        """

    def confirm_password_reset(
        self, contact: str, code: str, new_password: str, confirmation: str
    ) -> None:
        """Set a new password. Errors name ``code`` (wrong, expired, used, too many tries),
        ``new_password`` (weak) or ``confirmation`` (mismatch). The same answers whether or
        not an account has the contact; the password is compared with the account's own
        e-mail, phone and number only once the code is right."""

    # --- registration ----------------------------------------------------------------------
    def register_member(self, registration: Registration) -> Member:
        """Register a new member under the signed-in sponsor; sends an activation code.

        ``ValidationError`` names the field; ``Conflict`` when an active account with that
        e-mail, phone, or name and birth date exists.
        """

    def activate_member(self, login: str, code: str, password: str, confirmation: str) -> Session:
        """The new member sets a password with the activation code. A login that names no
        account waiting for activation gets the answer of a code that is not valid."""

    # --- catalog ---------------------------------------------------------------------------
    def periods(self) -> list[CatalogPeriod]: ...

    def current_period(self) -> CatalogPeriod: ...

    def categories(self) -> list[Category]: ...

    def search_products(
        self, query: str, *, category_id: int | None = None, limit: int = 50
    ) -> list[Product]:
        """Products of the current period by code, name or category (FTS); empty query lists
        the category (or everything) in code order."""

    def search_products_page(
        self, query: str, *, category_id: int | None = None, after: str | None = None,
        limit: int = 50,
    ) -> Page[Product]:
        """``search_products`` page by page: ``after`` is the ``next_after`` of the page
        before; ``ValidationError`` (field ``after``) for one this backend did not give."""

    def catalog_overview(self, *, limit: int = 50) -> CatalogOverview:
        """``categories`` and the first page of ``search_products_page("", limit=limit)`` in
        one answer (the catalog screen as it opens)."""

    def product(self, code: str) -> Product:
        """``NotFound`` (field ``code``) for an unknown code."""

    def products_by_code(self, codes: list[str]) -> dict[str, Product]:
        """Those of ``codes`` that exist in the current period (quick order, paste)."""

    def product_digests(self, bucket: str | None = None) -> dict[str, str]:
        """Digests of the current period's products as the signed-in member reads them
        (:mod:`mlm_tui.core.catalog_digests`): with no ``bucket``, one per bucket; with a
        bucket, one per product code in it. A replica reads only what differs."""

    def promotions(self) -> list[Promotion]:
        """Promotions of the current period, closed sales included."""

    def period_promotions(self) -> PeriodPromotions:
        """``current_period`` and ``promotions`` in one answer (the promotions screen)."""

    # --- cart and checkout -----------------------------------------------------------------
    def cart(self) -> Cart: ...

    def add_to_cart(self, code: str, quantity: int) -> Cart:
        """Add ``quantity`` to the line (creating it). ``ValidationError`` for quantity <= 0 or
        above the per-line limit; ``NotFound`` for an unknown code; ``Unavailable``."""

    def set_cart_quantity(self, code: str, quantity: int) -> Cart:
        """Set a line's quantity; 0 removes the line."""

    def add_lines_to_cart(self, lines: list[tuple[str, int]]) -> CartAdditions:
        """``add_to_cart`` for each (code, quantity) in turn, in one call (quick order,
        paste). A line refused for what ``add_to_cart`` would raise is listed with that
        error's code, message and field, and the others still go in."""

    def remove_from_cart(self, code: str) -> Cart: ...

    def clear_cart(self) -> Cart: ...

    def choose_delivery_product(self, code: str | None) -> Cart:
        """Take this product instead of paying the delivery fee (None: pay the fee)."""

    def repeat_order(self, order_number: str) -> Cart:
        """Put an earlier order's lines into the cart (skipping what is no longer sold)."""

    def set_paid_with_points(self, code: str, paid_with_points: bool) -> Cart:
        """Pay a cart line from the points wallet (True) or with money again (False).

        A line paid with points costs its unit price divided by the company's
        ``money_per_wallet_point``, rounded up to whole points, times the quantity; it
        costs no money and earns no points (see :mod:`mlm_tui.core.pricing`). The points
        are taken from the wallet only when the order is placed. ``NotFound`` (field
        ``code``) for a product not in the cart; ``InsufficientPoints`` (field ``points``)
        when the lines paid with points would cost more than the wallet holds, and then
        the cart stays as it was. A quantity change that would overdraw the wallet is
        refused the same way.
        """

    def checkout_overview(self) -> CheckoutOverview:
        """``me``, ``cart`` and ``balance`` in one answer (the checkout screen)."""

    def place_order(self, checkout: Checkout) -> Order:
        """Turn the cart into an order, invoice and ledger entries in one transaction.

        The same ``idempotency_key`` returns the order already placed instead of a second one.
        ``InsufficientBalance`` when paying from the balance without enough on it;
        ``InsufficientPoints`` (field ``points``) when the wallet no longer covers the lines
        paid with points. The order's wallet entries are written with it: the points spent
        on lines, and the company's ``wallet_points_share`` of its points earned, valid for
        ``wallet_points_valid_days``, both in the wallet of who placed it.
        """

    def quote_prepared_order(self, prepared: PreparedOrder) -> Cart:
        """What the server would charge for a prepared order now, as a cart priced by the
        current period (check only: nothing is written, the member's own cart untouched).
        A line whose product is no longer sold is left out; one short of stock keeps its
        quantity (the product says what is left)."""

    def place_prepared_order(self, prepared: PreparedOrder) -> Order:
        """Place an order made ready elsewhere (the outbox), in one transaction, without
        the member's cart, only if it costs exactly what ``prepared.seen`` says.

        The same ``checkout.idempotency_key`` returns the order already placed, whatever
        it would cost now. ``TotalsChanged`` (field ``total``) when the amount, the points,
        the wallet points or the free lines differ, and nothing is placed; the errors of
        ``place_order`` otherwise (``Unavailable``, ``InsufficientBalance``,
        ``InsufficientPoints``, a ``ValidationError`` naming the checkout's field) and
        ``ValidationError`` (field ``lines``) for no lines or a quantity out of range.
        """

    def place_prepared_orders(self, prepared: list[PreparedOrder]) -> list[PreparedOutcome]:
        """``place_prepared_order`` for each, in order, in one request (an outbox sent
        whole): each order alone is placed or refused, as by itself (a refusal takes back
        only that order), and the outcome of each is given by its key, in the same order.
        At most ``PREPARED_BATCH`` orders (``ValidationError``, field ``prepared``)."""

    # --- orders ----------------------------------------------------------------------------
    def orders_page(
        self, filters: OrderFilter, *, after: str | None = None, limit: int = 100
    ) -> Page[OrderSummary]:
        """A page of the history grid, by keyset: pass the last page's ``next_after``."""

    def order_history(self, filters: OrderFilter, *, limit: int = 100) -> OrderHistory:
        """The history as a screen opens it, in one call: the first page of
        ``orders_page(filters, limit=limit)``, ``count_orders(filters)``, the months of
        ``order_months`` for the filters without their month, and the member
        ``filters.member_id`` names. ``NotFound`` (field ``member``) for a member outside
        the downline."""

    def order_month_counts(self, filters: OrderFilter) -> list[MonthCount]:
        """Each month holding orders that match ``filters``, newest first, with how many it
        holds (where each month begins in the grid): one call however many months."""

    def count_orders(self, filters: OrderFilter) -> int: ...

    def order_months(self, filters: OrderFilter) -> list[str]:
        """The months ("YYYY-MM") that hold orders matching ``filters``, newest first."""

    def order(self, number: str) -> Order: ...

    def cancellation_quote(self, number: str) -> CancellationQuote:
        """What cancelling would cost and refund; a shipped order gets the stop-delivery steps.

        This, ``cancel_order`` and ``request_delivery_stop`` are only for whoever placed the
        order or its buyer: an upline gets ``Forbidden``."""

    def cancel_order(self, number: str) -> Order:
        """Unshipped: cancel and refund to the balance less the fee, take back the wallet
        points the order earned and give back those it spent. Shipped: ``Conflict``
        (use ``request_delivery_stop``)."""

    def request_delivery_stop(self, number: str) -> Order:
        """Shipped, not delivered: stop the parcel with the carrier and request a credit."""

    def correct_order_source(self, order_number: str, source: OrderSource) -> Order:
        """Give a flagged order the type its flag suggests (see ``order_checks.correction``).

        Anyone who sees the order may; anyone else gets ``NotFound``. Any other change, or
        one to a cancelled or credited order, is a ``ValidationError`` (field ``source``).
        The status history records the correction under the order's unchanged status."""

    def invoice(self, number: str) -> Invoice:
        """By invoice number."""

    def invoice_pdf(self, number: str) -> bytes:
        """The invoice as a PDF document (in the company's language); who may see it as
        for ``invoice``, and as they see it."""

    def email_invoice(self, number: str) -> InvoiceMailed:
        """E-mail the invoice as a PDF to its buyer; who may see it as for ``invoice``.

        ``ValidationError`` (field ``email``) when the buyer has no address on file;
        ``DeliveryFailed`` when the mail server does not take it, and then nothing is sent.
        """

    def shipment(self, order_number: str) -> Shipment | None: ...

    def shipments_in_transit(self) -> list[Shipment]:
        """Every parcel on its way, across carriers, of self and the downline."""

    # --- customers and team ----------------------------------------------------------------
    def search_members(self, name: str, *, limit: int = 50) -> list[MemberMatch]:
        """Self and downline whose name contains ``name`` (case-insensitive, any script)."""

    def member(self, member_id: int) -> Member: ...

    def member_overview(self, member_id: int) -> MemberOverview: ...

    def monthly_volume(self, member_id: int, *, months: int = 3) -> list[MonthVolume]:
        """The last ``months`` calendar months up to today, oldest first, zero months kept."""

    def team_volume(self, member_id: int, *, months: int = 3) -> dict[int, list[MonthVolume]]:
        """``monthly_volume`` for each direct downline member of ``member_id`` at once."""

    def team_children(self, member_id: int) -> list[TeamNode]:
        """The direct downline of a member, for a tree that loads nodes as they open."""

    def team_root(self) -> TeamRoot:
        """The signed-in member's own node (points this month, how many directly below) and
        their direct downline: the team tree as it opens, in one call."""

    # --- balance and points ----------------------------------------------------------------
    def balance(self) -> Money: ...

    def balance_ledger(self, *, after: str | None = None, limit: int = 50) -> Page[LedgerEntry]:
        ...

    def top_up(self, amount: Money, method: TopUpMethod) -> PaymentRequest:
        """Ask to top up the balance: a pending payment request with a reference to quote.
        The balance grows only when the payment is confirmed (by the payment provider, the
        bank statement or the service)."""

    def payment_requests(self) -> list[PaymentRequest]:
        """The member's top-ups still pending, and those refused lately, newest first."""

    def confirm_demo_payment(self, reference: str) -> PaymentRequest:
        """On a demo store only: pay one's own pending request as a provider would
        (``Forbidden`` on any other store)."""

    def wallet_overview(self, *, limit: int = 50) -> WalletOverview:
        """``balance``, ``points_wallet``, the first ``limit`` entries of each ledger and
        the pending top-ups in one answer (the wallet screen); further pages come from the
        ledgers themselves."""

    def points_wallet(self) -> Decimal:
        """The points wallet: the sum of its ledger (earned, spent, expired, cancelled)."""

    def points_ledger(self, *, after: str | None = None, limit: int = 50) -> Page[PointsEntry]:
        ...

    # --- claims and notifications ----------------------------------------------------------
    def submit_claim(self, invoice_number: str, lines: list[ClaimLine], reason: str) -> Claim: ...

    def claims(self) -> list[Claim]: ...

    def claimable_invoice(self, invoice_number: str) -> ClaimableInvoice:
        """The invoice (as ``invoice``), its order's status and the signed-in member's claims
        on it, in one answer (the claim form). ``NotFound`` as for ``invoice``."""

    def notifications(self, *, unread_only: bool = False) -> list[Notification]: ...

    def mark_notification_read(self, notification_id: int) -> None: ...

    # --- home and newcomer training --------------------------------------------------------
    def alerts(self) -> list[Alert]:
        """What needs doing: own points short of the monthly target, points about to expire,
        first-level members near the retention cut-off or without an order for three months."""

    def training_progress(self) -> set[str]:
        """Ids of the "Successful start" lessons the signed-in member has finished."""

    def complete_lesson(self, lesson_id: str) -> set[str]:
        """Mark a lesson done (again is harmless); ``NotFound`` (field ``lesson``) if unknown.
        Returns the progress after it, as ``training_progress`` would."""
