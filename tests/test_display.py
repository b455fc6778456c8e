"""Data as display text: plain Rich Text with visible control characters, safe links."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console
from rich.table import Table

from mlm_tui.display import data_text, json_text, link_target


def rendered(renderable) -> str:
    """What Rich writes to a colour terminal for ``renderable``."""
    out = io.StringIO()
    Console(file=out, force_terminal=True, color_system="truecolor", width=80).print(renderable)
    return out.getvalue()


def test_markup_in_data_is_text_and_does_not_fail():
    for markup in ("[/x]", "[link=http://x]y[/link]", "[bold]", ":smile:"):
        table = Table()
        table.add_column("Name")
        table.add_row(data_text(f"{markup} Анна"))
        output = rendered(table)
        assert f"{markup} Анна" in output
        assert "\x1b]8;" not in output  # no hyperlink


def test_escapes_in_data_never_reach_the_terminal():
    output = rendered(data_text("\x1b]0;HACKED\x07 Москва \x9b2J"))
    assert "\x1b]" not in output and "\x07" not in output and "\x9b" not in output
    assert "␛]0;HACKED␇ Москва �2J" in output


def test_none_shows_as_nothing_and_several_lines_may_stay():
    assert data_text(None).plain == ""
    assert data_text("a\nb", multiline=True).plain == "a\nb"
    assert data_text("a\nb").plain == "a␊b"


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://www.cdek.ru/ru/tracking?order_id=1098765432", "https://www.cdek.ru/ru/"
         "tracking?order_id=1098765432"),
        ("https://x/\x1b]0;HACKED\x07", None),  # would end the link's own escape sequence
        ("https://x/ a", None),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("", None),
    ],
)
def test_only_clean_web_addresses_become_links(url, target):
    assert link_target(url) == target


def test_json_keeps_the_data_whole_and_escapes_every_control_character():
    data = {"name": "\x1b]0;x\x07 Анна \x9b\x7f"}
    text = json_text(data)
    assert json.loads(text) == data
    assert "Анна" in text
    assert not any(ch in text for ch in "\x1b\x07\x9b\x7f")


def test_a_tracking_link_quotes_the_number_and_runs_nothing_in_the_template():
    from mlm_tui.core.models import Carrier

    carrier = Carrier("x", "X", "https://t.example/track?n={number}&{number.__class__}")
    assert carrier.tracking_link("RA 1/2\x1b") == (
        "https://t.example/track?n=RA%201%2F2%1B&{number.__class__}")
