"""Reading a pasted list of codes and quantities."""

from __future__ import annotations

import pytest

from mlm_tui.core.quick_order import (
    BAD_QUANTITY,
    NOT_A_CODE,
    TOO_MANY,
    QuickItem,
    UnreadEntry,
    parse_quick_order,
)


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("32548 2", 2),
        ("32548x2", 2),
        ("32548 x 2", 2),
        ("32548 X2", 2),
        ("32548 х2", 2),  # Cyrillic х
        ("32548 Х 2", 2),  # Cyrillic Х
        ("32548*3", 3),
        ("32548 × 4", 4),
        ("32548\t5", 5),  # pasted from a spreadsheet
        ("  32548  ", 1),
        ("32548", 1),
        ("32548 99", 99),
    ],
)
def test_every_usual_way_of_writing_a_line(text, quantity):
    result = parse_quick_order(text)
    assert result.items == (QuickItem("32548", quantity),)
    assert result.complete


def test_lines_commas_and_semicolons_all_separate_entries():
    result = parse_quick_order("32548 2, 33012 x1; 34001*3\n\n35555\r\n36000 х2")
    assert [(i.code, i.quantity) for i in result.items] == [
        ("32548", 2), ("33012", 1), ("34001", 3), ("35555", 1), ("36000", 2)]


def test_the_same_code_twice_adds_up_in_the_order_first_typed():
    result = parse_quick_order("33012 1\n32548 2\n33012 x3")
    assert result.items == (QuickItem("33012", 4), QuickItem("32548", 2))


def test_what_cannot_be_read_comes_back_with_line_and_reason():
    text = "32548 2\nкрем\n33012 0\n34001 x 100\n35555 -1\n36000 1.5\n12 1\n36001 x"
    result = parse_quick_order(text)
    assert result.items == (QuickItem("32548", 2),)
    assert result.unread == (
        UnreadEntry(2, "крем", NOT_A_CODE),
        UnreadEntry(3, "33012 0", BAD_QUANTITY),
        UnreadEntry(4, "34001 x 100", BAD_QUANTITY),
        UnreadEntry(5, "35555 -1", BAD_QUANTITY),
        UnreadEntry(6, "36000 1.5", BAD_QUANTITY),
        UnreadEntry(7, "12 1", NOT_A_CODE),
        UnreadEntry(8, "36001 x", BAD_QUANTITY),
    )
    assert not result.complete


def test_more_than_ninety_nine_in_all_keeps_the_first_and_names_the_rest():
    result = parse_quick_order("32548 60\n32548 50")
    assert result.items == (QuickItem("32548", 60),)
    assert result.unread == (UnreadEntry(2, "32548 50", TOO_MANY),)


def test_several_entries_on_one_line_share_its_number():
    result = parse_quick_order("32548 1\n33012 2, abc, 34001 0")
    assert [(u.line_no, u.text) for u in result.unread] == [(2, "abc"), (2, "34001 0")]


def test_nothing_pasted_is_nothing_ordered():
    result = parse_quick_order(" \n ,; \n")
    assert result.items == () and result.unread == ()
