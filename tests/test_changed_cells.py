"""Only the cells that changed reach the terminal, and the terminal shows what Textual's
whole lines would have shown: every frame is checked in a terminal emulator (pyte) against
the same frames written whole."""

from __future__ import annotations

import random

import pyte
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.geometry import Region
from textual.strip import Strip

from mlm_tui.changed_cells import ChangedCells, TerminalCells
from mlm_tui.terminal_erase import Erase

WIDTH, HEIGHT = 24, 6
CONSOLE = Console(color_system="256", force_terminal=True, width=WIDTH, height=HEIGHT)
STYLES = [Style(), Style(color="color(253)", bgcolor="color(234)"),
          Style(color="color(195)", bgcolor="color(32)", bold=True),
          Style(color="red", underline=True), Style(reverse=True, italic=True),
          Style(color="color(253)", bgcolor="color(234)", link="https://track.example/1")]
# Wide characters, and letters of more than one byte; no combining marks, which pyte
# (unlike terminals) wraps away from a letter in the last column.
TEXTS = ["a", "b", " ", "Ж", "₽", "\xa0", "商", "é", " " * 7]


def _line(rng: random.Random, width: int) -> Strip:
    segments: list[Segment] = []
    used = 0
    while used < width:
        style = rng.choice(STYLES)
        text = ""
        for _ in range(rng.randint(1, 5)):
            piece = rng.choice(TEXTS)
            if used + len(text) + Strip([Segment(piece)]).cell_length > width:
                piece = " "
            text += piece
            used_now = used + Strip([Segment(text)]).cell_length
            if used_now >= width:
                break
        segments.append(Segment(text, style))
        used = Strip(segments).cell_length
    return Strip(segments).crop(0, width)


def _frame(rng: random.Random) -> LayoutUpdate:
    return LayoutUpdate([[_line(rng, WIDTH)] for _ in range(HEIGHT)],
                        Region(0, 0, WIDTH, HEIGHT))


def _chops(rng: random.Random) -> ChopsUpdate:
    """Some rows changed, each in pieces (chops), a span of them to be written."""
    chops: list[dict[int, Strip | None]] = [{} for _ in range(HEIGHT)]
    ends: list[list[int]] = [[] for _ in range(HEIGHT)]
    spans = []
    for y in sorted(rng.sample(range(HEIGHT), rng.randint(1, HEIGHT))):
        x = 0
        while x < WIDTH:
            width = min(WIDTH - x, rng.randint(1, 10))
            chops[y][x] = _line(rng, width) if rng.random() < 0.8 else None
            x += width
            ends[y].append(x)
        x1 = rng.randint(0, WIDTH - 1)
        spans.append((y, x1, rng.randint(x1 + 1, WIDTH)))
    return ChopsUpdate(chops, spans, ends)


class XtermScreen(pyte.Screen):
    """Erases characters as xterm does (pyte copies every attribute of the pen): a blank
    in the background set, with back colour erase (``bce``), else in the default one."""

    def __init__(self, columns: int, lines: int, bce: bool = True) -> None:
        super().__init__(columns, lines)
        self.bce = bce

    def erase_characters(self, count: int | None = None) -> None:
        blank = self.default_char._replace(bg=self.cursor.attrs.bg if self.bce else "default")
        line = self.buffer[self.cursor.y]
        for x in range(self.cursor.x, min(self.cursor.x + (count or 1), self.columns)):
            line[x] = blank


class _Terminal:
    def __init__(self, bce: bool = True) -> None:
        self.screen = XtermScreen(WIDTH, HEIGHT, bce)
        self.stream = pyte.Stream(self.screen)

    def feed(self, text: str) -> None:
        self.stream.feed(text)

    def cells(self) -> list[list[tuple[object, ...]]]:
        """What a person sees of each cell: of a blank, neither the foreground (unless
        shown in reverse video) nor bold or italics."""
        return [[seen(self.screen.buffer[y][x]) for x in range(WIDTH)] for y in range(HEIGHT)]


def seen(c: pyte.screens.Char) -> tuple[object, ...]:
    """What a person sees of a cell."""
    fg, bg = (c.bg, c.fg) if c.reverse else (c.fg, c.bg)
    if c.data == " ":
        return (c.data, bg, c.underscore, c.strikethrough)
    return (c.data, fg, bg, c.bold, c.italics, c.underscore, c.strikethrough)


