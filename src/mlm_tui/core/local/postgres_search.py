"""Search on PostgreSQL: what SQLite's FTS5 indexes find, found through a B-tree of words
and ``pg_trgm``.

The words are folded in Python by the very code that folds a query
(:mod:`mlm_tui.core.local.search_index`), never by the database: ``lower()`` and
``pg_trgm`` follow the database's ctype, and on a database whose ctype is ``C`` they leave
Cyrillic and umlauts as they are. Each product and member has a row of folded text
beside it (``product_words``, ``member_words``), every word behind two spaces as in the
substring index of SQLite. Which products a search finds is said by that text alone:

- a word *begins* with what was typed: ``words`` holds ``'  крем'``;
- a word *holds* it (three letters or more): ``words`` holds ``'машка'``;
- the name begins with it: ``name`` (or its German spelling) begins with ``'крем'``.

What reads the candidates those are checked on is an inverted index beside them:
``product_word`` holds each folded word of a product's code, name and category (both
spellings) as a row of a B-tree (period, word, product), and whether it is the first word
of the name (a partial index of those). The products with a word that begins with what was
typed are one range of it (``word >= 'крем' AND word < 'крен'``, by code point: the text is
compared in ``C`` order, so the database's ctype does not matter and nothing is coded
there), and within one word they are in the order of their ids, newest last. A word
typed is looked for inside words through the GIN trigram index of ``inner_words``. On a
database whose ctype is ``C``, ``pg_trgm`` takes no letter outside ASCII for a letter, and
a pattern of Cyrillic letters would give the index nothing to look up (every row read).
There (and only there: the code makes trigrams far less telling) the folded text is kept
in ASCII (``indexed``): each other letter is written as ``X`` and five capitals of A..W, a
code no folded text holds otherwise (folded text is lower case), so a pattern written the
same way matches exactly where the letters matched, and never across a letter's code.
Which way a database keeps them is decided when its schema is made and kept in
``search_letters``.

Triggers mark a row stale (its ``words`` NULL) when a product's code, name, category or
period, a category's name, or a member's name is written; before the write transaction
commits, the store folds the stale rows and writes their ``product_word`` anew
(``refresh_if_written``), so no other connection ever sees one stale.

How the candidates are read is the statements' own (``ProductSearch``), never the
planner's: it cannot tell how many products a word begins (a trigram pattern's
selectivity was out by orders of magnitude), nor that a code's first digits are those of
a few old products, for which a plan that scanned the table backwards read most of it.

Ranking differs from SQLite's bm25: names that begin with the first word come first,
then those whose code or name (rather than category) holds every word, then by code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache
from itertools import pairwise
from typing import Any

from sqlalchemy import Connection, Engine, Row, TextClause, TextualSelect, text

from mlm_tui.core.local.changes import writes_to
from mlm_tui.core.local.search_index import (
    SUBSTRING_AT_LEAST,
    WORD_START,
    search_name,
    search_spelling,
    search_substrings,
)
from mlm_tui.core.rules.search_folding import index_words, search_terms


def _stale_when_written(words: str, key: str, table: str, columns: str) -> tuple[str, str]:
    """The function and trigger that mark a row of ``words`` stale when ``columns`` of its
    row in ``table`` are written (a new row gets its stale one)."""
    return (
        f"""CREATE FUNCTION {words}_stale() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {words} ({key}) VALUES (NEW.id)
        ON CONFLICT ({key}) DO UPDATE SET words = NULL;
        RETURN NULL;
    END $$""",
        f"""CREATE TRIGGER {words}_stale AFTER INSERT OR UPDATE OF {columns}
    ON {table} FOR EACH ROW EXECUTE FUNCTION {words}_stale()""",
    )


# The schema version that brought ``product_word``.
WORD_INDEX_VERSION = 15
# What a product's words are made of (its period: the words are kept by period).
PRODUCT_COLUMNS = "code, name, category_id, period_id"
PRODUCT_WORD_DDL = (
    """CREATE TABLE IF NOT EXISTS product_word (
        period_id integer NOT NULL,
        word text COLLATE "C" NOT NULL,
        product_id integer NOT NULL REFERENCES products(id) ON DELETE CASCADE,
        initial boolean NOT NULL,
        PRIMARY KEY (period_id, word, product_id))""",
    """CREATE INDEX IF NOT EXISTS ix_product_word_initial
        ON product_word (period_id, word, product_id) WHERE initial""",
    # The words of a product: those written anew, and whether it has one (``EXISTS``).
    """CREATE INDEX IF NOT EXISTS ix_product_word_product
        ON product_word (product_id, word) INCLUDE (initial)""",
)

DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE TABLE product_words (
        product_id integer PRIMARY KEY REFERENCES products(id) ON DELETE CASCADE,
        words text COLLATE "C", name_words text COLLATE "C",
        name text COLLATE "C", spelling text COLLATE "C", inner_words text COLLATE "C")""",
    """CREATE INDEX ix_product_words_inner ON product_words
        USING gin (inner_words gin_trgm_ops)""",
    "CREATE INDEX ix_product_words_stale ON product_words (product_id) WHERE words IS NULL",
    *PRODUCT_WORD_DDL,
    """CREATE TABLE member_words (
        member_id integer PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
        words text COLLATE "C")""",
    "CREATE INDEX ix_member_words_trgm ON member_words USING gin (words gin_trgm_ops)",
    "CREATE INDEX ix_member_words_stale ON member_words (member_id) WHERE words IS NULL",
    *_stale_when_written("product_words", "product_id", "products", PRODUCT_COLUMNS),
    """CREATE FUNCTION category_words_stale() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE product_words SET words = NULL
        WHERE product_id IN (SELECT id FROM products WHERE category_id = NEW.id);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER category_words_stale AFTER UPDATE OF name ON categories
    FOR EACH ROW EXECUTE FUNCTION category_words_stale()""",
    *_stale_when_written("member_words", "member_id", "members", "full_name"),
)


