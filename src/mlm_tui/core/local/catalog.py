"""LocalBackend: periods, categories, product search (FTS5), product, products_by_code,
promotions.

Only the current period is shown: the one holding today's date (else the latest that has
started). Search goes through ``products_fts``: each word the user typed, folded as the
index is (``core.rules.search_folding``), becomes a quoted prefix term, so FTS syntax in
the input is plain text. Names that begin with what was typed come first ("Крем ..."
before "Пробник крема"). A broad query ("к") matches tens of thousands of products;
ranking them all would cost more than the page is worth, so matches are ranked (bm25)
only when there are few, and otherwise read newest first up to the limit, in rowid
order, which lets the index stop early. An exact code comes first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    Select,
    String,
    TextualSelect,
    and_,
    bindparam,
    column,
    func,
    select,
    text,
)

from mlm_tui.core.errors import NotFound
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.base import LocalBase
from mlm_tui.core.local.search_index import every_word, prefix_term
from mlm_tui.core.models import (
    CatalogPeriod,
    Category,
    MemberKind,
    Product,
    Promotion,
    PromotionKind,
)
from mlm_tui.core.money import Money
from mlm_tui.core.pricing import unit_price
from mlm_tui.core.rules.search_folding import search_terms
from mlm_tui.core.validation import search_text
from mlm_tui.i18n import N_, _

GIFT_MARK = N_("gift")
DELIVERY_MARK = N_("instead of delivery")
CLOSED_SALE_MARK = N_("closed sale")

# Up to this many full-text matches are ranked (bm25); beyond it they come in index order.
RANK_AT_MOST = 200
_CHUNK = 500  # bound parameters per IN list


class CatalogMixin(LocalBase):
    def periods(self) -> list[CatalogPeriod]:
        with self.store.read() as conn:
            rows = conn.execute(select(t.periods).order_by(t.periods.c.starts_on)).all()
        return [_period(row) for row in rows]

    def current_period(self) -> CatalogPeriod:
        with self.store.read() as conn:
            return _period(current_period_row(conn, self.clock().date()))

    def categories(self) -> list[Category]:
        p, c = t.products, t.categories
        with self.store.read() as conn:
            period = current_period_row(conn, self.clock().date())
            rows = conn.execute(
                select(c.c.id, c.c.name, func.count(p.c.id).label("products"))
                .select_from(c.join(p, and_(p.c.category_id == c.c.id,
                                            p.c.period_id == period.id)))
                .group_by(c.c.id, c.c.name)
                .order_by(c.c.name)
            ).all()
        return [Category(row.id, row.name, row.products) for row in rows]

    def search_products(
        self, query: str, *, category_id: int | None = None, limit: int = 50
    ) -> list[Product]:
        if limit <= 0:
            return []
        query = search_text(query)
        with self.store.read() as conn:
            period = current_period_row(conn, self.clock().date())
            catalog = Catalog(conn, period, self.company().currency,
                              consultant=self._buys_as_consultant(conn))
            if not query.strip():
                return catalog.listing(category_id, limit)
            return catalog.search(query, category_id, limit)

    def product(self, code: str) -> Product:
        with self.store.read() as conn:
            period = current_period_row(conn, self.clock().date())
            found = Catalog(conn, period, self.company().currency,
                              consultant=self._buys_as_consultant(conn)).by_code([code.strip()])
        if not found:
            raise NotFound(_("There is no product {code} in this catalog.").format(code=code),
                           field="code")
        return next(iter(found.values()))

    def products_by_code(self, codes: list[str]) -> dict[str, Product]:
        with self.store.read() as conn:
            period = current_period_row(conn, self.clock().date())
            return Catalog(conn, period, self.company().currency,
                              consultant=self._buys_as_consultant(conn)).by_code(codes)

    def promotions(self) -> list[Promotion]:
        with self.store.read() as conn:
            period = current_period_row(conn, self.clock().date())
            return Catalog(conn, period, self.company().currency).promotions


    def _buys_as_consultant(self, conn: Connection) -> bool:
        """Whether prices shown are the consultant's; before sign-in they are."""
        session = self.session()
        if session is None:
            return True
        kind = conn.execute(select(t.members.c.kind).where(t.members.c.id == session.member_id)
                            ).scalar_one_or_none()
        return kind in (None, MemberKind.CONSULTANT.value)


