"""Numbers and codes are read as typed, in any script's digits, or refused whole."""

from __future__ import annotations

import pytest

from mlm_tui.core.quick_order import QuickItem, parse_quick_order
from mlm_tui.core.rules.typed_numbers import ascii_digits, read_code, read_whole_number


def test_digits_of_other_scripts_are_the_digits_they_are() -> None:
    assert ascii_digits("１２３٣۴५") == "123345"
    assert ascii_digits("RU-２０２６") == "RU-2026"


@pytest.mark.parametrize(("typed", "code"), [("0010023", "0010023"), (" 32548 ", "32548"),
                                             ("３２５４８", "32548"), ("٣٢٥٤٨", "32548")])
def test_codes_keep_their_leading_zeros_and_read_any_digits(typed: str, code: str) -> None:
    assert read_code(typed) == code


@pytest.mark.parametrize("typed", ["", "325 48", "32548a", "-32548", "3²", "1.5"])
def test_what_is_not_a_code_is_refused(typed: str) -> None:
    assert read_code(typed) is None


@pytest.mark.parametrize(("typed", "number"), [("1", 1), ("99", 99), ("２", 2), ("٣", 3),
                                               ("007", 7)])
def test_whole_numbers_are_read(typed: str, number: int) -> None:
    assert read_whole_number(typed, most=99) == number


@pytest.mark.parametrize("typed", ["1.5", "1e3", "-1", "0", "100", "99999999", "1,5", "",
                                   "½", "²"])
def test_anything_else_is_refused_not_rewritten(typed: str) -> None:
    assert read_whole_number(typed, most=99) is None


def test_a_pasted_list_in_full_width_digits_reads_as_the_codes() -> None:
    parsed = parse_quick_order("３２５４８ ２\n٣٣٠١٢ ٣")
    assert parsed.items == (QuickItem("32548", 2), QuickItem("33012", 3))
    assert parsed.complete