@pytest.mark.parametrize(("erase", "bce"), [
    (Erase.NONE, False), (Erase.DEFAULT_BACKGROUND, False), (Erase.ANY_BACKGROUND, True)])
@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32), st.integers(2, 12))
def test_the_terminal_shows_what_whole_lines_would_have_shown(erase, bce, seed, frames):
    rng = random.Random(seed)
    cells = TerminalCells(erase)
    cells.fit(WIDTH, HEIGHT)
    changed, whole = _Terminal(bce), _Terminal(bce)
    for number in range(frames):
        update = _frame(rng) if number == 0 or rng.random() < 0.3 else _chops(rng)
        # Textual puts the cursor back where it belongs after every frame (home, here).
        whole.feed(update.render_segments(CONSOLE) + "\x1b[H")
        changed.feed(ChangedCells(cells, update).render_segments(CONSOLE) + "\x1b[H")
        assert changed.cells() == whole.cells(), f"frame {number}"


def test_a_frame_like_the_last_writes_nothing_and_one_changed_letter_a_few_bytes():
    rng = random.Random(7)
    first = _frame(rng)
    cells = TerminalCells()
    cells.fit(WIDTH, HEIGHT)
    everything = ChangedCells(cells, first).render_segments(CONSOLE)
    assert len(everything) >= WIDTH * HEIGHT
    assert ChangedCells(cells, first).render_segments(CONSOLE) == ""

    row = Strip([Segment("x" * WIDTH, STYLES[1])])
    cells.fit(WIDTH, HEIGHT)
    ChangedCells(cells, LayoutUpdate([[row]], Region(0, 2, WIDTH, 1))).render_segments(CONSOLE)
    one_letter = Strip([Segment("x" * 10 + "y" + "x" * 13, STYLES[1])])
    written = ChangedCells(cells, LayoutUpdate([[one_letter]], Region(0, 2, WIDTH, 1))
                           ).render_segments(CONSOLE)
    # A move, the colours, the letter, back to plain: not the 24 cells of the line.
    assert written == "\x1b[3;11H\x1b[38;5;253;48;5;234my\x1b[0m"


def test_after_the_terminal_was_cleared_or_resized_everything_is_written_again():
    rng = random.Random(11)
    frame = _frame(rng)
    cells = TerminalCells()
    cells.fit(WIDTH, HEIGHT)
    everything = ChangedCells(cells, frame).render_segments(CONSOLE)
    cells.forget()  # another program had the terminal
    assert ChangedCells(cells, frame).render_segments(CONSOLE) == everything
    cells.fit(WIDTH, HEIGHT + 1)  # a new size: nothing is known
    cells.fit(WIDTH, HEIGHT)
    assert ChangedCells(cells, frame).render_segments(CONSOLE) == everything


def test_colours_change_by_what_differs_and_a_cursor_moves_the_shortest_way():
    from mlm_tui.changed_cells import sgr_change

    assert sgr_change("38;5;253;48;5;234", "1;38;5;115;48;5;234") == "\x1b[1;38;5;115m"
    assert sgr_change("1;38;5;115;48;5;234", "38;5;253;48;5;234") == "\x1b[22;38;5;253m"
    assert sgr_change("1;2;31", "2;31") == "\x1b[22;2m"  # 22 ends bold and dim alike
    assert sgr_change("4;31", "") == "\x1b[0m"
    assert sgr_change("", "7") == "\x1b[7m"

    cells = TerminalCells()
    cells.fit(WIDTH, HEIGHT)
    two_rows = LayoutUpdate([[Strip([Segment("a" * WIDTH)])], [Strip([Segment("b" * WIDTH)])]],
                            Region(0, 3, WIDTH, 2))
    ChangedCells(cells, two_rows).render_segments(CONSOLE)
    changed = LayoutUpdate([[Strip([Segment("a" * 20 + "xa" + "yy")])],
                            [Strip([Segment("z" + "b" * 23)])]], Region(0, 3, WIDTH, 2))
    # The unchanged "a" between is written rather than skipped; then down to the next row.
    assert ChangedCells(cells, changed).render_segments(CONSOLE) == "\x1b[4;21Hxayy\r\nz"


