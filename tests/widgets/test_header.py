"""The header's second line: the balance, month and wallet figures keep their room; who
is signed in gives way, her name first, her number last."""

from __future__ import annotations

from mlm_tui.i18n import install
from mlm_tui.widgets.header import who_text


def test_the_whole_name_and_number_when_they_fit():
    assert who_text("Анна Демидова", "1000001", 40).plain == "Анна Демидова No. 1000001"


def test_in_german_the_name_is_shortened_and_the_number_stays_whole():
    install("de")
    assert who_text("Анна Демидова", "1000001", 22).plain == "Анна Деми… Nr. 1000001"


def test_without_room_for_a_name_the_number_alone():
    assert who_text("Анна Демидова", "1000001", 12).plain == "1000001"
    assert who_text("Анна Демидова", "1000001", 5).plain == ""
