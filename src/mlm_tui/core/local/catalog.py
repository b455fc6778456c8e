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

Words are found inside words too ("машка" finds «Ромашка», through the trigram index
``products_substring_fts``): such matches come after every word-start match. Results come
page by page (``search_products_page``); a page's position is where its last product
stands in that order, so the next page goes on from there without reading the ones
before again (an empty query: the last code).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, Protocol

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

from mlm_tui.core.errors import NotFound, ValidationError
from mlm_tui.core.local import postgres_search
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.base import LocalBase
from mlm_tui.core.local.kept_pricing import kept_pricing
from mlm_tui.core.local.read_once import read_once
from mlm_tui.core.local.search_index import every_substring, every_word, prefix_term
from mlm_tui.core.models import (
    CatalogPeriod,
    Category,
    MemberKind,
    Page,
    Product,
    Promotion,
    PromotionKind,
)
from mlm_tui.core.money import Money
from mlm_tui.core.pricing import UnitPrices
from mlm_tui.core.rules.search_folding import search_terms
from mlm_tui.core.validation import search_text
from mlm_tui.i18n import N_

GIFT_MARK = N_("gift")
DELIVERY_MARK = N_("instead of delivery")
CLOSED_SALE_MARK = N_("closed sale")

# Up to this many full-text matches are ranked (bm25); beyond it they come in index order.
RANK_AT_MOST = 200
_CHUNK = 500  # bound parameters per IN list


_EVERY = 10**9  # a limit no catalog reaches


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
        return list(self.search_products_page(query, category_id=category_id,
                                              limit=limit).items)

    def search_products_page(
        self, query: str, *, category_id: int | None = None, after: str | None = None,
        limit: int = 50,
    ) -> Page[Product]:
        if limit <= 0:
            return Page((), None)
        query = search_text(query)
        with self.store.read() as conn:
            period = current_period_row(conn, self.clock().date())
            catalog = Catalog(conn, period, self.company().currency,
                              consultant=self._buys_as_consultant(conn))
            if not query.strip():
                return catalog.listing(category_id, after, limit)
            return catalog.search(query, category_id, after, limit)

    def product(self, code: str) -> Product:
        with self.store.read() as conn:
            period = current_period_row(conn, self.clock().date())
            found = Catalog(conn, period, self.company().currency,
                              consultant=self._buys_as_consultant(conn)).by_code([code.strip()])
        if not found:
            raise NotFound(N_("There is no product {code} in this catalog."),
                           field="code", params={"code": code})
        return next(iter(found.values()))

    def product_digests(self, bucket: str | None = None) -> dict[str, str]:
        from mlm_tui.core.catalog_digests import digests_of

        # The whole catalog is read: a replica asks about once per refresh.
        return digests_of(self.search_products_page("", limit=_EVERY).items, bucket)

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
        kind = self._my_kind(conn)
        return kind in (None, MemberKind.CONSULTANT.value)