class Catalog:
    """The current period's products and promotions, read through one connection.

    Every product read is priced for the buyer (``consultant`` or a customer) by
    :func:`mlm_tui.core.pricing.unit_price`, the rule the cart charges by.
    """

    def __init__(self, conn: Connection, period: Row[Any], currency: str, *,
                 consultant: bool = True) -> None:
        self.conn = conn
        self.period = period
        self.currency = currency
        self.consultant = consultant
        self.promotions = _promotions(conn, period, currency)
        self.marks = promotion_marks(self.promotions)

    def by_code(self, codes: Iterable[str]) -> dict[str, Product]:
        wanted = list(dict.fromkeys(code for code in codes if code))
        rows: list[Row[Any]] = []
        for start in range(0, len(wanted), _CHUNK):
            rows += self.conn.execute(
                _PRODUCTS.where(t.products.c.period_id == self.period.id,
                                t.products.c.code.in_(wanted[start:start + _CHUNK]))
            ).all()
        return {row.code: self._product(row) for row in rows}

    def listing(self, category_id: int | None, limit: int) -> list[Product]:
        p = t.products
        query = _PRODUCTS.where(p.c.period_id == self.period.id)
        if category_id is not None:
            query = query.where(p.c.category_id == category_id)
        rows = self.conn.execute(query.order_by(p.c.code).limit(limit)).all()
        return [self._product(row) for row in rows]

    def search(self, query: str, category_id: int | None, limit: int) -> list[Product]:
        terms = search_terms(query)
        if not terms:
            return []  # only punctuation: nothing a person could have meant
        matches = self._matching(fts_query(terms), fts_initial(terms), category_id, limit)
        exact = self._exact(query.strip(), category_id)
        if exact is not None:
            matches = [exact] + [row for row in matches if row.id != exact.id]
        return [self._product(row) for row in matches[:limit]]

    def _matching(self, match: str, initial: str, category_id: int | None,
                  limit: int) -> list[Row[Any]]:
        params = {"match": match, "initial": initial, "period": self.period.id,
                  "category": category_id, "limit": limit, "cap": RANK_AT_MOST + 1}
        if self.conn.execute(_COUNT_MATCHES, params).scalar_one() <= RANK_AT_MOST:
            return list(self.conn.execute(_ranked(category_id), params))
        # Too many to rank: the newest whose name begins with the query, then the newest
        # of the rest.
        rows = list(self.conn.execute(_newest(category_id), {**params, "match": initial}))
        if len(rows) < limit:
            seen = {row.id for row in rows}
            rows += [row for row in self.conn.execute(_newest(category_id), params)
                     if row.id not in seen][:limit - len(rows)]
        return rows

    def _exact(self, code: str, category_id: int | None) -> Row[Any] | None:
        """The product whose code is exactly what was typed, in the period and category."""
        p = t.products
        query = _PRODUCTS.where(p.c.period_id == self.period.id, p.c.code == code)
        if category_id is not None:
            query = query.where(p.c.category_id == category_id)
        return self.conn.execute(query).first()

    def _product(self, row: Row[Any]) -> Product:
        product = Product(
            code=row.code,
            name=row.name,
            category=row.category,
            period=self.period.code,
            retail_price=Money(row.retail_price, self.currency),
            consultant_price=Money(row.consultant_price, self.currency),
            points=row.points,
            stock=row.stock,
            promotion_marks=self.marks.get(row.code, ()),
            description=row.description,
        )
        return replace(product,
                       your_price=unit_price(product, self.promotions, self.consultant))


# How many match in any period, up to one more than are ranked: enough to choose how to
# order them. Without ORDER BY the index is read in its own order and stops at the cap.
_COUNT_MATCHES = text("SELECT count(*) FROM (SELECT 1 FROM products_fts "
                      "WHERE products_fts MATCH :match LIMIT :cap)")
# CROSS JOIN keeps the full-text index as the outer loop: read in rowid order, LIMIT stops
# early instead of every product of the period being sorted.
# The matches are read whole, with the columns of ``_PRODUCTS``, in one statement.
_MATCHES = ("SELECT p.id, p.period_id, p.category_id, p.code, p.name, p.description, "
            "p.retail_price, p.consultant_price, p.points, p.stock, c.name AS category "
            "FROM products_fts CROSS JOIN products AS p ON p.id = products_fts.rowid "
            "JOIN categories AS c ON c.id = p.category_id "
            "WHERE products_fts MATCH :match AND p.period_id = :period {category} ")


def _in_category(category_id: int | None) -> str:
    return "" if category_id is None else "AND p.category_id = :category"


