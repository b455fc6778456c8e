"""A team server's backend that keeps working when the server cannot be reached.

Every call goes to the server. While it answers, what a consultant needs to work without
it is kept in the replica (who is signed in, her account figures, the company, the
catalog, her cart). When it does not answer (``Offline``), the reads a catalog, a quick
order, a cart and a checkout make are answered from the replica instead, priced by
:mod:`mlm_tui.core.pricing` like the server prices, and the cart is filled here. Placing
an order still says ``Offline``: the checkout queues it in the outbox.

A session kept from an earlier run is resumed from the replica when the server is away
(the token is checked against the hash kept beside the member, never kept itself), and
resumed on the server by the first call that finds it back.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from mlm_tui.core import errors as e
from mlm_tui.core.backend import Backend
from mlm_tui.core.errors import N_
from mlm_tui.core.models import (
    AccountSummary,
    Cart,
    CartAdditions,
    CatalogOverview,
    Category,
    Checkout,
    CheckoutOverview,
    CompanyProfile,
    DeliveryMethod,
    LineRefused,
    Member,
    Page,
    PaymentMethod,
    PreparedLine,
    Product,
    Session,
)
from mlm_tui.core.offline.covered import check_covered
from mlm_tui.core.offline.outbox import Outbox, offline_file
from mlm_tui.core.offline.replica import Replica
from mlm_tui.core.remote import wire
from mlm_tui.core.rules.cart_lines import check_quantity

T = TypeVar("T")


class OfflineFallback:
    """``backend`` (a RemoteBackend) with the replica of ``server_url`` behind it."""

    def __init__(self, backend: Backend, data_dir: Path, server_url: str, *,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        self._backend = backend
        self._path = offline_file(data_dir, server_url)
        self._file: Outbox | None = None
        self._clock = clock  # when each part was read: "prices as of 14:05"
        self._lock = threading.RLock()  # one SQLite connection, used from worker threads
        self._kept_session: Session | None = None  # resumed from the replica
        self._token: str | None = None  # to resume on the server once it answers
        # Whether the last call reached the server: a kept answer is no sign of it.
        self.reachable = True
        self._refreshing: threading.Thread | None = None
        self._closed = False  # the app quit: a refresh still under way keeps nothing more
        self._merging = threading.Lock()  # one merge of the offline cart at a time

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._backend, name)
        if name.startswith("_") or not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            self._resume_on_server()
            return attribute(*args, **kwargs)

        return call

    def describe(self) -> str:
        return self._backend.describe()

    # --- the replica's file ----------------------------------------------------------------
    def _outbox(self) -> Outbox:
        if self._file is None:
            self._file = Outbox(self._path, clock=self._clock)
        return self._file

    def _replica(self) -> Replica:
        return Replica(self._outbox())

    def _kept(self, part: str) -> str | None:
        with self._lock:
            row = self._outbox().db.execute(
                "SELECT body FROM replica WHERE part = ?", (part,)).fetchone()
        return str(row[0]) if row else None

    def _keep(self, part: str, body: str) -> None:
        with self._lock:
            replica = self._replica()
            with self._outbox().write() as db:
                db.execute("INSERT OR REPLACE INTO replica VALUES (?, ?, ?)",
                           (part, body, replica.clock().isoformat()))

    def _missing(self) -> e.Offline:
        return e.Offline(N_("Nothing is kept for offline work yet: connect once to the "
                            "server first."), field="server")

    def _or_kept(self, online: Callable[[], T], offline: Callable[[], T]) -> T:
        self._resume_on_server()
        try:
            answer = online()
        except e.Offline:
            self.reachable = False
            with self._lock:
                try:
                    return offline()
                except (KeyError, TypeError, ValueError):
                    raise self._missing() from None
        self.reachable = True
        return answer

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self._backend.close()
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    def prices_as_of(self) -> datetime | None:
        """When the catalog and promotions were last read from the server."""
        with self._lock:
            return self._replica().prices_as_of()

    # --- signing in ------------------------------------------------------------------------
    def login(self, login: str, password: str) -> Session:
        return self._signed_in(self._backend.login(login, password))

    def activate_member(self, login: str, code: str, password: str,
                        confirmation: str) -> Session:
        return self._signed_in(self._backend.activate_member(login, code, password,
                                                              confirmation))

    def resume(self, token: str) -> Session:
        try:
            return self._signed_in(self._backend.resume(token))
        except e.Offline:
            kept = self._kept("session")
            if kept is None or self._kept("session-token") != _token_hash(token):
                raise
            self._kept_session = replace(wire.load(Session, kept), token=token)
            self._token = token
            return self._kept_session

    def session(self) -> Session | None:
        return self._backend.session() or self._kept_session

    def logout(self) -> None:
        self._kept_session, self._token = None, None
        with self._lock:
            self._keep("session-token", "")
        self._backend.logout()

    def _signed_in(self, session: Session) -> Session:
        self._kept_session, self._token = None, None
        self._keep("session", wire.dump(Session, replace(session, token="")).decode())
        self._keep("session-token", _token_hash(session.token))
        self._refresh_in_background()
        return session

    def _resume_on_server(self) -> None:
        """A session resumed from the replica is resumed on the server once it answers."""
        token = self._token
        if token is None or self._backend.session() is not None:
            return
        try:
            self._backend.resume(token)
        except e.Offline:
            return  # still away: the call itself says so, or is answered from the replica
        except e.NotAuthenticated:
            self._kept_session, self._token = None, None
            raise
        self._token = None
        self._refresh_in_background()

    def _refresh_in_background(self) -> None:
        self._refreshing = threading.Thread(target=self._refresh_quietly, daemon=True)
        self._refreshing.start()

    def _refresh_quietly(self) -> None:
        try:
            self.keep_for_offline()
        except e.DomainError:
            pass  # kept as it was; read again next time
        except Exception:
            # The app quit while this ran: its backend closed under it (a closed HTTP
            # client, a closed store). Nothing is lost: it is read again next time.
            if not self._closed:
                raise

    def wait_kept(self) -> None:
        """Until what the last sign-in started keeping is kept."""
        if self._refreshing is not None:
            self._refreshing.join()

    def keep_for_offline(self) -> None:
        """What offline work needs, read again from the server: the member, her figures,
        the categories, the company, the promotions and the catalog (only what changed)."""
        member = self._backend.me()
        categories = self._backend.categories()
        summary = self._backend.account_summary()
        with self._lock:
            if self._closed:
                return  # the offline file is closed, and stays so
            self._keep("member", wire.dump(Member, member).decode())
            self._keep("categories", wire.dump(list[Category], categories).decode())
            self._keep("account", wire.dump(AccountSummary, summary).decode())
            replica = self._replica()
            replica.refresh(self._backend)
            replica.refresh_catalog(self._backend)

    # --- the store and the member ----------------------------------------------------------
    def is_empty(self) -> bool:
        def kept() -> bool:
            self._replica().company()  # Offline when nothing is kept
            return False

        return self._or_kept(self._backend.is_empty, kept)

    def company(self) -> CompanyProfile:
        return self._or_kept(self._backend.company, lambda: self._replica().company())

    def me(self) -> Member:
        return self._or_kept(self._backend.me, self._kept_member)

    def _kept_member(self) -> Member:
        return wire.load(Member, self._need("member"))  # type: ignore[no-any-return]

    def account_summary(self) -> AccountSummary:
        def online() -> AccountSummary:
            summary = self._backend.account_summary()
            self._keep("account", wire.dump(AccountSummary, summary).decode())
            return summary

        return self._or_kept(online, self._kept_account)

    def _kept_account(self) -> AccountSummary:
        return wire.load(AccountSummary, self._need("account"))  # type: ignore[no-any-return]

    def alerts(self) -> list[Any]:
        return self._or_kept(self._backend.alerts, list)

    def _need(self, part: str) -> str:
        body = self._kept(part)
        if body is None:
            raise self._missing()
        return body

    # --- the catalog -----------------------------------------------------------------------
    def categories(self) -> list[Category]:
        return self._or_kept(self._backend.categories, self._kept_categories)

    def _kept_categories(self) -> list[Category]:
        return wire.load(list[Category], self._need("categories"))  # type: ignore[no-any-return]

    def search_products_page(self, query: str, *, category_id: int | None = None,
                             after: str | None = None, limit: int = 50) -> Page[Product]:
        return self._or_kept(
            lambda: self._backend.search_products_page(query, category_id=category_id,
                                                       after=after, limit=limit),
            lambda: self._kept_page(query, category_id, after, limit))

    def search_products(self, query: str, *, category_id: int | None = None,
                        limit: int = 50) -> list[Product]:
        return list(self.search_products_page(query, category_id=category_id,
                                              limit=limit).items)

    def catalog_overview(self, *, limit: int = 50) -> CatalogOverview:
        return self._or_kept(
            lambda: self._backend.catalog_overview(limit=limit),
            lambda: CatalogOverview(tuple(self._kept_categories()),
                                    self._kept_page("", None, None, limit)))

    def _kept_page(self, query: str, category_id: int | None, after: str | None,
                   limit: int) -> Page[Product]:
        """The kept catalog searched as the server would: by code or name, in code order."""
        category = None
        if category_id is not None:
            names = {c.id: c.name for c in self._kept_categories()}
            category = names.get(category_id)
        wanted = query.strip().casefold()
        rows = self._outbox().db.execute(
            "SELECT body FROM replica_products WHERE code > ? ORDER BY code",
            (after or "",)).fetchall()
        found: list[Product] = []
        for (body,) in rows:
            product: Product = wire.load(Product, body)
            if category is not None and product.category != category:
                continue
            if wanted and not (product.code.casefold().startswith(wanted)
                               or wanted in product.name.casefold()):
                continue
            found.append(product)
            if len(found) > limit:
                break
        more = len(found) > limit
        items = tuple(found[:limit])
        return Page(items, items[-1].code if more else None)

    def product(self, code: str) -> Product:
        def kept() -> Product:
            found = self._replica().products([code])
            if code not in found:
                raise e.NotFound(N_("{code} is not in the catalog kept for offline work."),
                                 field="code", params={"code": code})
            return found[code]

        return self._or_kept(lambda: self._backend.product(code), kept)

    def products_by_code(self, codes: list[str]) -> dict[str, Product]:
        return self._or_kept(lambda: self._backend.products_by_code(codes),
                             lambda: self._replica().products(codes))

    # --- the cart, kept here while the server is away --------------------------------------
    def cart(self) -> Cart:
        def online() -> Cart:
            cart = self._backend.cart()
            self._keep_cart(cart)
            return cart

        return self._or_kept(online, self._kept_cart)

    def _member_id(self) -> int:
        session = self.session()
        if session is None:
            raise e.NotAuthenticated(N_("Your session has ended; please log in again."))
        return session.member_id

    def _keep_cart(self, cart: Cart) -> None:
        """The server's cart, copied so that it can be filled further offline."""
        member_id = self._member_id()
        with self._lock, self._outbox().write() as db:
            db.execute("DELETE FROM cart_lines WHERE member_id = ?", (member_id,))
            db.executemany(
                "INSERT INTO cart_lines VALUES (?, ?, ?, ?, ?)",
                [(member_id, line.product.code, line.quantity, int(line.paid_with_points),
                  number) for number, line in enumerate(cart.lines, 1) if not line.is_gift])

    def _lines(self) -> dict[str, PreparedLine]:
        rows = self._outbox().db.execute(
            "SELECT code, quantity, paid_with_points FROM cart_lines WHERE member_id = ?"
            " ORDER BY added, code", (self._member_id(),)).fetchall()
        return {code: PreparedLine(code, quantity, bool(points))
                for code, quantity, points in rows}

    def _kept_cart(self) -> Cart:
        return self._replica().price(self._lines().values())

    def _set_line(self, code: str, quantity: int) -> Cart:
        """The kept cart's line of ``code`` set to ``quantity`` (0: removed)."""
        member_id = self._member_id()
        check_quantity(quantity, zero_removes=True)
        if quantity:
            self._check_stock(code, quantity)
        held = self._lines().get(code)
        with self._outbox().write() as db:
            _note_added(db, member_id, code, quantity - (held.quantity if held else 0),
                        quantity)
            if quantity == 0:
                db.execute("DELETE FROM cart_lines WHERE member_id = ? AND code = ?",
                           (member_id, code))
            else:
                db.execute(
                    "INSERT INTO cart_lines (member_id, code, quantity, added) VALUES"
                    " (?, ?, ?, (SELECT coalesce(max(added), 0) + 1 FROM cart_lines))"
                    " ON CONFLICT (member_id, code) DO UPDATE SET quantity = excluded.quantity",
                    (member_id, code, quantity))
        return self._kept_cart()

    def _check_stock(self, code: str, quantity: int) -> None:
        """As the server refuses, by the stock kept (the server checks again)."""
        product = self._replica().products([code]).get(code)
        if product is None:
            raise e.NotFound(N_("There is no product {code} in this catalog."),
                             field="code", params={"code": code})
        if not product.available:
            raise e.Unavailable(N_("{code} {name} is sold out."), field="code",
                                params={"code": code, "name": product.name})
        if quantity > product.stock:
            raise e.Unavailable(N_("Only {stock} of {code} left."), field="quantity",
                                params={"stock": product.stock, "code": code})

    def add_to_cart(self, code: str, quantity: int) -> Cart:
        return self._or_kept(lambda: self._backend.add_to_cart(code, quantity),
                             lambda: self.add_to_cart_kept(code, quantity))

    def set_cart_quantity(self, code: str, quantity: int) -> Cart:
        def kept() -> Cart:
            if quantity:
                check_quantity(quantity)
            return self._set_line(code, quantity)

        return self._or_kept(lambda: self._backend.set_cart_quantity(code, quantity), kept)

    def remove_from_cart(self, code: str) -> Cart:
        return self._or_kept(lambda: self._backend.remove_from_cart(code),
                             lambda: self._set_line(code, 0))

    def add_lines_to_cart(self, lines: list[tuple[str, int]]) -> CartAdditions:
        def kept() -> CartAdditions:
            refused: list[LineRefused] = []
            for code, quantity in lines:
                try:
                    self.add_to_cart_kept(code, quantity)
                except e.DomainError as error:
                    refused.append(LineRefused(code, error.code, error.message, error.field))
            return CartAdditions(self._kept_cart(), tuple(refused))

        return self._or_kept(lambda: self._backend.add_lines_to_cart(lines), kept)

    def add_to_cart_kept(self, code: str, quantity: int) -> Cart:
        check_quantity(quantity)
        held = self._lines().get(code)
        return self._set_line(code, quantity + (held.quantity if held else 0))

    def set_paid_with_points(self, code: str, paid_with_points: bool) -> Cart:
        def kept() -> Cart:
            member_id = self._member_id()
            if code not in self._lines():
                raise e.NotFound(N_("{code} is not in the cart."),
                                 field="code", params={"code": code})
            with self._outbox().write() as db:
                db.execute("UPDATE cart_lines SET paid_with_points = ? WHERE member_id = ?"
                           " AND code = ?", (int(paid_with_points), member_id, code))
                cart = self._kept_cart()
                # Only as far as the wallet kept covers it (rolled back otherwise).
                held = self._kept_account().points
                if cart.points_spent > held:
                    company = self._replica().company()
                    check_covered(cart, _NOT_FROM_BALANCE, None, held, company)
            return cart

        return self._or_kept(
            lambda: self._backend.set_paid_with_points(code, paid_with_points), kept)

    def clear_kept_cart(self) -> None:
        """After the cart was queued in the outbox: it is not ordered twice."""
        with self._lock, self._outbox().write() as db:
            db.execute("DELETE FROM cart_lines WHERE member_id = ?", (self._member_id(),))
            db.execute("DELETE FROM cart_added WHERE member_id = ?", (self._member_id(),))

    def merge_offline_cart(self) -> CartMerge:
        """The lines added to the kept cart while the server was away, added to the
        server's cart now that it answers, once: what was added and what it refused.

        Each line's ``target`` (the server's quantity with it added) is written before
        the request leaves; a line found at its target already (the answer was lost, the
        app was killed) is not added again, and the lines are forgotten once added."""
        member_id = self._member_id()
        with self._merging:
            with self._lock:
                rows = self._outbox().db.execute(
                    "SELECT code, quantity, target FROM cart_added WHERE member_id = ?"
                    " ORDER BY rowid", (member_id,)).fetchall()
            if not rows:
                return CartMerge()
            held = {line.product.code: line.quantity
                    for line in self._backend.cart().lines if not line.is_gift}
            targets = {code: target if target is not None else held.get(code, 0) + quantity
                       for code, quantity, target in rows}
            with self._lock, self._outbox().write() as db:
                db.executemany("UPDATE cart_added SET target = ? WHERE member_id = ?"
                               " AND code = ?",
                               [(target, member_id, code) for code, target in targets.items()])
            wanted = [(code, min(quantity, targets[code] - held.get(code, 0)))
                      for code, quantity, _target in rows if held.get(code, 0) < targets[code]]
            refused: tuple[str, ...] = ()
            if wanted:
                additions = self._backend.add_lines_to_cart(wanted)
                refused = tuple(line.product_code for line in additions.refused)
                self._keep_cart(additions.cart)
            with self._lock, self._outbox().write() as db:
                db.execute("DELETE FROM cart_added WHERE member_id = ?", (member_id,))
        return CartMerge(tuple((code, quantity) for code, quantity in wanted
                               if code not in refused), refused)

    def checkout_overview(self) -> CheckoutOverview:
        def online() -> CheckoutOverview:
            overview = self._backend.checkout_overview()
            self._keep_cart(overview.cart)
            return overview

        def kept() -> CheckoutOverview:
            return CheckoutOverview(self._kept_member(), self._kept_cart(),
                                    self._kept_account().balance)

        return self._or_kept(online, kept)