class Catalog:
    """The current period's products and promotions, read through one connection.

    Every product read is priced for the buyer (``consultant`` or a customer) by
    :func:`mlm_tui.core.pricing.unit_price` (``UnitPrices``), the rule the cart charges by.
    """

    def __init__(self, conn: Connection, period: Row[Any], currency: str, *,
                 consultant: bool = True) -> None:
        self.conn = conn
        self.period = period
        self.currency = currency
        self.consultant = consultant
        self.promotions = _promotions(conn, period, currency)
        self.marks = promotion_marks(self.promotions)
        self.prices = UnitPrices(self.promotions, consultant)

    def by_code(self, codes: Iterable[str]) -> dict[str, Product]:
        wanted = list(dict.fromkeys(code for code in codes if code))
        rows: list[Row[Any]] = []
        for start in range(0, len(wanted), _CHUNK):
            rows += self.conn.execute(
                _PRODUCTS_BY_CODE,
                {"period": self.period.id, "codes": wanted[start:start + _CHUNK]}).all()
        return {row.code: self._product(row) for row in rows}

    def listing(self, category_id: int | None, after: str | None,
                limit: int) -> Page[Product]:
        """The period's products (of a category) in code order, from after ``after``."""
        p = t.products
        query = _PRODUCTS.where(p.c.period_id == self.period.id)
        if category_id is not None:
            query = query.where(p.c.category_id == category_id)
        if after is not None:
            query = query.where(p.c.code > after)
        rows = self.conn.execute(query.order_by(p.c.code).limit(limit + 1)).all()
        more = len(rows) > limit
        return Page(tuple(self._product(row) for row in rows[:limit]),
                    rows[limit - 1].code if more else None)

    def search(self, query: str, category_id: int | None, after: str | None,
               limit: int) -> Page[Product]:
        terms = search_terms(query)
        if not terms:
            return Page((), None)  # only punctuation: nothing a person could have meant
        exact = self._exact(query.strip(), category_id)
        statements = search_statements(self.conn, terms)
        params = {**statements.params, "period": self.period.id,
                  "category": category_id, "exact": -1 if exact is None else exact.id}
        position = SearchPosition.read(after) if after is not None else None
        ranked = (position.ranked if position is not None else
                  statements.count(self.conn, params, RANK_AT_MOST + 1) <= RANK_AT_MOST)
        # The exact code leads the first page and is left out of every list after it.
        lead = [exact] if exact is not None and position is None else []
        wanted = limit + 1 - len(lead)  # one more than fits tells whether there are more
        if ranked:
            skip = position.skip if position is not None else 0
            rows = lead + self._ranked(statements, params, category_id, skip + wanted)[skip:]
            more = len(rows) > limit
            next_position = SearchPosition(True, skip=skip + limit - len(lead))
        else:
            start = position if position is not None else SearchPosition(False)
            found = self._newest(statements, params, category_id, start, wanted)
            rows = lead + [row for row, _ in found]
            more = len(rows) > limit
            shown = limit - len(lead)  # of those found, how many this page shows
            next_position = found[shown - 1][1] if more and shown > 0 else start
        page = tuple(self._product(row) for row in rows[:limit])
        return Page(page, next_position.write() if more else None)

    def _ranked(self, statements: SearchStatements, params: dict[str, Any],
                category_id: int | None, count: int) -> list[Row[Any]]:
        """Up to ``count``: matches of every word's start ranked (``_word_ranked``), then
        those that hold the words only inside a word, by code."""
        rows = statements.word_ranked(self.conn, params, category_id, count)
        if len(rows) < count:
            rows += statements.inside_words(self.conn, params, category_id, count - len(rows))
        return rows

    def _newest(self, statements: SearchStatements, params: dict[str, Any],
                category_id: int | None, start: SearchPosition,
                count: int) -> list[tuple[Row[Any], SearchPosition]]:
        """Up to ``count`` from ``start`` on: the newest whose name begins with the query,
        then the newest of the other word-start matches, then the newest that hold the
        words only inside a word; each with the position just after it."""
        found: list[tuple[Row[Any], SearchPosition]] = []
        group, before = start.group, start.before
        while len(found) < count and group < NEWEST_GROUPS:
            rows = statements.newest(self.conn, group, params, category_id, before,
                                     count - len(found))
            found += [(row, SearchPosition(False, group=group, before=row.id))
                      for row in rows]
            group, before = group + 1, _NO_ROWID
        return found

    def _exact(self, code: str, category_id: int | None) -> Row[Any] | None:
        """The product whose code is exactly what was typed, in the period and category."""
        p = t.products
        query = _PRODUCTS.where(p.c.period_id == self.period.id, p.c.code == code)
        if category_id is not None:
            query = query.where(p.c.category_id == category_id)
        return self.conn.execute(query).first()

    def _product(self, row: Row[Any]) -> Product:
        retail = Money(row.retail_price, self.currency)
        consultant = Money(row.consultant_price, self.currency)
        return Product(
            code=row.code,
            name=row.name,
            category=row.category,
            period=self.period.code,
            retail_price=retail,
            consultant_price=consultant,
            points=row.points,
            stock=row.stock,
            promotion_marks=self.marks.get(row.code, ()),
            description=row.description,
            your_price=self.prices.price(row.code, retail, consultant),  # as the cart charges
        )


# How many hold the words in any period, up to one more than are ranked: enough to choose
# how to order them. Without ORDER BY the index is read in its own order and stops at the
# cap.
_COUNT_MATCHES = text("SELECT count(*) FROM (SELECT 1 FROM products_substring_fts "
                      "WHERE products_substring_fts MATCH :substrings LIMIT :cap)")
_NO_ROWID = 2**63 - 1
_COLUMNS = ("p.id, p.period_id, p.category_id, p.code, p.name, p.description, "
            "p.retail_price, p.consultant_price, p.points, p.stock, c.name AS category ")
