"""Write to the terminal only the cells that changed since the last frame.

Textual sends the terminal whole lines: every refresh of a widget rewrites each line it
covers, and a screen that opens paints itself several times as its data arrives (the
header, the first row, again and again). Over a thin link (SSH on a slow line) that is
most of what the app costs. Here every frame Textual is about to write is compared,
cell by cell, with what the terminal already shows, and only the cells that differ are
written, each colour set once for a run of cells rather than once per piece of text,
and a run of blank cells erased in place (ECH) where the terminal can and that is shorter
than the spaces (:mod:`mlm_tui.terminal_erase`).

``TerminalCells`` remembers what was written (the character and its colours, per cell);
a cell it does not know (at the start, after a resize or a suspension) is written
whatever it holds. The app wraps each of the compositor's updates in ``ChangedCells``,
which does the comparing when, and only when, Textual really writes the frame (a headless
app or a batch of changes writes nothing, and then nothing is remembered).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from rich.cells import cell_len, get_character_cell_size
from rich.color import ColorSystem
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.strip import Strip

from mlm_tui.terminal_erase import Erase

if TYPE_CHECKING:
    from rich.console import Console
    from rich.segment import Segment
    from rich.style import Style

# How a cell is drawn: its SGR parameters ("1;38;5;231") and the hyperlink it is part of.
Pen = tuple[str, str]
PLAIN: Pen = ("", "")
# A cell: its text (one character and any combining marks; "" for the right half of a
# wide character) and its pen. None: not known to be on the terminal.
Cell = tuple[str, Pen]
_MOST_PENS = 4096


class TerminalCells:
    """What the terminal shows, cell by cell, as far as this app wrote it."""

    def __init__(self, erase: Erase = Erase.NONE) -> None:
        """``erase``: whether runs of blank cells may be written as an ECH, on which
        backgrounds (:func:`mlm_tui.terminal_erase.terminal_erase`)."""
        self.erase = erase
        self._rows: list[list[Cell | None]] = []
        self._width = 0
        self._pens: dict[Style | None, Pen] = {None: PLAIN}

    def forget(self) -> None:
        """Nothing on the terminal is known any more (it was cleared, resized, used by
        another program): the next frame writes every cell it covers."""
        self._rows = [[None] * self._width for _ in self._rows]

    def fit(self, width: int, height: int) -> None:
        """The terminal is ``width`` x ``height``; a new size forgets everything."""
        if (width, height) != (self._width, len(self._rows)):
            self._width = width
            self._rows = [[None] * width for _ in range(height)]

    def write(self, pieces: Iterable[tuple[int, int, Iterable[Segment]]],
              color_system: ColorSystem | None) -> str | None:
        """The bytes that make the terminal show ``pieces`` (segments from column x on
        row y), given what it shows now; remembers what they show. None for pieces with
        control sequences in them, whose effect is not known here: they are to be
        written whole, and everything is forgotten."""
        changed: dict[int, set[int]] = {}
        raw: list[str] = []
        for x, y, segments in pieces:
            if not 0 <= y < len(self._rows):
                continue
            row = self._rows[y]
            marks = changed.setdefault(y, set())
            for column, cell in self._cells(x, segments, color_system, raw):
                if column >= self._width:
                    break
                if column >= 0 and row[column] != cell:
                    _overwrite(row, column, cell)
                    marks.add(column)
        if raw:
            self.forget()
            return None
        return _Writer(self._rows, self.erase).write(changed)

    def _cells(self, x: int, segments: Iterable[Segment], color_system: ColorSystem | None,
               raw: list[str]) -> Iterator[tuple[int, Cell]]:
        previous: Cell | None = None
        for text, style, control in segments:
            if control:
                raw.append(text)
                continue
            pen = self._pen(style, color_system)
            if text.isascii():
                for character in text:
                    if previous is not None:
                        yield x - 1, previous
                    previous = (character, pen)
                    x += 1
                continue
            for character in text:
                width = get_character_cell_size(character)
                if width == 0:
                    if previous is not None:  # a combining mark, drawn in the cell before
                        previous = (previous[0] + character, previous[1])
                    continue
                if previous is not None:
                    yield x - 1, previous
                previous = (character, pen)
                x += 1
                if width == 2:
                    yield x - 1, previous
                    previous = ("", pen)  # the right half, written with the character
                    x += 1
        if previous is not None:
            yield x - 1, previous

    def _pen(self, style: Style | None, color_system: ColorSystem | None) -> Pen:
        pen = self._pens.get(style)
        if pen is None:
            assert style is not None
            if len(self._pens) > _MOST_PENS:  # styles come and go with what is drawn
                self._pens = {None: PLAIN}
            # Textual writes these parameters around every piece of text (as many colours
            # as the terminal has, true colour when unsaid); here they are written once
            # for as many cells as share them.
            codes = Strip.render_ansi(style, color_system or ColorSystem.TRUECOLOR)
            pen = (codes, style.link or "")
            self._pens[style] = pen
        return pen


def _overwrite(row: list[Cell | None], column: int, cell: Cell) -> None:
    """Put ``cell`` at ``column``; what a terminal erases with it becomes unknown."""
    old = row[column]
    row[column] = cell
    if old is None:
        return
    was_wide = column + 1 < len(row) and (row[column + 1] or ("x", PLAIN))[0] == ""
    if was_wide and cell_len(cell[0]) < 2:
        row[column + 1] = None  # half a wide character left: a terminal blanks it
    if old[0] == "" and cell[0] != "" and column > 0:
        row[column - 1] = None  # the same, from its right half


class _Writer:
    """Writes the changed cells of rows, moving the cursor and changing the pen as little
    as it can."""

    def __init__(self, rows: list[list[Cell | None]], erase: Erase) -> None:
        self.rows = rows
        self.erase = erase
        self.out: list[str] = []
        self.x, self.y = -1, -1
        self.pen = PLAIN

    def write(self, changed: dict[int, set[int]]) -> str:
        for y in sorted(changed):
            if changed[y]:
                self._row(y, changed[y])
        if self.out:
            self._use(PLAIN)  # as Textual leaves it: nothing set for what it writes next
        return "".join(self.out)

    def _row(self, y: int, columns: set[int]) -> None:
        row = self.rows[y]
        # Where each changed cell is written from: the right half of a wide character
        # is written with the character.
        starts = sorted({c - 1 if c > 0 and (row[c] or ("x", PLAIN))[0] == "" else c
                         for c in columns})
        done = 0  # the cells before it are written (the cursor may stand further left)
        for start in starts:
            if start < done:
                continue
            self.out.append(self._way(y, start))
            self.x, self.y = start, y
            blanks = self._blank_run(row, start, columns)
            if blanks:
                self._use(row[start][1])  # type: ignore[index]
                after = starts[bisect_left(starts, start + blanks):]
                if self._erase_pays(y, start, blanks, after):
                    self.out.append(f"\x1b[{blanks}X")  # the cursor stays where it is
                    done = start + blanks
                    continue
            self._cell(row[start])
            done = self.x

    def _blank_run(self, row: list[Cell | None], x: int, changed: set[int]) -> int:
        """How many cells from ``x`` on are blanks of one pen, up to the last of them that
        ``changed``, that an ECH draws as they are written (the unchanged ones between are
        drawn again the same); 0 when the terminal has no such ECH for them."""
        cell = row[x]
        if self.erase is Erase.NONE or cell is None or cell[0] != " " or \
                not _erasable(cell[1], self.erase):
            return 0
        count, end = 1, x + 1
        while end < len(row) and row[end] == cell:
            end += 1
            if end - 1 in changed:
                count = end - x
        return count

    def _erase_pays(self, y: int, x: int, count: int, after: list[int]) -> bool:
        """Whether ECH over ``count`` blanks from column ``x``, the cursor then going on
        from ``x``, costs less than the spaces, the cursor going on from their end. What
        follows on another row is reached the same way from either."""
        erase = len(f"\x1b[{count}X")
        if not after:
            return erase < count
        spaces = count + len(self._way(y, after[0], from_x=x + count))
        return erase + len(self._way(y, after[0], from_x=x)) < spaces

    def _way(self, y: int, x: int, from_x: int | None = None) -> str:
        """What takes the cursor to column ``x`` of row ``y`` (from column ``from_x`` of
        that row, else from where it is): nothing, a move, or the cells between written
        again when they cost less than the move."""
        at_y, at_x = (y, from_x) if from_x is not None else (self.y, self.x)
        if (at_y, at_x) == (y, x):
            return ""
        move = self._move(x, y, at_x, at_y)
        gap = self.rows[y][at_x:x] if at_y == y else []
        if gap and all(cell is not None and cell[0] != "" and cell[1] == self.pen
                       for cell in gap):
            text = "".join(c[0] for c in gap if c)
            if len(text.encode()) <= len(move):
                return text
        return move

    def _move(self, x: int, y: int, at_x: int, at_y: int) -> str:
        """The shortest way to move the cursor from (``at_x``, ``at_y``) to column ``x`` of
        row ``y``."""
        width = len(self.rows[y])
        if at_y == y and 0 <= at_x < width:  # not at the margin, waiting to wrap
            if x == 0:
                return "\r"
            if x > at_x:
                return f"\x1b[{x - at_x}C" if x - at_x > 1 else "\x1b[C"
        if at_y >= 0 and y == at_y + 1 and x == 0:
            return "\r\n"  # raw output: a line feed moves down and nothing else
        return f"\x1b[{y + 1};{x + 1}H" if x else f"\x1b[{y + 1}H"

    def _cell(self, cell: Cell | None) -> None:
        assert cell is not None
        text, pen = cell
        if text == "":  # the right half of a wide character, written with it
            self.x += 1
            return
        self._use(pen)
        self.out.append(text)
        self.x += 1 if text.isascii() else cell_len(text)

    def _use(self, pen: Pen) -> None:
        if pen == self.pen:
            return
        codes, link = pen
        if codes != self.pen[0]:
            self.out.append(sgr_change(self.pen[0], codes))
        if link != self.pen[1]:
            self.out.append(f"\x1b]8;;{link}\x1b\\")
        self.pen = pen


# What an ECH leaves is a blank in the background set and nothing else: a blank drawn
# with these shows the same (bold, dim, italic, blink, hidden change only a letter).
_INVISIBLE_ON_BLANKS = {"1", "2", "3", "5", "6", "8"}


def _erasable(pen: Pen, erase: Erase) -> bool:
    """Whether an ECH with ``pen`` set draws blanks as spaces written with it would: no
    underline, reverse video, strike or link (shown on a blank too), and a background
    the terminal erases with."""
    codes, link = pen
    if link:
        return False
    try:
        attributes, _fg, bg = _parts(codes) if codes else (set(), "", "")
    except (ValueError, IndexError):
        return False
    if not attributes <= _INVISIBLE_ON_BLANKS:
        return False
    return erase is Erase.ANY_BACKGROUND or not bg


# What turns an attribute off again: bold and dim go together; a few have no way back
# but a reset.
_OFF = {"1": "22", "2": "22", "3": "23", "4": "24", "21": "24", "5": "25", "6": "25",
        "7": "27", "8": "28", "9": "29", "51": "54", "52": "54", "53": "55"}


def sgr_change(old: str, new: str) -> str:
    """The shortest SGR sequence from parameters ``old`` to ``new`` (as Rich writes them:
    attributes, then the foreground, then the background)."""
    reset = f"\x1b[0;{new}m" if new else "\x1b[0m"
    if not old or not new:
        return f"\x1b[{new}m" if new else reset
    try:
        old_attributes, old_fg, old_bg = _parts(old)
        new_attributes, new_fg, new_bg = _parts(new)
    except (ValueError, IndexError):  # parameters this does not know: start afresh
        return reset
    gone = old_attributes - new_attributes
    if any(attribute not in _OFF for attribute in gone):
        return reset
    offs = {_OFF[attribute] for attribute in gone}
    ons = new_attributes - old_attributes
    if "22" in offs:
        ons |= new_attributes & {"1", "2"}  # 22 took both away
    codes = sorted(offs) + sorted(ons, key=int)
    if new_fg != old_fg:
        codes.append(new_fg or "39")
    if new_bg != old_bg:
        codes.append(new_bg or "49")
    change = f"\x1b[{';'.join(codes)}m"
    return change if len(change) < len(reset) else reset


def _parts(codes: str) -> tuple[set[str], str, str]:
    attributes: set[str] = set()
    fg = bg = ""
    words = codes.split(";")
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("38", "48"):
            size = 3 if words[i + 1] == "5" else 5  # 38;5;n or 38;2;r;g;b
            colour = ";".join(words[i:i + size])
            fg, bg = (colour, bg) if word == "38" else (fg, colour)
            i += size
            continue
        number = int(word)
        if 30 <= number <= 39 or 90 <= number <= 97:
            fg = word
        elif 40 <= number <= 49 or 100 <= number <= 107:
            bg = word
        else:
            attributes.add(word)
        i += 1
    return attributes, fg, bg


class ChangedCells(CompositorUpdate):
    """A compositor update written as the cells it changes on the terminal."""

    def __init__(self, cells: TerminalCells, update: LayoutUpdate | ChopsUpdate) -> None:
        self.cells = cells
        self.update = update

    def render_segments(self, console: Console) -> str:
        try:
            written = self.cells.write(_pieces(self.update), console._color_system)
        except Exception:
            self.cells.forget()  # written or not, what is on the terminal is unknown
            raise
        return self.update.render_segments(console) if written is None else written


def _pieces(update: LayoutUpdate | ChopsUpdate) -> Iterator[tuple[int, int, Iterable[Segment]]]:
    """The update's segments, piece by piece, as Textual itself would write them."""
    if isinstance(update, LayoutUpdate):
        x = update.region.x
        for y, line in enumerate(update.strips, update.region.y):
            for strip in line:
                yield x, y, strip
                x += strip.cell_length
            x = update.region.x
        return
    for y, x1, x2 in update.spans:
        for end, (x, chop) in zip(update.chop_ends[y], update.chops[y].items(), strict=False):
            if chop is None or x > x2 or end <= x1:
                continue
            yield x, y, chop if x2 > x >= x1 and end <= x2 else chop.crop(0, min(end, x2) - x)
