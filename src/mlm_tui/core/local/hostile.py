"""A poisoned store: every piece of free text carries terminal escapes, markup or a formula.

``mlm-tui demo --hostile`` builds the demo store and then passes it through
:func:`make_hostile`, so anyone can see that the app shows such data as plain text: no
clipboard written (OSC 52), no window title set (OSC 0), no screen cleared (CSI 2J), no
Rich or Textual markup obeyed, no spreadsheet formula in an export. The tests walk every
screen and command over the same store.

Each text gets one of :data:`HOSTILE_TEXTS` in front of it, chosen by the row's id, so
every kind of payload appears on every list, and the original words stay searchable
after a space.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import Column, ColumnElement, Table, case, literal, select, update

from mlm_tui.core.company import profile_from_json, profile_to_json
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.store import Store

__all__ = ["HOSTILE_TEXTS", "make_hostile"]

HOSTILE_TEXTS: tuple[str, ...] = (
    "\x1b]52;c;SGFja2VkIGNsaXBib2FyZA==\x1b\\",  # OSC 52: writes the clipboard
    "\x1b]0;HACKED TITLE\x07",  # OSC 0: sets the window title
    "\x1b[2J\x1b[H",  # CSI 2J: clears the screen
    "[/x]",  # a closing tag with no opening one: MarkupError
    "[link=http://x]y[/link]",  # a real hyperlink if read as markup
    "[bold]",  # a style that would run into what follows
    "[@click=app.quit]q[/]",  # a Textual action if read as content markup
    "=HYPERLINK(\"http://x\",\"y\")",  # a formula when opened in a spreadsheet
    "\x9b31m\x7f\x1b",  # C1 CSI (8-bit), DEL and a lone ESC
)

# The free text of each table: what a member, the company or a carrier wrote.
_COLUMNS: tuple[tuple[Table, tuple[str, ...]], ...] = (
    (t.members, ("full_name", "city", "street")),
    (t.periods, ("name",)),
    (t.categories, ("name",)),
    (t.products, ("name", "description")),
    (t.promotions, ("title",)),
    (t.order_lines, ("product_name",)),
    (t.order_status_history, ("note",)),
    (t.shipments, ("tracking_number",)),
    (t.shipment_events, ("station", "description")),
    (t.delivery_stops, ("note",)),
    (t.balance_ledger, ("note",)),
    (t.points_ledger, ("note",)),
    (t.claims, ("reason", "decision")),
    (t.notifications, ("title", "body")),
)


def _payload(key: ColumnElement[int]) -> ColumnElement[str]:
    return case({i: literal(text) for i, text in enumerate(HOSTILE_TEXTS)},
                value=key % len(HOSTILE_TEXTS))


def _row_key(table: Table) -> ColumnElement[int]:
    # order_lines has a two-column key; the line number varies the payload within an order.
    if table is t.order_lines:
        return t.order_lines.c.order_id + t.order_lines.c.line_no
    return table.c.id


def _poisoned(column: Column[str], key: ColumnElement[int]) -> ColumnElement[str]:
    return _payload(key + len(column.name)) + " " + column


def make_hostile(store_path: Path) -> None:
    """Put a hostile payload in front of every free text in the store at ``store_path``."""
    store = Store(store_path)
    try:
        with store.write() as conn:
            for table, names in _COLUMNS:
                key = _row_key(table)
                conn.execute(update(table).values(
                    {name: _poisoned(table.c[name], key) for name in names}))
            profile_json = conn.execute(select(t.company.c.profile)).scalar_one_or_none()
            if profile_json is not None:
                conn.execute(update(t.company).values(
                    profile=_hostile_profile(profile_json)))
    finally:
        store.close()


def _hostile_profile(profile_json: str) -> str:
    profile = profile_from_json(profile_json)
    texts = iter(HOSTILE_TEXTS * 4)
    carriers = tuple(
        replace(carrier, name=f"{next(texts)} {carrier.name}",
                # A template that would smuggle an escape into the terminal's link.
                tracking_url=carrier.tracking_url.replace("{number}",
                                                          "\x1b]0;HACKED\x07{number}"))
        for carrier in profile.carriers)
    pickup_points = tuple(
        replace(point, name=f"{next(texts)} {point.name}",
                address=f"{next(texts)} {point.address}")
        for point in profile.pickup_points)
    hostile = replace(profile, name=f"{HOSTILE_TEXTS[1]} {profile.name}",
                      points_label=f"[/x]{profile.points_label}",
                      carriers=carriers, pickup_points=pickup_points)
    return profile_to_json(hostile)