def test_a_frame_with_a_control_sequence_is_written_whole_and_then_nothing_is_trusted():
    from rich.control import Control

    rng = random.Random(5)
    frame = _frame(rng)
    cells = TerminalCells()
    cells.fit(WIDTH, HEIGHT)
    everything = ChangedCells(cells, frame).render_segments(CONSOLE)
    bell = LayoutUpdate([[Strip([Segment("ab"), Control.bell().segment])]],
                        Region(0, 0, WIDTH, 1))
    assert ChangedCells(cells, bell).render_segments(CONSOLE) == bell.render_segments(CONSOLE)
    assert ChangedCells(cells, frame).render_segments(CONSOLE) == everything


def _rewrite(erase: Erase, before: Strip, after: Strip) -> str:
    """The bytes that turn row 3, showing ``before``, into ``after``."""
    cells = TerminalCells(erase)
    cells.fit(WIDTH, HEIGHT)
    ChangedCells(cells, LayoutUpdate([[before]], Region(0, 2, WIDTH, 1))).render_segments(CONSOLE)
    return ChangedCells(cells, LayoutUpdate([[after]], Region(0, 2, WIDTH, 1))
                        ).render_segments(CONSOLE)


def test_a_run_of_blanks_is_erased_in_place_where_that_is_shorter_than_the_spaces():
    panel = STYLES[1]  # light grey on dark grey: a background of its own
    name = Strip([Segment("Anna Demidova" + "x" * 11, panel)])
    cleared = Strip([Segment("Anna Demidova" + " " * 11, panel)])
    # Eleven blanks to the end of what changes: one ECH, the cursor left where it is.
    assert _rewrite(Erase.ANY_BACKGROUND, name, cleared) == \
        "\x1b[3;14H\x1b[38;5;253;48;5;234m\x1b[11X\x1b[0m"
    # Blanks with changed text after them on the row: ECH and a move past them.
    full = Strip([Segment("ab" + "y" * 12 + "cd" + "x" * 8, panel)])
    gap = Strip([Segment("ab" + " " * 12 + "ef" + "x" * 8, panel)])
    assert _rewrite(Erase.ANY_BACKGROUND, full, gap) == \
        "\x1b[3;3H\x1b[38;5;253;48;5;234m\x1b[12X\x1b[12Cef\x1b[0m"
    # A few blanks cost less as spaces.
    few = Strip([Segment("Anna Demidova" + "x" * 8 + "   ", panel)])
    assert _rewrite(Erase.ANY_BACKGROUND, name, few) == \
        "\x1b[3;22H\x1b[38;5;253;48;5;234m   \x1b[0m"


def test_blanks_an_erase_would_not_draw_as_written_are_written_as_spaces():
    text = Strip([Segment("x" * WIDTH, STYLES[1])])
    for erase, style in [
        (Erase.NONE, Style()),  # a terminal without ECH (a VT100)
        (Erase.DEFAULT_BACKGROUND, STYLES[1]),  # no back colour erase: not on a colour
        (Erase.ANY_BACKGROUND, Style(reverse=True)),  # reverse video shows on a blank
        (Erase.ANY_BACKGROUND, Style(underline=True)),
        (Erase.ANY_BACKGROUND, STYLES[5]),  # part of a link
    ]:
        blanks = Strip([Segment(" " * WIDTH, style)])
        written = _rewrite(erase, text, blanks)
        assert " " * WIDTH in written and "X" not in written, (erase, style)
    # On the default background any terminal with ECH erases as spaces would draw.
    plain = Strip([Segment(" " * WIDTH, Style(bold=True))])
    assert _rewrite(Erase.DEFAULT_BACKGROUND, text, plain) == "\x1b[3H\x1b[1m\x1b[24X\x1b[0m"


@pytest.mark.parametrize(("term", "erase"), [
    ("xterm-256color", Erase.ANY_BACKGROUND), ("linux", Erase.ANY_BACKGROUND),
    ("vt100", Erase.NONE), ("dumb", Erase.NONE), ("no-such-terminal", Erase.NONE)])
def test_how_a_terminal_erases_is_read_from_its_terminfo_entry(term, erase):
    import os
    import subprocess
    import sys

    said = subprocess.run(
        [sys.executable, "-c",
         "from mlm_tui.terminal_erase import terminal_erase; print(terminal_erase().value)"],
        env={**os.environ, "TERM": term}, capture_output=True, text=True, check=True)
    assert said.stdout.strip() == erase.value