_LETTERS_KEY = "search_letters"


def create(conn: Connection) -> None:
    for ddl in DDL:
        conn.exec_driver_sql(ddl)
    # A table of this dialect's own, not a row of ``meta``: a copied store brings its
    # meta along, and this is the database's, not the store's.
    conn.exec_driver_sql("CREATE TABLE search_letters (coded boolean NOT NULL)")
    conn.exec_driver_sql("INSERT INTO search_letters "
                         "SELECT cardinality(show_trgm('жжж')) = 0")


def letters_coded(conn: Connection) -> bool:
    """Whether this database keeps its indexed words coded (see above); read once per
    connection of the pool."""
    known = conn.info.get(_LETTERS_KEY)
    if known is None:
        known = bool(conn.exec_driver_sql("SELECT coded FROM search_letters").scalar_one())
        conn.info[_LETTERS_KEY] = known
    return bool(known)


# --- keeping the words -----------------------------------------------------------------------

_MARK = "X"
_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVW"  # 23 capitals, none of them the mark
_WIDTH = 5  # 23**5 > every code point


def _letter(ch: str) -> str:
    point, code = ord(ch), []
    for _ in range(_WIDTH):
        point, digit = divmod(point, len(_DIGITS))
        code.append(_DIGITS[digit])
    return _MARK + "".join(reversed(code))


_CODES_KEPT = 4096  # the alphabets of a few markets, many times over


class _Codes(dict[int, "int | str"]):
    """Each character as ``indexed`` writes it, for ``str.translate``: ASCII as it is,
    any other letter coded; each worked out the first time it is met, and kept while
    fewer than ``_CODES_KEPT`` are (what anybody may type cannot make it grow for ever)."""

    def __missing__(self, point: int) -> int | str:
        code = point if point < 128 else _letter(chr(point))
        if len(self) < _CODES_KEPT:
            self[point] = code
        return code


_CODES = _Codes()


def indexed(text: str, coded: bool = True) -> str:
    """Folded text as the trigram index keeps it: as it is, or where ``coded``, ASCII as
    it is and any other letter coded (see above): ``"  öl"`` -> ``"  XAAAKQl"``."""
    return text if not coded or text.isascii() else text.translate(_CODES)


_PRODUCTS_READ = ("SELECT p.id, p.period_id, p.code, p.name, c.name AS category "
                  "FROM products AS p JOIN categories AS c ON c.id = p.category_id ")
_STALE_PRODUCTS = text(_PRODUCTS_READ + "JOIN product_words AS w ON w.product_id = p.id "
                       "WHERE w.words IS NULL")
_EVERY_PRODUCT = text(_PRODUCTS_READ)
_DROP_WORDS = text("DELETE FROM product_word WHERE product_id = ANY(CAST(:ids AS integer[]))")
# In the order of the index: a range of it is then read from a few pages of the table (where
# the visibility map does not spare reading them, autovacuum having not been by yet).
_PUT_WORDS = text(
    "INSERT INTO product_word (period_id, word, product_id, initial) "
    "SELECT * FROM unnest(CAST(:periods AS integer[]), CAST(:words AS text[]), "
    "CAST(:ids AS integer[]), CAST(:initials AS boolean[])) ORDER BY 1, 2, 3")
_WORD_ROWS = 200_000  # rows of ``product_word`` per statement
_SET_PRODUCT = text(
    "UPDATE product_words SET words = :words, name_words = :name_words, name = :name, "
    "spelling = :spelling, inner_words = :inner_words WHERE product_id = :id")
_STALE_MEMBERS = text(
    "SELECT m.id, m.full_name FROM member_words AS w JOIN members AS m ON m.id = w.member_id "
    "WHERE w.words IS NULL")
_SET_MEMBER = text("UPDATE member_words SET words = :words WHERE member_id = :id")
_INDEXED = frozenset({"products", "categories", "members"})
# On a connection: the write transaction that last folded its stale rows, and how many
# statements writing ``_INDEXED`` it had sent by then.
_FOLDED = "mlm_tui.search_folded"


