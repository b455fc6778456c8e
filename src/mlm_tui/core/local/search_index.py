"""The search fold as SQL functions, so the full-text index is filled by the same code
that reads a query (:mod:`mlm_tui.core.rules.search_folding`), and the query as FTS5
reads it.

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


def add_search_functions(conn: sqlite3.Connection) -> None:
    for function in (search_text, search_name, search_spelling):
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
