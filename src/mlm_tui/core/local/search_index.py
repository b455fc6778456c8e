"""The search fold as SQL functions, so the full-text index is filled by the same code
that reads a query (:mod:`mlm_tui.core.rules.search_folding`), and the query as FTS5
reads it.

Two indexes answer a product search: the word index (``products_fts``: a word typed
begins a word of the product, ranked with bm25) and the substring index
(``products_substring_fts``, FTS5 trigrams): "машка" finds «Ромашка». A trigram index can
find nothing shorter than three letters, so every word is kept there behind two spaces:
a word that *begins* with "д" is the substring "  д". Short words and numbers (codes)
are looked for as word starts that way; longer words anywhere.

The index triggers call these functions: every connection that writes products,
categories or members must have them (``add_search_functions``), including the plain
``sqlite3`` connections that build stores in bulk.
"""

from __future__ import annotations

import sqlite3

from mlm_tui.core.rules.search_folding import index_words, search_terms


def search_text(text: str | None) -> str:
    """Folded words, then the German spelling of those that have one: for names and
    categories matched word by word."""
    return " ".join(index_words(text or ""))


def search_name(text: str | None) -> str:
    """A product name folded, in its order, so "begins with" can be asked of it."""
    return " ".join(term[0] for term in search_terms(text or ""))


def search_spelling(text: str | None) -> str:
    """A product name in German spelling (``Öl`` -> ``oel``), in its order; empty when it
    is the same as ``search_name``."""
    terms = search_terms(text or "")
    if all(len(term) == 1 for term in terms):
        return ""
    return " ".join(term[-1] for term in terms)


# What is put before each word in the substring index (see above).
WORD_START = "  "
# Words shorter than this are only looked for at the start of a word.
SUBSTRING_AT_LEAST = 3


def search_substrings(text: str | None) -> str:
    """Every folded word and German spelling, each behind ``WORD_START``:
    ``Öl «Ромашка»`` -> ``"  ol  ромашка  oel"``."""
    return "".join(WORD_START + word for word in index_words(text or ""))


def add_search_functions(conn: sqlite3.Connection) -> None:
    for function in (search_text, search_name, search_spelling, search_substrings):
        conn.create_function(function.__name__, 1, function, deterministic=True)


def every_word(terms: list[tuple[str, ...]]) -> str:
    """Every word as a prefix term in one of its spellings:
    ``[("ol", "oel"), ("lav",)]`` -> ``("ol"* OR "oel"*) AND "lav"*``."""
    return " AND ".join(prefix_term(spellings) for spellings in terms)


def prefix_term(spellings: tuple[str, ...], *, initial: bool = False) -> str:
    """A word typed so far, in any of its spellings; ``initial``: as the first word.

    Quoted, a word is plain text to FTS5 whatever it holds ("OR", "NEAR", "-").
    """
    start = "^" if initial else ""
    terms = [f'{start}"{word}"*' for word in spellings]
    return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"


def every_substring(terms: list[tuple[str, ...]]) -> str:
    """Every word, in one of its spellings, somewhere in the product (``products_substring_fts``):
    ``[("машка",), ("д",)]`` -> ``"машка" AND "  д"``."""
    return " AND ".join(_substring_term(spellings) for spellings in terms)


def _substring_term(spellings: tuple[str, ...]) -> str:
    terms = [f'"{_fragment(word)}"' for word in spellings]
    return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"


def _fragment(word: str) -> str:
    # A code is typed from its start: "325" means 32548, not 13250.
    if len(word) < SUBSTRING_AT_LEAST or word.isdigit():
        return WORD_START + word
    return word