def inner_words(text: str) -> str:
    """Each word without its first letter: a query found there is found inside a word, not
    at its start (``"Ромашка"`` holds «машка» there, «ромаш» not)."""
    return "".join(WORD_START + word[1:] for word in index_words(text) if len(word) > 1)


def refresh_if_written(conn: Connection) -> None:
    """Fold the stale rows, if this transaction wrote what they are made from since it
    last folded them (a checkout folds before it takes its order's number, and then has
    nothing to fold while the other checkouts wait for that number)."""
    transaction, writes = writes_to(conn, _INDEXED)
    folded = conn.info.get(_FOLDED)
    if writes == 0 or (folded is not None and folded[0] is transaction
                       and folded[1] == writes):
        return
    refresh(conn)
    conn.info[_FOLDED] = (transaction, writes)


def refresh(conn: Connection) -> int:
    """Fold every stale row; how many there were."""
    coded = letters_coded(conn)
    stale = conn.execute(_STALE_PRODUCTS).all()
    products = [
        {"id": row.id,
         "words": indexed(search_substrings(f"{row.code} {row.name} {row.category}"), coded),
         "name_words": indexed(search_substrings(f"{row.code} {row.name}"), coded),
         "inner_words": indexed(inner_words(f"{row.code} {row.name} {row.category}"), coded),
         "name": search_name(row.name), "spelling": search_spelling(row.name)}
        for row in stale]
    if products:
        conn.execute(_SET_PRODUCT, products)
        put_words(conn, stale)
    members = [{"id": row.id, "words": indexed(search_substrings(row.full_name), coded)}
               for row in conn.execute(_STALE_MEMBERS)]
    if members:
        conn.execute(_SET_MEMBER, members)
    return len(products) + len(members)


def put_words(conn: Connection, products: Sequence[Row[Any]]) -> None:
    """The rows of ``product_word`` of these products (id, period_id, code, name,
    category), in place of those they had."""
    conn.execute(_DROP_WORDS, {"ids": [row.id for row in products]})
    batch: dict[str, list[Any]] = {"periods": [], "words": [], "ids": [], "initials": []}
    for row in products:
        first = {*next(iter(search_terms(row.name)), ())}
        for word in dict.fromkeys(index_words(f"{row.code} {row.name} {row.category}")):
            batch["periods"].append(row.period_id)
            batch["words"].append(word)
            batch["ids"].append(row.id)
            batch["initials"].append(word in first)
        if len(batch["words"]) >= _WORD_ROWS:
            conn.execute(_PUT_WORDS, batch)
            batch = {key: [] for key in batch}
    if batch["words"]:
        conn.execute(_PUT_WORDS, batch)