@dataclass(frozen=True, slots=True)
class CartMerge:
    """What ``merge_offline_cart`` put in the server's cart (code, quantity) and the codes
    the server refused (sold out, gone from the catalog since)."""

    added: tuple[tuple[str, int], ...] = ()
    refused: tuple[str, ...] = ()


def _note_added(db: Any, member_id: int, code: str, change: int, quantity: int) -> None:
    """The kept cart's line of ``code`` changed by ``change`` to ``quantity`` while the
    server is away: how many of it were added offline, at most the line's quantity (a
    line lowered takes back what was added first; removed, nothing of it is added)."""
    row = db.execute("SELECT quantity FROM cart_added WHERE member_id = ? AND code = ?",
                     (member_id, code)).fetchone()
    added = max(0, min(quantity, (row[0] if row else 0) + change))
    if added == 0:
        db.execute("DELETE FROM cart_added WHERE member_id = ? AND code = ?",
                   (member_id, code))
        return
    db.execute("INSERT INTO cart_added (member_id, code, quantity) VALUES (?, ?, ?)"
               " ON CONFLICT (member_id, code) DO UPDATE SET quantity = excluded.quantity",
               (member_id, code, added))


# Paid otherwise than from the balance: only the wallet is checked.
_NOT_FROM_BALANCE = Checkout(DeliveryMethod.COURIER, PaymentMethod.CASH_TO_COURIER, "check")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