# CROSS JOIN keeps the full-text index as the outer loop: read in rowid order, LIMIT stops
# early instead of every product of the period being sorted.
# The matches are read whole, with the columns of ``_PRODUCTS``, in one statement.
_MATCHES = ("SELECT " + _COLUMNS +
            "FROM products_fts CROSS JOIN products AS p ON p.id = products_fts.rowid "
            "JOIN categories AS c ON c.id = p.category_id "
            "WHERE products_fts MATCH :match AND p.period_id = :period AND p.id != :exact "
            "{category} ")
_SUBSTRING_MATCHES = (
    "SELECT " + _COLUMNS +
    "FROM products_substring_fts CROSS JOIN products AS p ON p.id = products_substring_fts.rowid "
    "JOIN categories AS c ON c.id = p.category_id "
    "WHERE products_substring_fts MATCH :substrings AND p.period_id = :period "
    "AND p.id != :exact {category} "
    "AND p.id NOT IN (SELECT rowid FROM products_fts WHERE products_fts MATCH :match) ")


def _in_category(category_id: int | None) -> str:
    return "" if category_id is None else "AND p.category_id = :category"


def _word_ranked(category_id: int | None) -> TextualSelect:
    """Names that begin with what was typed first ("Крем ..." before "Пробник крема"), then
    bm25 with a hit in the code or the name (either spelling) worth more than one in the
    category."""
    return _typed(
        _MATCHES.format(category=_in_category(category_id))
        + "ORDER BY p.id IN (SELECT rowid FROM products_fts "
        "WHERE products_fts MATCH :initial) DESC, "
        "bm25(products_fts, 10.0, 5.0, 1.0, 5.0), p.code LIMIT :limit"
    )


def _inside_words(category_id: int | None) -> TextualSelect:
    return _typed(_SUBSTRING_MATCHES.format(category=_in_category(category_id))
                  + "ORDER BY p.code LIMIT :limit")


def _newest_initial(category_id: int | None) -> TextualSelect:
    return _typed(_MATCHES.replace(":match", ":initial").format(
        category=_in_category(category_id))
        + "AND p.id < :before ORDER BY products_fts.rowid DESC LIMIT :limit")


def _newest_word_starts(category_id: int | None) -> TextualSelect:
    return _typed(_MATCHES.format(category=_in_category(category_id))
                  + "AND p.id < :before AND p.id NOT IN (SELECT rowid FROM products_fts "
                  "WHERE products_fts MATCH :initial) "
                  "ORDER BY products_fts.rowid DESC LIMIT :limit")


def _newest_inside_words(category_id: int | None) -> TextualSelect:
    return _typed(_SUBSTRING_MATCHES.format(category=_in_category(category_id))
                  + "AND p.id < :before ORDER BY products_substring_fts.rowid DESC LIMIT :limit")


_NEWEST_GROUPS = (_newest_initial, _newest_word_starts, _newest_inside_words)
NEWEST_GROUPS = len(_NEWEST_GROUPS)


class SearchStatements(Protocol):
    """One product search as a dialect asks it (the words typed are in ``params``; each
    call is given them with the period, category and exact code's id)."""

    params: dict[str, Any]

    def count(self, conn: Connection, params: dict[str, Any], cap: int) -> int:
        """How many products of any period hold the words, up to ``cap``."""
        ...

    def word_ranked(self, conn: Connection, params: dict[str, Any],
                    category_id: int | None, limit: int) -> list[Row[Any]]: ...

    def inside_words(self, conn: Connection, params: dict[str, Any],
                     category_id: int | None, limit: int) -> list[Row[Any]]: ...

    def newest(self, conn: Connection, group: int, params: dict[str, Any],
               category_id: int | None, before: int, limit: int) -> list[Row[Any]]: ...


class _Fts5Search:
    """SQLite: the FTS5 indexes (the statements above, built once)."""

    def __init__(self, terms: list[tuple[str, ...]]) -> None:
        self.params: dict[str, Any] = {"match": fts_query(terms), "initial": fts_initial(terms),
                                       "substrings": every_substring(terms)}

    def count(self, conn: Connection, params: dict[str, Any], cap: int) -> int:
        return int(conn.execute(_COUNT_MATCHES, {**params, "cap": cap}).scalar_one())

    def word_ranked(self, conn: Connection, params: dict[str, Any],
                    category_id: int | None, limit: int) -> list[Row[Any]]:
        return list(conn.execute(_word_ranked(category_id), {**params, "limit": limit}))

    def inside_words(self, conn: Connection, params: dict[str, Any],
                     category_id: int | None, limit: int) -> list[Row[Any]]:
        return list(conn.execute(_inside_words(category_id), {**params, "limit": limit}))

    def newest(self, conn: Connection, group: int, params: dict[str, Any],
               category_id: int | None, before: int, limit: int) -> list[Row[Any]]:
        return list(conn.execute(_NEWEST_GROUPS[group](category_id),
                                 {**params, "before": before, "limit": limit}))


