"""The replica: what the signed-in member could read online, kept in the outbox's file so
that a cart can be filled and priced with no server (by :mod:`mlm_tui.core.pricing`, the
code the server prices by).

It holds the company profile, who the member is (and whether she buys at the consultant
price), the current period's promotions and the products she looked at or ordered, each
with the time it was last read from the server: "prices as of 14:05". Nothing in it is
anything she could not read online; the file is hers alone (0600).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from mlm_tui.core import errors as e
from mlm_tui.core.backend import Backend
from mlm_tui.core.catalog_digests import body_digest, bucket_digests, bucket_of
from mlm_tui.core.errors import N_
from mlm_tui.core.models import (
    Cart,
    CompanyProfile,
    MemberKind,
    PeriodPromotions,
    PreparedLine,
    Product,
)
from mlm_tui.core.offline.outbox import Outbox
from mlm_tui.core.pricing import price_cart
from mlm_tui.core.remote import wire

CATALOG_PAGE = 1000


class Replica:
    def __init__(self, outbox: Outbox) -> None:
        self._file = outbox
        self.clock = outbox.clock

    # --- refreshing ------------------------------------------------------------------------
    def refresh(self, backend: Backend, codes: Iterable[str] = ()) -> None:
        """Read again what the cart needs: the company, the member, the promotions, the
        products of ``codes`` and those the promotions give (one request each)."""
        me = backend.me()
        company = backend.company()
        promotions = backend.period_promotions()
        given = [p.product_code for p in promotions.promotions if p.product_code]
        products = backend.products_by_code(sorted({*codes, *given}))
        now = self.clock().isoformat()
        with self._file.write() as db:
            for part, annotation, value in (
                ("company", CompanyProfile, company), ("promotions", PeriodPromotions,
                                                       promotions)):
                db.execute("INSERT OR REPLACE INTO replica VALUES (?, ?, ?)",
                           (part, wire.dump(annotation, value).decode(), now))
            db.execute("INSERT OR REPLACE INTO replica VALUES (?, ?, ?)",
                       ("me", f"{me.id} {me.kind.value}", now))
            self._keep(db, products.values(), now)

    def refresh_catalog(self, backend: Backend) -> None:
        """Every product of the current period: read whole the first time, then only the
        products whose digest differs from the copy's (:mod:`mlm_tui.core.catalog_digests`),
        and those gone from the catalog are dropped."""
        now = self.clock().isoformat()
        kept = self._file.db.execute(
            "SELECT 1 FROM replica WHERE part = 'catalog'").fetchone() is not None
        if not kept:
            every = _every_product(backend)
            with self._file.write() as db:
                db.execute("DELETE FROM replica_products")
                self._keep(db, every, now)
                db.execute("INSERT OR REPLACE INTO replica VALUES ('catalog', '', ?)", (now,))
            return
        mine = dict(self._file.db.execute("SELECT code, digest FROM replica_products"))
        theirs = backend.product_digests()
        my_buckets = bucket_digests(mine)
        fetch: list[str] = []
        gone: list[str] = []
        for bucket in sorted(set(theirs) | set(my_buckets)):
            if theirs.get(bucket) == my_buckets.get(bucket):
                continue
            their_codes = backend.product_digests(bucket) if bucket in theirs else {}
            my_codes = {code for code in mine if bucket_of(code) == bucket}
            fetch += [code for code, digest in their_codes.items() if mine.get(code) != digest]
            gone += [code for code in my_codes if code not in their_codes]
        changed = backend.products_by_code(fetch) if fetch else {}
        with self._file.write() as db:
            db.executemany("DELETE FROM replica_products WHERE code = ?", [(c,) for c in gone])
            self._keep(db, changed.values(), now)
            db.execute("INSERT OR REPLACE INTO replica VALUES ('catalog', '', ?)", (now,))

    def keep_products(self, products: Iterable[Product]) -> None:
        """Products as the server just priced them (a quote's lines)."""
        with self._file.write() as db:
            self._keep(db, products, self.clock().isoformat())

    @staticmethod
    def _keep(db: Any, products: Iterable[Product], now: str) -> None:
        bodies = [(p.code, wire.dump(Product, p).decode()) for p in products]
        db.executemany("INSERT OR REPLACE INTO replica_products VALUES (?, ?, ?, ?)",
                       [(code, body, now, body_digest(body)) for code, body in bodies])

    # --- reading ---------------------------------------------------------------------------
    def member(self) -> tuple[int, bool] | None:
        """The member last signed in here and whether she buys at the consultant price."""
        row = self._file.db.execute("SELECT body FROM replica WHERE part = 'me'").fetchone()
        if row is None:
            return None
        member_id, kind = row[0].split(" ")
        return int(member_id), kind == MemberKind.CONSULTANT.value

    def company(self) -> CompanyProfile:
        return wire.load(CompanyProfile, self._part("company"))  # type: ignore[no-any-return]

    def products(self, codes: Iterable[str]) -> dict[str, Product]:
        wanted = list(codes)
        marks = ",".join("?" * len(wanted))
        rows = self._file.db.execute(
            f"SELECT body FROM replica_products WHERE code IN ({marks})", wanted).fetchall()
        found = [wire.load(Product, row[0]) for row in rows]
        return {p.code: p for p in found}

    def prices_as_of(self) -> datetime | None:
        """When the prices were last read from the server (the oldest part the cart uses)."""
        row = self._file.db.execute(
            "SELECT min(refreshed_at) FROM replica WHERE part IN ('catalog', 'promotions')"
        ).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def price(self, lines: Iterable[PreparedLine],
              delivery_product_code: str | None = None) -> Cart:
        """The lines priced here, as the server would have priced them when last read."""
        lines = list(lines)
        member = self.member()
        promotions: PeriodPromotions = wire.load(PeriodPromotions, self._part("promotions"))
        given = [p.product_code for p in promotions.promotions if p.product_code]
        products = self.products([line.code for line in lines] + given)
        missing = [line.code for line in lines if line.code not in products]
        if missing:
            raise e.NotFound(N_("{code} is not in the catalog kept for offline work."),
                             field="code", params={"code": missing[0]})
        return price_cart(
            [(products[line.code], line.quantity) for line in lines],
            company=self.company(), promotions=promotions.promotions, gifts=products,
            delivery_product_code=delivery_product_code,
            consultant=member[1] if member else True,
            paid_with_points={line.code for line in lines if line.paid_with_points})

    def _part(self, part: str) -> str:
        row = self._file.db.execute("SELECT body FROM replica WHERE part = ?",
                                    (part,)).fetchone()
        if row is None:
            raise e.Offline(N_("Nothing is kept for offline work yet: connect once to the "
                               "server first."), field="server")
        return str(row[0])


def _every_product(backend: Backend) -> list[Product]:
    after: str | None = None
    products: list[Product] = []
    while True:
        page = backend.search_products_page("", after=after, limit=CATALOG_PAGE)
        products.extend(page.items)
        if page.next_after is None:
            return products
        after = page.next_after
