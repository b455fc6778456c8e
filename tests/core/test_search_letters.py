"""The letters the PostgreSQL word index codes: each the same however often and in
whatever company it is met, and the kept codes stay bounded whatever is typed."""

from __future__ import annotations

from mlm_tui.core.local import postgres_search
from mlm_tui.core.local.postgres_search import indexed


def test_ascii_stays_and_every_other_letter_is_coded_the_same_each_time() -> None:
    assert indexed("  öl") == "  XAAAKQl"
    assert indexed("  öl", coded=False) == "  öl"
    assert indexed("plain 32548") == "plain 32548"
    text = "  Крем «Утро» für Straße, ёлка №5"
    once = indexed(text)
    assert "Stra" in once and ", " in once and "5" in once  # its ASCII as it was
    assert indexed(text) == once
    # Letter by letter it reads the same as the whole.
    assert "".join(indexed(ch) for ch in text) == once


def test_what_is_typed_cannot_grow_the_kept_codes_without_end(monkeypatch) -> None:
    codes = postgres_search._Codes()  # this process's own stay as they were
    monkeypatch.setattr(postgres_search, "_CODES", codes)
    kept_at_most = postgres_search._CODES_KEPT
    many = "".join(chr(point) for point in range(0x4E00, 0x4E00 + 3 * kept_at_most))
    first = indexed(many)
    assert len(codes) == kept_at_most
    assert indexed(many) == first  # past the bound each is worked out again, the same
    assert len(first) == 6 * len(many)  # every one of them coded: the mark and five capitals