class _PostgresSearch:
    """PostgreSQL: the word index and the trigram indexes
    (:mod:`mlm_tui.core.local.postgres_search`)."""

    def __init__(self, terms: list[tuple[str, ...]], *, coded: bool,
                 stats: postgres_search.WordStats | None) -> None:
        self._search = postgres_search.ProductSearch(terms, _COLUMNS, typed=_typed,
                                                     coded=coded, stats=stats)
        self.params: dict[str, Any] = dict(self._search.params)

    def count(self, conn: Connection, params: dict[str, Any], cap: int) -> int:
        return self._search.count(conn, params, cap)

    def word_ranked(self, conn: Connection, params: dict[str, Any],
                    category_id: int | None, limit: int) -> list[Row[Any]]:
        return self._search.word_ranked(conn, params, _in_category(category_id), limit)

    def inside_words(self, conn: Connection, params: dict[str, Any],
                     category_id: int | None, limit: int) -> list[Row[Any]]:
        return self._search.inside_words(conn, params, _in_category(category_id), limit)

    def newest(self, conn: Connection, group: int, params: dict[str, Any],
               category_id: int | None, before: int, limit: int) -> list[Row[Any]]:
        return self._search.newest(conn, group, params, _in_category(category_id), before,
                                   limit)


def search_statements(conn: Connection, terms: list[tuple[str, ...]]) -> SearchStatements:
    if conn.dialect.name == "postgresql":
        return _PostgresSearch(terms, coded=postgres_search.letters_coded(conn),
                              stats=postgres_search.word_stats(conn) if len(terms) > 1
                              else None)
    return _Fts5Search(terms)


@dataclass(frozen=True, slots=True)
class SearchPosition:
    """Where a page of search results ends: ``ranked``, after ``skip`` of the ranked list
    (a few hundred at most); else in ``group`` of ``_NEWEST_GROUPS``, before the product id
    ``before``."""

    ranked: bool
    skip: int = 0
    group: int = 0
    before: int = _NO_ROWID

    def write(self) -> str:
        if self.ranked:
            return f"r{self.skip}"
        return f"n{self.group}.{self.before}"

    @staticmethod
    def read(after: str) -> SearchPosition:
        try:
            if after[:1] == "r":
                skip = int(after[1:])
                if 0 <= skip <= 10 * RANK_AT_MOST:
                    return SearchPosition(True, skip=skip)
            elif after[:1] == "n":
                group, before = (int(part) for part in after[1:].split("."))
                if 0 <= group < NEWEST_GROUPS and 0 <= before <= _NO_ROWID:
                    return SearchPosition(False, group=group, before=before)
        except ValueError:
            pass
        raise ValidationError(N_("This page position is not valid."), field="after")


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
    row = read_once(conn, ("period", today), _PERIOD_TABLES, lambda: kept_pricing(
        conn, ("period", today), lambda: conn.execute(
            _CURRENT_PERIOD, {"day": today.isoformat()}).first()))
    if row is None:
        raise NotFound(N_("There is no catalog yet."), field="period")
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
    key = ("promotions", period.id, currency)
    return list(read_once(conn, key, _PROMOTION_TABLES, lambda: kept_pricing(
        conn, key, lambda: _read_promotions(conn, period, currency))))


def _read_promotions(conn: Connection, period: Row[Any], currency: str) -> list[Promotion]:
    rows = conn.execute(_PROMOTIONS, {"period": period.id}).all()
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
_PRODUCTS_BY_CODE = _PRODUCTS.where(
    t.products.c.period_id == bindparam("period"),
    t.products.c.code.in_(bindparam("codes", expanding=True)))
_PROMOTIONS = (select(t.promotions).where(t.promotions.c.period_id == bindparam("period"))
               .order_by(t.promotions.c.id))
# What the current period and its promotions are read from.
_PERIOD_TABLES = frozenset({"periods"})
_PROMOTION_TABLES = frozenset({"periods", "promotions"})


def _period(row: Row[Any]) -> CatalogPeriod:
    return CatalogPeriod(row.code, row.name, row.starts_on, row.ends_on, row.ordering_open)
