"""The one fold that both the search index and a query go through."""

from __future__ import annotations

import unicodedata

import pytest

from mlm_tui.core.rules.search_folding import fold, index_words, search_terms


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("FUSSCREME", "fusscreme"),
        ("Fußcreme", "fusscreme"),
        ("Straße", "strasse"),
        ("Yılmaz", "yilmaz"),
        ("İSTANBUL", "istanbul"),
        ("Ёлочная", "елочная"),
        ("Ätherisches Öl", "atherisches ol"),
        ("Łukasz Søren", "lukasz soren"),
        ("Ελληνικά", "ελληνικα"),
        (unicodedata.normalize("NFD", "чай"), "чай"),  # composed again, й kept
        ("молоко\u0301", "молоко"),  # a stress mark is not part of the word
    ],
)
def test_fold(typed, folded):
    assert fold(typed) == folded


def test_cyrillic_letters_with_marks_stay_letters_of_their_own():
    assert fold("мой") != fold("мои")
    assert fold("їжак") == "їжак"


def test_a_word_with_an_umlaut_has_its_german_spelling_beside_it():
    assert search_terms("Öl Lavendel") == [("ol", "oel"), ("lavendel",)]
    assert search_terms("Mueller") == [("mueller",)]
    assert index_words("Jürgen Groß") == ["jurgen", "gross", "juergen"]


def test_punctuation_is_no_word():
    assert search_terms(' "*" -- ') == []
