"""How many colours the terminal shows, and the look that reads well with them.

Textual draws its themes in 24-bit colour and leaves the terminal's console to bring each
colour down to what the terminal has. In 16 colours the dark greys of a theme all become
black: an unfocused input, black on black, disappears. And where the console finds no
colours at all (``TERM=dumb``) Textual writes 24-bit colour anyway.

So the app chooses its look from the terminal, once, at the root:

- many colours (256 or 24-bit): the usual theme;
- 16 colours (``TERM=xterm``, ``linux``, ``screen``, ``vt100``): a theme in the terminal's
  own 16 colours (readable on a dark or a light background), and every colour that is
  still 24-bit (a Rich renderable's, a derived shade) brought to the nearest of the 16
  before it is drawn, so what the snapshots show is what the terminal shows;
- none (``NO_COLOR`` set, ``TERM=dumb``): the same theme with every colour taken away;
  what colour said is said by bold, reverse video and marks (``app.tcss``).
"""

from __future__ import annotations

import enum
import io
from functools import lru_cache

from rich.color import Color, ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.color import Color as TextualColor
from textual.filter import LineFilter
from textual.theme import BUILTIN_THEMES, Theme


class Colours(enum.Enum):
    NONE = "none"
    SIXTEEN = "16"
    MANY = "many"


def terminal_colours() -> Colours:
    """The colours of the terminal the app is about to run in, as Textual will see them
    (``TERM``, ``COLORTERM``, ``TEXTUAL_COLOR_SYSTEM``, ``NO_COLOR``)."""
    import os

    from rich.console import Console
    from textual import constants

    if os.environ.get("NO_COLOR") is not None:  # set at all, as Textual reads it
        return Colours.NONE
    console = Console(color_system=constants.COLOR_SYSTEM,  # type: ignore[arg-type]
                      force_terminal=True, file=io.StringIO())
    return colours_of(console.color_system)


def colours_of(color_system: str | None) -> Colours:
    """``color_system`` as Rich names it: None, "standard", "256", "truecolor", "windows"."""
    if color_system is None:
        return Colours.NONE
    if color_system in ("standard", "windows"):
        return Colours.SIXTEEN
    return Colours.MANY


_ANSI_DARK = BUILTIN_THEMES["ansi-dark"]

# The terminal's own colours. Textual's ANSI theme draws what is out of focus in black,
# unseen on the usual black background; grey ("bright black") shows on a dark and on a
# light background alike.
SIXTEEN_COLOURS = Theme(
    name="mlm-16",
    ansi=True,
    primary=_ANSI_DARK.primary,
    secondary=_ANSI_DARK.secondary,
    warning=_ANSI_DARK.warning,
    error=_ANSI_DARK.error,
    success=_ANSI_DARK.success,
    accent=_ANSI_DARK.accent,
    foreground=_ANSI_DARK.foreground,
    background=_ANSI_DARK.background,
    surface=_ANSI_DARK.surface,
    panel=_ANSI_DARK.panel,
    boost=_ANSI_DARK.boost,
    dark=True,
    variables={
        **_ANSI_DARK.variables,
        "border-blurred": "ansi_bright_black",
        "scrollbar-background": "ansi_default",
        "scrollbar-background-hover": "ansi_default",
        "scrollbar-background-active": "ansi_default",
        "scrollbar": "ansi_bright_black",
        "input-cursor-background": "ansi_default",
        "input-cursor-foreground": "ansi_default",
        "input-cursor-text-style": "reverse",
        "footer-background": "ansi_default",
        "block-cursor-blurred-background": "ansi_bright_black",
        "block-cursor-blurred-foreground": "ansi_default",
    },
)


class SixteenColours(LineFilter):
    """Every colour brought to the nearest of the terminal's 16 before it is drawn."""

    def apply(self, segments: list[Segment], background: TextualColor) -> list[Segment]:
        return [Segment(text, _in_sixteen(style) if style else style, control)
                for text, style, control in segments]


class WithoutColour(LineFilter):
    """No colour at all, not even the codes for the terminal's default colours. What a
    light background marked (a cursor, a selection, a button: Textual often draws reverse
    video as swapped colours) is marked by reverse video instead."""

    def apply(self, segments: list[Segment], background: TextualColor) -> list[Segment]:
        return [Segment(text, _without_colour(style) if style else style, control)
                for text, style, control in segments]


# Backgrounds darker than this are the screen's own shades; lighter ones mark something.
MARKING_LUMINANCE = 0.2
_REVERSE = Style(reverse=True)


@lru_cache(4096)
def _without_colour(style: Style) -> Style:
    plain = style.without_color
    bgcolor = style.bgcolor
    if bgcolor is None or bgcolor.is_default:
        return plain
    red, green, blue = bgcolor.get_truecolor(foreground=False).normalized
    if 0.2126 * red + 0.7152 * green + 0.0722 * blue < MARKING_LUMINANCE:
        return plain
    return plain + _REVERSE


@lru_cache(4096)
def _in_sixteen(style: Style) -> Style:
    color, bgcolor = _down(style.color), _down(style.bgcolor)
    if color is style.color and bgcolor is style.bgcolor:
        return style
    return style + Style.from_color(color, bgcolor)


def _down(color: Color | None) -> Color | None:
    if color is None or color.is_default or color.is_system_defined:
        return color
    return color.downgrade(ColorSystem.STANDARD)


def filters_for(colours: Colours) -> list[LineFilter]:
    """The filters that replace Textual's own where the terminal has few colours."""
    if colours is Colours.NONE:
        return [WithoutColour()]
    if colours is Colours.SIXTEEN:
        return [SixteenColours()]
    return []