def settle(engine: Engine, *tables: str) -> None:
    """``tables`` (every table of the database if none is named) vacuumed and analysed
    after they were filled, at once rather than once autovacuum has been by (or never,
    where it is off). Until then the planner plans for empty tables, and an index that
    holds all a query reads is read with its table all the same: the index of
    ``product_word``, or a member's 3-month volume at 1M orders (19 ms instead of 10).
    Outside any transaction, as VACUUM must be."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"VACUUM (ANALYZE) {', '.join(tables)}".rstrip())


def add_word_index(conn: Connection) -> None:
    """``product_word`` in a database made before it, filled from every product; the
    trigger that marks a product's words stale firing on a new period too; and the
    indexes it stands in for gone."""
    for ddl in PRODUCT_WORD_DDL:
        conn.exec_driver_sql(ddl)
    # What the word index answers now: these indexes were read for nothing else.
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_product_words_trgm, ix_product_words_name, "
                         "ix_product_words_spelling")
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS product_words_stale ON products")
    conn.exec_driver_sql(_stale_when_written("product_words", "product_id", "products",
                                             PRODUCT_COLUMNS)[1])
    conn.exec_driver_sql("DELETE FROM product_word")
    put_words(conn, conn.execute(_EVERY_PRODUCT).all())
    conn.exec_driver_sql("ANALYZE product_word")  # the planner's figures, before any search


# --- asking ------------------------------------------------------------------------------------

def _escaped(word: str) -> str:
    # Folded words hold letters and digits only; escaped all the same, should that change.
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# A word typed that begins more words of the index than ``MANY_WORDS`` (a code's first
# digits) has its products read as one range: whole where it holds this many rows or fewer
# (5000 rows of the index are read and sorted in about 1 ms, when reading a product from
# the table costs some 2 µs) ...
NARROW = 5000
# ... else the period's newest products are checked first, this many at most, and only if
# they do not fill the page is the range read whole.
WINDOW = 2000
# The same for those found only inside words, read from the table (``inner_words``).
INSIDE_FEW = 400
# Up to this many words a word typed begins are read word by word, merged.
MANY_WORDS = 12
# How many candidates the count reads, at most, to know whether there are more than it
# ranks: a quarter more than that, since one product may be read once for each of its words.
_COUNT_READS = 1.25
# How many of the driver's products the count looks up before it weighs intersecting.
_PROBED = 1500


_STATS_KEY = "product_word_stats"


class WordStats:
    """The planner's figures of ``product_word.word``: its commonest words with their
    shares of the rows, and the bounds that split the rest into equal shares."""

    def __init__(self, common: list[str], shares: list[float], bounds: list[str]) -> None:
        self.common = list(zip(common, shares, strict=True))
        self.rest = 1.0 - sum(shares)
        self.bounds = list(pairwise(bounds))

    def share(self, prefixes: list[str]) -> float:
        """About what share of the rows have a word that begins with one of ``prefixes``
        (a part of one of the rest's shares counted as a quarter of it)."""
        share = 0.0
        for prefix in prefixes:
            after = _after(prefix)
            share += sum(part for word, part in self.common if prefix <= word < after)
            if self.bounds:
                held = sum(1.0 if prefix <= low and high < after else 0.25
                           for low, high in self.bounds if low < after and high >= prefix)
                share += self.rest * held / len(self.bounds)
        return share


def word_stats(conn: Connection) -> WordStats | None:
    """``WordStats`` as ``ANALYZE`` last left them, read once per connection of the pool
    (None where there are none yet)."""
    if _STATS_KEY not in conn.info:
        row = conn.exec_driver_sql(
            "SELECT most_common_vals::text::text[], most_common_freqs, "
            "histogram_bounds::text::text[] FROM pg_stats WHERE schemaname = current_schema() "
            "AND tablename = 'product_word' AND attname = 'word'").first()
        conn.info[_STATS_KEY] = None if row is None else WordStats(
            list(row[0] or ()), list(row[1] or ()), list(row[2] or ()))
    stats: WordStats | None = conn.info[_STATS_KEY]
    return stats


class ProductSearch:
    """A product search on PostgreSQL, in the shape of SQLite's (see
    :class:`mlm_tui.core.local.catalog.Catalog`): which products match is said by the
    patterns of the words typed (``params``) over ``w`` (``product_words``), ``p``
    (products) and ``c`` (categories); the candidates they are checked on are read from
    ``product_word``, the way chosen by how many there are (see above). ``typed`` makes
    a statement that returns ``columns``."""

    def __init__(self, terms: list[tuple[str, ...]], columns: str, *,
                 typed: Callable[[str], TextualSelect], coded: bool = False,
                 stats: WordStats | None = None) -> None:
        self.params: dict[str, str] = {}
        self._columns = columns
        self._typed = typed
        self._outer = ", ".join(f"x.{part.split()[-1].split('.')[-1]}"
                                for part in columns.split(","))
        self._terms = len(terms)
        starts, inside, names, inner = [], [], [], []
        self._inner_of: list[list[str]] = []  # each word's patterns inside words
        self._ranges: list[list[tuple[str, str]]] = []  # each word's ranges of the index
        for i, spellings in enumerate(terms):
            start, within, name, inner_here = [], [], [], []
            for j, word in enumerate(spellings):
                key = f"{i}_{j}"
                self.params[f"w{key}"] = indexed(WORD_START + word, coded)
                fragment = (WORD_START + word if len(word) < SUBSTRING_AT_LEAST
                            or word.isdigit() else word)
                self.params[f"s{key}"] = indexed(fragment, coded)
                start.append(f"strpos(w.words, :w{key}) > 0")
                within.append(f"strpos(w.words, :s{key}) > 0")
                if fragment == word:  # looked for inside words too: by the trigram index
                    self.params[f"l{key}"] = f"%{indexed(_escaped(fragment), coded)}%"
                    inner_here.append(f"w.inner_words LIKE :l{key}")
                name.append(f"strpos(w.name_words, :w{key}) > 0")
            starts.append(_any(start))
            inside.append(_any(within))
            names.append(_any(name))
            inner += inner_here
            self._inner_of.append(inner_here)
            ranges = []
            for j, prefix in enumerate(_least_prefixes(spellings)):
                self.params[f"lo{i}_{j}"], self.params[f"hi{i}_{j}"] = prefix, _after(prefix)
                ranges.append((f"lo{i}_{j}", f"hi{i}_{j}"))
            self._ranges.append(ranges)
        self._shortest = [min(len(word) for word in spellings) for spellings in terms]
        shares = [stats.share(_least_prefixes(spellings)) if stats else 0.0
                  for spellings in terms]
        self._shares = shares
        # The word whose candidates are read when every word must match: the one the
        # planner's figures say begins the fewest words of the index (``word_stats``); of
        # those, or without figures, the longest (a longer beginning is most often the
        # rarer), the last of those.
        self._driver = min(range(self._terms),
                           key=lambda i: (shares[i], -self._shortest[i], -i))
        # Where the driver's products are far fewer than all the words' together, reading
        # the rest of them costs less than intersecting (``count``).
        self._read_on = 10 * shares[self._driver] <= sum(shares)
        self._sparse = False  # every word's start is in few of the lead's products
        self._reading: dict[tuple[int, bool], tuple[list[str] | None, int | None]] = {}
        initial = []
        for j, word in enumerate(terms[0]):
            self.params[f"i{j}"] = word
            initial += [f"strpos(w.name, :i{j}) = 1", f"strpos(w.spelling, :i{j}) = 1"]
        # Found only inside a word: then one of the words typed, at least, is inside a word
        # of it (``inner_words``). Short words and codes are looked for as word starts
        # only: a query of those alone finds nothing inside words.
        self._inner = _any(inner) if inner else ""
        self.match = " AND ".join(starts)
        self.substrings = " AND ".join(inside)
        self.initial = " AND ".join([_any(initial), *starts[1:]])
        self.in_name = " AND ".join(names)

    # --- the statements' parts ---

    def _entries(self, term: int, *, initial: bool = False,
                 period: str = "e.period_id = :period") -> str:
        """The products of ``period`` with a word that begins with the word ``term`` (in
        any spelling; ``initial``: the first word of the name), once for each such word."""
        first = " AND e.initial" if initial else ""
        return " UNION ALL ".join(
            f"SELECT e.product_id FROM product_word AS e WHERE {period} "
            f"AND e.word >= :{low} AND e.word < :{high}{first}"
            for low, high in self._ranges[term])

    def _begins(self, term: int, alias: str = "f", *, initial: bool = False) -> str:
        """The row ``alias`` of the index is a word that begins with the word ``term``
        (in one of its spellings; ``initial``: and is the first word of the name)."""
        begins = "(" + " OR ".join(f"{alias}.word >= :{low} AND {alias}.word < :{high}"
                                   for low, high in self._ranges[term]) + ")"
        return f"{begins} AND {alias}.initial" if initial else begins

    def _with_others(self, term: int) -> str:
        """Each other word begins a word of the product ``e`` too: looked up in the index
        by product, once for each (``OFFSET 0``: never read whole and joined), the rarest
        by the figures first, since the first that fails ends the looking."""
        others = sorted((other for other in range(self._terms) if other != term),
                        key=self._shares.__getitem__)
        return " AND ".join(
            "EXISTS (SELECT 1 FROM product_word AS f WHERE f.product_id = e.product_id "
            f"AND {self._begins(other)} OFFSET 0)"
            for other in others) or "true"

    def _every_period(self, term: int) -> str:
        """``_entries`` of every period."""
        return (f"SELECT e.product_id FROM periods AS pd CROSS JOIN LATERAL "
                f"({self._entries(term, period='e.period_id = pd.id')}) AS e")

    def _word_starts(self, found: str | None = None) -> str:
        """The products of the period (or those ``found`` of the driver's) with a word that
        begins with each word typed; one of them once for each of its words that begins
        with the driver's."""
        term = self._driver
        found = found or self._entries(term)
        return f"SELECT e.product_id FROM ({found}) AS e WHERE {self._with_others(term)}"

    def _intersected(self, term_entries: Callable[[int], str]) -> str:
        """The products with a word that begins with each word typed, once each: every
        word's products read from the index alone and intersected (by hashing), for when
        the driver's are many and few of them have the others."""
        if self._terms == 1:
            return f"SELECT DISTINCT e.product_id FROM ({term_entries(0)}) AS e"
        return " INTERSECT ".join(f"SELECT e.product_id FROM ({term_entries(i)}) AS e"
                                  for i in range(self._terms))

    def _not_initial(self) -> str:
        """For newest-first group 1: the name does not begin with the first word, as the
        index says (none of that word's rows is the name's first word), so that only
        products of the group are read from the table."""
        return (" AND NOT EXISTS (SELECT 1 FROM product_word AS f WHERE f.product_id = "
                f"e.product_id AND {self._begins(0, initial=True)} OFFSET 0)")

    def _inside_candidates(self) -> str:
        return f"SELECT w.product_id FROM product_words AS w WHERE {self._inner}"

    def _checked(self, found: str, where: str, category: str, order: str, *,
                 ranked: bool = False) -> str:
        """The products of ``found`` (a ``product_id`` each) that match ``where``, in
        ``order``: each checked in turn, so that reading stops when the page is full."""
        ranks = f", ({self.initial}) AS first_, ({self.in_name}) AS named_" if ranked else ""
        return (f"SELECT {self._outer} FROM ({found}) AS found CROSS JOIN LATERAL ("
                f"SELECT {self._columns}{ranks} FROM product_words AS w "
                "JOIN products AS p ON p.id = w.product_id "
                "JOIN categories AS c ON c.id = p.category_id "
                f"WHERE w.product_id = found.product_id AND {where} "
                f"AND p.period_id = :period AND p.id != :exact {category} OFFSET 0) AS x "
                f"ORDER BY {order} LIMIT :limit")

    @staticmethod
    def _recent(category: str) -> str:
        """The period's newest ``:window`` products before ``:before``."""
        return ("SELECT p.id AS product_id FROM products AS p WHERE p.period_id = :period "
                f"AND p.id < :before {category} ORDER BY p.id DESC LIMIT :window")

    def _group(self, group: int) -> str:
        """The groups of SQLite's newest-first reading, in its order."""
        if group == 0:
            return self.initial
        if group == 1:
            return f"{self.match} AND NOT ({self.initial})"
        return f"{self._inner} AND {self.substrings} AND NOT ({self.match})"

    # --- asking ---

    def count(self, conn: Connection, params: dict[str, Any], cap: int) -> int:
        """How many products of any period hold every word (``substrings``), up to
        ``cap``: those with a word that begins with each, and if there are fewer than
        ``cap``, those that hold one only inside a word (the trigram index).

        The first are read from the index alone: the driver's products, each looked up
        for the other words, until ``cap`` are found (a product may come once for each
        of its words that begin with the driver's: a quarter more are read, and the rare
        time that is not enough, all of them). If ``_PROBED`` of the driver's did not
        find them, they are read on; or, where not a quarter of ``cap`` was found among
        those and the driver's products are not far fewer than the others' (by the
        figures), those are few among its products: every word's are intersected
        instead."""
        reads = round(_COUNT_READS * cap)
        inside = (f"(SELECT count(*) FROM (SELECT 1 FROM product_words AS w WHERE {self._inner} "
                  f"AND {self.substrings} AND NOT ({self.match}) LIMIT :cap) AS x)"
                  if self._inner else "0")
        driver = f"{self._every_period(self._driver)} LIMIT :probed"
        # With what tells newest-first reading how to read (``_reading_of``), in the same
        # round trip.
        spelled, readings = self._readings()
        found, read, probed, only_inside, *reading = conn.execute(_text(
            f"WITH driver AS MATERIALIZED ({driver}) "
            "SELECT starts[1], starts[2], CASE WHEN starts[2] < :reads THEN "
            "(SELECT count(*) FROM driver) END, CASE WHEN starts[1] < :cap AND "
            f"starts[2] < :reads THEN {inside} END, {', '.join(readings)} FROM (SELECT "
            "(SELECT ARRAY[count(DISTINCT product_id), count(*)] FROM "
            f"({self._word_starts('SELECT product_id FROM driver')} LIMIT :reads) AS e) "
            f"AS starts, {', '.join(spelled)} OFFSET 0) AS counted"),
            {**params, "cap": cap, "reads": reads, "probed": _PROBED,
             **self._reading_params()}).one()
        self._note_readings(reading)
        if found >= cap:
            return cap
        if read < reads and probed == _PROBED:
            # Where a quarter of ``cap`` or more were found, reading on finds the rest
            # soon; where fewer, intersecting costs less, unless the driver's are few.
            self._sparse = 4 * found < cap and not self._read_on
            if not self._sparse:
                found, read = conn.execute(_text(
                    "SELECT count(DISTINCT product_id), count(*) FROM "
                    f"({self._word_starts(self._every_period(self._driver))} LIMIT :reads) "
                    "AS e"), {**params, "reads": reads}).one()
                if found >= cap:
                    return cap
        if self._sparse or read == reads:  # all of them, once each
            every = (self._intersected(self._every_period) if self._sparse
                     else self._word_starts(self._every_period(self._driver)))
            found, only_inside = conn.execute(_text(
                f"SELECT (SELECT count(DISTINCT product_id) FROM ({every}) AS e), {inside}"),
                {**params, "cap": cap}).one()
        return min(int(found) + int(only_inside), cap)

    def word_ranked(self, conn: Connection, params: dict[str, Any], category: str,
                    limit: int) -> list[Row[Any]]:
        """Every word's start matched, ranked (a few hundred at most): found as ``count``
        found them."""
        found = (self._intersected(self._entries) if self._sparse
                 else f"SELECT DISTINCT e.product_id FROM ({self._word_starts()}) AS e")
        statement = self._checked(found, self.match, category,
                                  "x.first_ DESC, x.named_ DESC, x.code", ranked=True)
        return list(conn.execute(self._typed(statement), {**params, "limit": limit}))

    def inside_words(self, conn: Connection, params: dict[str, Any], category: str,
                     limit: int) -> list[Row[Any]]:
        """Those that hold the words only inside a word, by code."""
        if not self._inner:
            return []
        statement = self._checked(self._inside_candidates(), self._group(2), category,
                                  "x.code")
        return list(conn.execute(self._typed(statement), {**params, "limit": limit}))

    def _spelled(self, term: int, *, initial: bool) -> list[str]:
        """The statements that read the words of the period's index that begin with the
        word ``term`` (``initial``: first words of names), one for each of its ranges: an
        array of them, of ``MANY_WORDS`` + 1 at most (each found with one look into the
        index after the one before)."""
        first = " AND e.initial" if initial else ""
        nearest = ("SELECT e.word FROM product_word AS e WHERE e.period_id = :period "
                   "AND e.word {} AND e.word < :{}" + first + " ORDER BY e.word LIMIT 1")
        return [f"(WITH RECURSIVE found(word) AS (({nearest.format(f'>= :{low}', high)}) "
                f"UNION ALL SELECT ({nearest.format('> found.word', high)}) FROM found "
                "WHERE found.word IS NOT NULL) SELECT array_agg(word) FROM (SELECT word "
                "FROM found WHERE word IS NOT NULL LIMIT :words) AS found)"
                for low, high in self._ranges[term]]

    def _sources(self) -> list[tuple[int, bool]]:
        """Whose words newest-first groups 0 and 1 read: the first word's that begin a
        name, and the driver's."""
        return [(0, True), (self._driver, False)]

    def _readings(self) -> tuple[list[str], list[str]]:
        """What tells how to read each of ``_sources``: the words it begins (``_spelled``),
        to be selected in a subquery, and over them, where there are too many to read word
        by word, how many rows its range holds, up to ``NARROW`` + 1."""
        spelled, rows, k = [], [], 0
        for term, initial in self._sources():
            arrays = [f"r{k + i}" for i in range(len(self._ranges[term]))]
            spelled += [f"{statement} AS {array}" for statement, array
                        in zip(self._spelled(term, initial=initial), arrays, strict=True)]
            k += len(arrays)
            held = " + ".join(f"coalesce(cardinality({array}), 0)" for array in arrays)
            rows.append(f"CASE WHEN {held} > :many THEN (SELECT count(*) FROM "
                        f"({self._entries(term, initial=initial)} LIMIT :narrow + 1) AS e) END")
        return spelled, [f"r{i}" for i in range(k)] + rows

    def _note_readings(self, found: Sequence[Any]) -> None:
        values = iter(found)
        arrays = {(term, initial): [next(values) or () for _ in self._ranges[term]]
                  for term, initial in self._sources()}
        for source, spelled in arrays.items():
            words = [word for array in spelled for word in array]
            self._reading[source] = (words if len(words) <= MANY_WORDS else None,
                                     next(values))

    def _reading_of(self, conn: Connection, params: dict[str, Any], term: int,
                    initial: bool) -> tuple[list[str] | None, int | None]:
        """The words of the period that begin with the word ``term`` (``initial``: first
        words of names), or None if there are more than ``MANY_WORDS``; and then, how many
        rows their range holds (up to ``NARROW`` + 1)."""
        if (term, initial) not in self._reading:
            spelled, readings = self._readings()
            self._note_readings(conn.execute(_text(
                f"SELECT {', '.join(readings)} FROM (SELECT {', '.join(spelled)} OFFSET 0) "
                "AS spelled"), {**params, **self._reading_params()}).one())
        return self._reading[term, initial]

    def _reading_params(self) -> dict[str, int]:
        return {"words": MANY_WORDS + 1, "many": MANY_WORDS, "narrow": NARROW}

    def newest(self, conn: Connection, group: int, params: dict[str, Any], category: str,
               before: int, limit: int) -> list[Row[Any]]:
        """Up to ``limit`` of a group of SQLite's newest-first reading (0: the name begins
        with the first word; 1: the other word-start matches; 2: only inside words),
        newest first from before the product id ``before``.

        Groups 0 and 1 read the products of a word typed (a name's first word, or the
        driver's): word by word where it begins ``MANY_WORDS`` or fewer words of the
        index; else (a code's first digits) as one range, whole where it holds ``NARROW``
        rows or fewer, else after the period's newest ``WINDOW`` products, checked, did not
        fill the page."""
        values = {**params, "before": before, "limit": limit}
        if group == 2:
            if not self._inner:
                return []
            return self._inside_newest(conn, values, category)
        where = self._group(group)
        term, initial = self._sources()[group]
        words, rows = self._reading_of(conn, params, term, initial)
        if words is not None:
            if not words:
                return []
            return self._word_by_word(conn, values, category, group, words)
        newest_first = "found.product_id DESC"
        if rows is not None and rows > NARROW:
            recent = list(conn.execute(self._typed(self._checked(
                self._recent(category), where, category, newest_first)),
                {**values, "window": WINDOW}))
            if len(recent) == limit:
                return recent
        return list(conn.execute(self._typed(self._checked(
            f"SELECT DISTINCT e.product_id FROM ({self._entries(term, initial=initial)}) AS e "
            "WHERE e.product_id < :before ORDER BY e.product_id DESC", where, category,
            newest_first)), values))

    def _word_by_word(self, conn: Connection, values: dict[str, Any], category: str,
                      group: int, words: list[str]) -> list[Row[Any]]:
        """The products of group ``group`` (0 or 1) among those of ``words`` (the words its
        source begins), newest first: each word's read in the index's order, merged, and
        checked in turn until the page is full."""
        term, initial = self._sources()[group]
        first = " AND e.initial" if initial else ""
        merged = " UNION ALL ".join(
            f"(SELECT e.product_id, e.word FROM product_word AS e WHERE e.period_id = :period "
            f"AND e.word = :x{i}{first} AND e.product_id < :before ORDER BY e.product_id DESC)"
            for i in range(len(words)))
        # A product with two of the words is taken at the first of them; every other word
        # typed is looked up in the index before the product is read.
        once = "true" if len(words) == 1 else (
            "NOT EXISTS (SELECT 1 FROM product_word AS f WHERE f.product_id = e.product_id "
            f"AND f.word < e.word AND {self._begins(term, initial=initial)} "
            "OFFSET 0)")
        # Checked after merging, not pushed into each word's reading (``OFFSET 0``): a word
        # none of whose products passes would be read whole before the first product.
        found = (f"SELECT e.product_id FROM (SELECT * FROM ({merged}) AS e "
                 f"ORDER BY e.product_id DESC OFFSET 0) AS e "
                 f"WHERE {once} AND {self._with_others(term)}"
                 + (self._not_initial() if group == 1 else ""))
        statement = self._checked(found, self._group(group), category,
                                  "found.product_id DESC")
        return list(conn.execute(self._typed(statement), {
            **values, **{f"x{i}": word for i, word in enumerate(words)}}))

    def _inside_newest(self, conn: Connection, values: dict[str, Any],
                       category: str) -> list[Row[Any]]:
        """Group 2, in one statement: its candidates (from the trigram index, each read
        from the table), if ``INSIDE_FEW`` or fewer, read whole and checked newest first;
        else the period's newest ``WINDOW`` products checked, and only if they do not fill
        the page, every candidate."""
        where, candidates = self._group(2), self._inside_candidates()
        newest_first = "found.product_id DESC"
        few = self._checked("SELECT DISTINCT product_id FROM source ORDER BY product_id DESC",
                            where, category, newest_first)
        recent = self._checked(self._recent(category), where, category, newest_first)
        every = self._checked(
            f"SELECT DISTINCT e.product_id FROM ({candidates}) AS e "
            "WHERE e.product_id < :before ORDER BY e.product_id DESC", where, category,
            newest_first)
        statement = (
            f"WITH source AS MATERIALIZED (SELECT e.product_id FROM ({candidates}) AS e "
            "WHERE e.product_id < :before LIMIT :few + 1), "
            "few AS MATERIALIZED (SELECT count(*) <= :few AS few FROM source), "
            f"recent AS MATERIALIZED ({recent}), "
            "filled AS MATERIALIZED (SELECT count(*) = :limit AS filled FROM recent) "
            f"SELECT * FROM (SELECT * FROM ({few}) AS few_rows WHERE (SELECT few FROM few) "
            "UNION ALL SELECT * FROM recent WHERE NOT (SELECT few FROM few) "
            "AND (SELECT filled FROM filled) "
            f"UNION ALL SELECT * FROM ({every}) AS every_row WHERE NOT (SELECT few FROM few) "
            "AND NOT (SELECT filled FROM filled)) AS found ORDER BY id DESC")
        return list(conn.execute(self._typed(statement), {
            **values, "few": INSIDE_FEW, "window": WINDOW}))


def _least_prefixes(spellings: Iterable[str]) -> list[str]:
    """The spellings of a word, without those that begin with another: their ranges of the
    index are then apart."""
    kept: list[str] = []
    for word in sorted(set(spellings)):
        if not kept or not word.startswith(kept[-1]):
            kept.append(word)
    return kept


def _after(prefix: str) -> str:
    """The least text after every text that begins with ``prefix``, by code point (as
    ``COLLATE "C"`` orders UTF-8): its last letter one further."""
    last = ord(prefix[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:  # no text holds a surrogate
        last = 0xE000
    # A folded word holds letters and digits only: U+10FFFF, no letter, never ends one.
    return prefix[:-1] + chr(min(last, 0x10FFFF))


@cache
def _text(sql: str) -> TextClause:
    return text(sql)


def _any(conditions: list[str]) -> str:
    return conditions[0] if len(conditions) == 1 else "(" + " OR ".join(conditions) + ")"


def member_matches(terms: list[tuple[str, ...]], *,
                   coded: bool = False) -> tuple[str, dict[str, str]]:
    """The ids of members whose name has a word beginning with each word typed (in one
    of its spellings): SQL and its parameters."""
    params: dict[str, str] = {}
    every = []
    for i, spellings in enumerate(terms):
        any_of = []
        for j, word in enumerate(spellings):
            params[f"m{i}_{j}"] = f"%{indexed(WORD_START + _escaped(word), coded)}%"
            any_of.append(f"words LIKE :m{i}_{j}")
        every.append(_any(any_of))
    return "SELECT member_id FROM member_words WHERE " + " AND ".join(every), params
