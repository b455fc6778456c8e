"""Search on PostgreSQL: what SQLite's FTS5 indexes find, found through ``pg_trgm``.

The words are folded in Python by the very code that folds a query
(:mod:`mlm_tui.core.local.search_index`), never by the database: ``lower()`` and
``pg_trgm`` follow the database's ctype, and on a database whose ctype is ``C`` they leave
Cyrillic and umlauts as they are. Each product and member has a row of folded text
beside it (``product_words``, ``member_words``), every word behind two spaces as in the
substring index of SQLite, so that

- a word *begins* with what was typed: ``words LIKE '%  крем%'``;
- a word *holds* it (three letters or more): ``words LIKE '%машка%'``;
- the name begins with it: ``name LIKE 'крем%'`` (or its German spelling).

GIN trigram indexes answer those patterns. On a database whose ctype is ``C``,
``pg_trgm`` takes no letter outside ASCII for a letter, and a pattern of Cyrillic letters
would give the index nothing to look up (every row read). There (and only there: the
code makes trigrams far less telling) the indexed words are kept in ASCII (``indexed``):
each other letter is written as ``X`` and five capitals of A..W, a code no folded text
holds otherwise (folded text is lower case), so a pattern written the same way matches
exactly where the letters matched, and never across a letter's code. Which way a
database keeps them is decided when its schema is made and kept in
``search_letters``. Triggers mark a row stale (its ``words`` NULL)
when a product's code, name or category, a category's name, or a member's name is
written; before the write transaction commits, the store folds the stale rows
(``refresh_if_written``), so no other connection ever sees one stale.

Ranking differs from SQLite's bm25: names that begin with the first word come first,
then those whose code or name (rather than category) holds every word, then by code.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from mlm_tui.core.local.changes import _WRITTEN
from mlm_tui.core.local.search_index import (
    SUBSTRING_AT_LEAST,
    WORD_START,
    search_name,
    search_spelling,
    search_substrings,
)
from mlm_tui.core.rules.search_folding import index_words


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


DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE TABLE product_words (
        product_id integer PRIMARY KEY REFERENCES products(id) ON DELETE CASCADE,
        words text COLLATE "C", name_words text COLLATE "C",
        name text COLLATE "C", spelling text COLLATE "C", inner_words text COLLATE "C")""",
    "CREATE INDEX ix_product_words_trgm ON product_words USING gin (words gin_trgm_ops)",
    """CREATE INDEX ix_product_words_inner ON product_words
        USING gin (inner_words gin_trgm_ops)""",
    "CREATE INDEX ix_product_words_name ON product_words (name text_pattern_ops)",
    "CREATE INDEX ix_product_words_spelling ON product_words (spelling text_pattern_ops)",
    "CREATE INDEX ix_product_words_stale ON product_words (product_id) WHERE words IS NULL",
    """CREATE TABLE member_words (
        member_id integer PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
        words text COLLATE "C")""",
    "CREATE INDEX ix_member_words_trgm ON member_words USING gin (words gin_trgm_ops)",
    "CREATE INDEX ix_member_words_stale ON member_words (member_id) WHERE words IS NULL",
    *_stale_when_written("product_words", "product_id", "products", "code, name, category_id"),
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


def indexed(text: str, coded: bool = True) -> str:
    """Folded text as the trigram index keeps it: as it is, or where ``coded``, ASCII as
    it is and any other letter coded (see above): ``"  öl"`` -> ``"  XAAAKQl"``."""
    return text if not coded or text.isascii() else "".join(
        ch if ch.isascii() else _letter(ch) for ch in text)


_STALE_PRODUCTS = text(
    "SELECT p.id, p.code, p.name, c.name AS category FROM product_words AS w "
    "JOIN products AS p ON p.id = w.product_id JOIN categories AS c ON c.id = p.category_id "
    "WHERE w.words IS NULL")
_SET_PRODUCT = text(
    "UPDATE product_words SET words = :words, name_words = :name_words, name = :name, "
    "spelling = :spelling, inner_words = :inner_words WHERE product_id = :id")
_STALE_MEMBERS = text(
    "SELECT m.id, m.full_name FROM member_words AS w JOIN members AS m ON m.id = w.member_id "
    "WHERE w.words IS NULL")
_SET_MEMBER = text("UPDATE member_words SET words = :words WHERE member_id = :id")
_INDEXED = frozenset({"products", "categories", "members"})


def inner_words(text: str) -> str:
    """Each word without its first letter: a query found there is found inside a word, not
    at its start (``"Ромашка"`` holds «машка» there, «ромаш» not)."""
    return "".join(WORD_START + word[1:] for word in index_words(text) if len(word) > 1)


def refresh_if_written(conn: Connection) -> None:
    """Fold the stale rows, if this transaction wrote what they are made from."""
    written = conn.info.get(_WRITTEN) or set()
    if _INDEXED.intersection(written):
        refresh(conn)