def _ranked(category_id: int | None) -> TextualSelect:
    """Names that begin with what was typed first ("Крем ..." before "Пробник крема"), then
    bm25 with a hit in the code or the name (either spelling) worth more than one in the
    category."""
    return _typed(
        _MATCHES.format(category=_in_category(category_id))
        + "ORDER BY p.id IN (SELECT rowid FROM products_fts "
        "WHERE products_fts MATCH :initial) DESC, "
        "bm25(products_fts, 10.0, 5.0, 1.0, 5.0), p.code LIMIT :limit"
    )


def _newest(category_id: int | None) -> TextualSelect:
    return _typed(_MATCHES.format(category=_in_category(category_id))
                  + "ORDER BY products_fts.rowid DESC LIMIT :limit")


@cache
def _typed(sql: str) -> TextualSelect:
    """``sql`` with the result types of ``_PRODUCTS`` (amounts come back as Decimal)."""
    return text(sql).columns(*(column(c.name, c.type) for c in _PRODUCTS.selected_columns))


def fts_query(terms: list[tuple[str, ...]]) -> str:
    """Every word typed, in one of its spellings, begins a word of the product."""
    return every_word(terms)


def fts_initial(terms: list[tuple[str, ...]]) -> str:
    """The same, with the first word at the very start of the name, in either spelling."""
    first = "{name spelling} : (" + prefix_term(terms[0], initial=True) + ")"
    return " AND ".join([first] + [prefix_term(spellings) for spellings in terms[1:]])


def current_period_row(conn: Connection, today: date) -> Row[Any]:
    """The period holding ``today`` (an open one if two overlap); else the latest started."""
    row = conn.execute(_CURRENT_PERIOD, {"day": today.isoformat()}).first()
    if row is None:
        raise NotFound(_("There is no catalog yet."), field="period")
    return row


def _current_period_select() -> Select[Any]:
    periods, day = t.periods, bindparam("day", type_=String)
    holds = (periods.c.starts_on <= day) & (periods.c.ends_on >= day)
    return (
        select(periods)
        .order_by(holds.desc(), periods.c.ordering_open.desc(),
                  (periods.c.starts_on <= day).desc(), periods.c.starts_on.desc())
        .limit(1)
    )


def promotion_marks(promotions: Sequence[Promotion]) -> dict[str, tuple[str, ...]]:
    """Short labels per product code: "-10%", "gift", "instead of delivery", "closed sale"."""
    marks: dict[str, list[str]] = {}
    for promotion in promotions:
        if promotion.product_code is None:
            continue
        labels = marks.setdefault(promotion.product_code, [])
        if promotion.kind is PromotionKind.PERCENT_OFF:
            labels.append(f"-{_plain(promotion.percent)}%")
        elif promotion.kind is PromotionKind.GIFT_OVER_THRESHOLD:
            labels.append(GIFT_MARK)
        elif promotion.kind is PromotionKind.DELIVERY_PRODUCT:
            labels.append(DELIVERY_MARK)
        if promotion.closed_sale and CLOSED_SALE_MARK not in labels:
            labels.append(CLOSED_SALE_MARK)
    return {code: tuple(labels) for code, labels in marks.items()}


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _promotions(conn: Connection, period: Row[Any], currency: str) -> list[Promotion]:
    pr = t.promotions
    rows = conn.execute(select(pr).where(pr.c.period_id == period.id).order_by(pr.c.id)).all()
    return [
        Promotion(
            id=row.id,
            period=period.code,
            kind=PromotionKind(row.kind),
            title=row.title,
            product_code=row.product_code,
            percent=row.percent,
            threshold=None if row.threshold is None else Money(row.threshold, currency),
            closed_sale=row.closed_sale,
        )
        for row in rows
    ]


def _product_select() -> Select[Any]:
    p, c = t.products, t.categories
    return select(
        p.c.id, p.c.period_id, p.c.category_id, p.c.code, p.c.name, p.c.description,
        p.c.retail_price, p.c.consultant_price, p.c.points, p.c.stock,
        c.c.name.label("category"),
    ).select_from(p.join(c, c.c.id == p.c.category_id))


# Built once: a search runs several of these, and building a statement costs more than
# SQLite takes to answer it.
_PRODUCTS = _product_select()
_CURRENT_PERIOD = _current_period_select()


def _period(row: Row[Any]) -> CatalogPeriod:
    return CatalogPeriod(row.code, row.name, row.starts_on, row.ends_on, row.ordering_open)
