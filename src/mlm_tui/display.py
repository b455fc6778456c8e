"""Data as display text: the one way a name, a city or a claim reaches the screen.

Everything that comes from the store or a server is someone else's text. It is shown
through :func:`data_text`, which makes its control characters visible (see
:mod:`mlm_tui.core.rules.printable`) and returns a ``rich.text.Text`` built as plain
text, so neither Rich nor Textual ever reads ``[bold]`` or ``[link=...]`` in it as markup.
A ``Text`` is what Textual's widgets (``Static``, ``DataTable`` cells, ``OptionList`` and
``Select`` prompts, ``Tree`` labels) and Rich tables in the CLI take as it is; a plain
``str`` they would parse as markup. Sentences that carry data are made whole and then
passed through here: ``data_text(_("Nobody is called “{q}”.").format(q=query))``.
Where a string is drawn without being parsed (a cell of the order grid, the value of a
field, a notification sent with ``markup=False``, a line the CLI prints), ``printable()``
alone does it.

Used by the screens, the widgets and the CLI alike; it imports Rich, never Textual.
"""

from __future__ import annotations

import re
from typing import Literal

from rich.style import StyleType
from rich.text import Text

from mlm_tui.core.rules.printable import UNPRINTABLE, printable

__all__ = ["data_text", "json_text", "link_target", "printable"]

Overflow = Literal["fold", "crop", "ellipsis", "ignore"]
Justify = Literal["default", "left", "center", "right", "full"]


def data_text(
    value: object,
    *,
    style: StyleType = "",
    multiline: bool = False,
    no_wrap: bool | None = None,
    overflow: Overflow | None = None,
    justify: Justify | None = None,
    end: str = "\n",
) -> Text:
    """``value`` (``None`` shows as nothing) as plain text with visible control characters.

    ``multiline`` keeps line feeds as line breaks (a message body); one-line values show
    them as a placeholder too.
    """
    shown = "" if value is None else printable(str(value), multiline=multiline)
    return Text(shown, style=style, no_wrap=no_wrap, overflow=overflow, justify=justify,
                end=end)


# JSON escapes C0 itself; DEL and C1 it leaves raw when it writes non-ASCII as it is.
_JSON_RAW_CONTROLS = re.compile("[\x7f-\x9f]")


def json_text(data: object) -> str:
    """``data`` as indented JSON for a terminal or a pipe: readable Cyrillic, every control
    character escaped (``\\u001b``, ``\\u009b``), so the text is whole and does nothing."""
    import json  # the CLI's --json alone needs it

    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _JSON_RAW_CONTROLS.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def link_target(url: str) -> str | None:
    """``url`` when a terminal may be given it as a hyperlink, else None.

    The terminal receives the address inside an escape sequence of its own (OSC 8): an
    address with a control character could end that sequence and start another, and
    only web pages are meant to be opened from the app.
    """
    if not url or UNPRINTABLE.search(url) or any(ch.isspace() for ch in url):
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return url