def refresh(conn: Connection) -> int:
    """Fold every stale row; how many there were."""
    coded = letters_coded(conn)
    products = [
        {"id": row.id,
         "words": indexed(search_substrings(f"{row.code} {row.name} {row.category}"), coded),
         "name_words": indexed(search_substrings(f"{row.code} {row.name}"), coded),
         "inner_words": indexed(inner_words(f"{row.code} {row.name} {row.category}"), coded),
         "name": search_name(row.name), "spelling": search_spelling(row.name)}
        for row in conn.execute(_STALE_PRODUCTS)]
    if products:
        conn.execute(_SET_PRODUCT, products)
    members = [{"id": row.id, "words": indexed(search_substrings(row.full_name), coded)}
               for row in conn.execute(_STALE_MEMBERS)]
    if members:
        conn.execute(_SET_MEMBER, members)
    return len(products) + len(members)


# --- asking ------------------------------------------------------------------------------------

def _escaped(word: str) -> str:
    # Folded words hold letters and digits only; escaped all the same, should that change.
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class ProductSearch:
    """The statements of a product search on PostgreSQL, in the shape of SQLite's (see
    :class:`mlm_tui.core.local.catalog.Catalog`): each a SQL text over ``p`` (products)
    and ``c`` (categories), and ``params``, the patterns of the words typed."""

    def __init__(self, terms: list[tuple[str, ...]], columns: str, *,
                 coded: bool = False) -> None:
        self.params: dict[str, str] = {}
        self._columns = columns
        starts, inside, names, inner = [], [], [], []
        for i, spellings in enumerate(terms):
            start, within, name = [], [], []
            for j, word in enumerate(spellings):
                key = f"{i}_{j}"
                self.params[f"w{key}"] = f"%{indexed(WORD_START + _escaped(word), coded)}%"
                fragment = (WORD_START + word if len(word) < SUBSTRING_AT_LEAST
                            or word.isdigit() else word)
                self.params[f"s{key}"] = f"%{indexed(_escaped(fragment), coded)}%"
                start.append(f"w.words LIKE :w{key}")
                within.append(f"w.words LIKE :s{key}")
                if fragment == word:  # looked for inside words too
                    inner.append(f"w.inner_words LIKE :s{key}")
                name.append(f"w.name_words LIKE :w{key}")
            starts.append(_any(start))
            inside.append(_any(within))
            names.append(_any(name))
        initial = []
        for j, word in enumerate(terms[0]):
            self.params[f"i{j}"] = f"{_escaped(word)}%"
            initial += [f"w.name LIKE :i{j}", f"w.spelling LIKE :i{j}"]
        # Found only inside a word: then one of the words typed, at least, is inside a word
        # of it (``inner_words``). Short words and codes are looked for as word starts
        # only: a query of those alone finds nothing inside words.
        self._inner = _any(inner) if inner else "false"
        self.match = " AND ".join(starts)
        self.substrings = " AND ".join(inside)
        self.initial = " AND ".join([_any(initial), *starts[1:]])
        self.in_name = " AND ".join(names)

    def count(self) -> str:
        # Through the trigram index, read lazily: the index gives its matches at once (a
        # bitmap), and only the first ``cap`` rows are read to check them. With the LIMIT
        # in sight the planner would rather scan the table until ``cap`` match, which
        # reads most of it for a word few products hold (5 ms at 100k products, not 2).
        return (f"WITH found AS MATERIALIZED (SELECT 1 FROM product_words AS w "
                f"WHERE {self.substrings}) "
                "SELECT count(*) FROM (SELECT 1 FROM found LIMIT :cap) AS capped")

    def _matches(self, where: str, category: str) -> str:
        return (f"SELECT {self._columns} FROM product_words AS w "
                "JOIN products AS p ON p.id = w.product_id "
                "JOIN categories AS c ON c.id = p.category_id "
                f"WHERE {where} AND p.period_id = :period AND p.id != :exact {category} ")

    def _inside_only(self, category: str) -> str:
        return self._matches(f"{self._inner} AND {self.substrings} AND NOT ({self.match})",
                             category)

    def word_ranked(self, category: str) -> str:
        return (self._matches(self.match, category)
                + f"ORDER BY ({self.initial}) DESC, ({self.in_name}) DESC, p.code LIMIT :limit")

    def inside_words(self, category: str) -> str:
        return self._inside_only(category) + "ORDER BY p.code LIMIT :limit"

    def newest(self, group: int, category: str) -> str:
        """The groups of SQLite's newest-first reading, in its order."""
        if group == 0:
            found = self._matches(self.initial, category)
        elif group == 1:
            found = self._matches(f"{self.match} AND NOT ({self.initial})", category)
        else:
            found = self._inside_only(category)
        return found + "AND p.id < :before ORDER BY p.id DESC LIMIT :limit"


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
