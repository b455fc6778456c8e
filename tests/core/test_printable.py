"""Control characters in data are shown, never obeyed; everything else is kept as it is."""

from __future__ import annotations

import pytest

from mlm_tui.core.rules.printable import printable


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        ("\x1b]52;c;SGk=\x1b\\Крем", "␛]52;c;SGk=␛\\Крем"),  # OSC 52: the clipboard
        ("\x1b]0;title\x07Anna", "␛]0;title␇Anna"),  # OSC 0: the window title
        ("\x1b[2JCity", "␛[2JCity"),  # CSI 2J: clears the screen
        ("\x9b2J", "�2J"),  # C1 CSI, what some terminals take for ESC [
        ("a\x7fb", "a␡b"),
        ("NUL\x00", "NUL␀"),
        ("tab\there", "tab␉here"),
        ("line\nfeed", "line␊feed"),
        ("lone\ud800surrogate", "lone�surrogate"),
    ],
)
def test_control_characters_become_visible_marks(data, shown):
    assert printable(data) == shown


@pytest.mark.parametrize(
    "plain",
    ["Крем для лица «Нежность»", "Straßenfeger Fußcreme", "[bold]", "1\xa0234,50\u202f₽",
     "👩\u200d💻", "دلیل\u200c", ""],
)
def test_plain_text_is_kept_as_it_is(plain):
    assert printable(plain) == plain


def test_several_lines_may_stay_lines():
    assert printable("Разбит флакон.\nКоробка\x1b мятая.", multiline=True) == (
        "Разбит флакон.\nКоробка␛ мятая.")


def test_a_font_without_control_pictures_gets_the_replacement_character():
    assert printable("\x1b]0;x\x07", pictures=False) == "�]0;x�"
