"""Export the order history to CSV, page by page, however long it is.

Rows stream from ``Backend.orders_page`` by keyset straight into the file, so a million
orders never sit in memory at once; each page is one request, whatever its rows name (a row
carries what the order-type check needs about its buyer). The file is written under a
temporary name and renamed when complete: an export that fails or is stopped leaves
nothing behind.

The format is for spreadsheets: UTF-8 with a byte-order mark (so Excel reads Cyrillic),
ISO dates, amounts with a decimal point, the currency in its own column. The file is
the user's alone (0600): it names customers.

Every cell passes :func:`csv_cell`: a spreadsheet runs a cell that starts with ``=``, ``+``,
``-`` or ``@`` as a formula (``=HYPERLINK(...)`` in a member's name would be a link to
anywhere), so such text gets a leading apostrophe, as OWASP advises. A cell that is
exactly a decimal number stays a number: the amounts this export writes itself, a
credited order's ``-150.00`` among them, must still add up in the sheet.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from mlm_tui.core.files import make_folder, private_file
from mlm_tui.core.models import CompanyProfile, OrderFilter, OrderSummary
from mlm_tui.core.order_checks import check_summary
from mlm_tui.core.rules.printable import printable
from mlm_tui.i18n import N_

if TYPE_CHECKING:
    from mlm_tui.core.backend import Backend

EXPORT_PAGE_SIZE = 1000

# What a spreadsheet reads as the start of a formula (TAB and CR as well: some strip them
# and then read what follows).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def csv_cell(value: object) -> str:
    """A value as a CSV cell a spreadsheet shows as text: never a formula, no control
    characters (made visible, as on screen); a plain decimal number stays a number."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        text = "'" + text
    return printable(text)


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    rows: int


def export_filename(filters: OrderFilter, stamp: datetime) -> str:
    """``orders-2026-11-SO-20261120-120000.csv``: what was exported, and when."""
    parts = ["orders"]
    if filters.member_id is not None:
        parts.append(f"m{filters.member_id}")
    parts += [p for p in (filters.month, filters.source, filters.status) if p]
    parts.append(stamp.strftime("%Y%m%d-%H%M%S"))
    return "-".join(parts) + ".csv"


def export_orders(
    backend: Backend,
    filters: OrderFilter,
    directory: Path,
    *,
    stamp: datetime | None = None,
    progress: Callable[[int], None] | None = None,
    page_size: int = EXPORT_PAGE_SIZE,
    company: CompanyProfile | None = None,
    translate: Callable[[str], str] | None = None,
) -> ExportResult:
    """Write every order matching ``filters`` to a new CSV file in ``directory``.

    ``progress`` hears the number of rows written after each page; if it raises (the user
    stopped the export), the partial file is removed and the exception goes on.
    ``company`` (for the points label) is asked for when the caller does not hold it.
    ``translate`` words the headings in the reader's language (the client's gettext);
    without it they are in English. The columns are the same in every language.
    """
    make_folder(directory)
    target = _free_path(directory, export_filename(filters, stamp or datetime.now()))
    partial = target.with_name(target.name + ".part")
    points_label = (company or backend.company()).points_label
    written = 0
    try:
        with private_file(partial, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([csv_cell(cell) for cell in header(points_label, translate)])
            after: str | None = None
            while True:
                page = backend.orders_page(filters, after=after, limit=page_size)
                writer.writerows([csv_cell(cell) for cell in _row(order)]
                                 for order in page.items)
                written += len(page.items)
                if progress is not None:
                    progress(written)
                if page.next_after is None or not page.items:
                    break
                after = page.next_after
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return ExportResult(target, written)


HEADINGS = (N_("Date"), N_("Order"), N_("Member number"), N_("Member"), N_("Source"),
            None, N_("Total"), N_("Currency"), N_("Status"), N_("Invoice"), N_("Check"))


def header(points_label: str, translate: Callable[[str], str] | None = None) -> list[str]:
    """The export's first row; the company's points label names the points column."""
    word = translate or (lambda text: text)
    return [points_label if heading is None else word(heading) for heading in HEADINGS]


def _row(order: OrderSummary) -> list[str]:
    flag = check_summary(order)  # the row carries its buyer's facts: nothing more to ask
    return [
        order.placed_at.strftime("%Y-%m-%d %H:%M"),
        order.number,
        order.buyer_registration_number,
        order.buyer_name,
        order.source.value,
        _plain(order.points),
        str(order.total.rounded().amount),
        order.total.currency,
        order.status.value,
        order.invoice_number or "",
        flag.reason.value if flag else "",
    ]


def _plain(points: Decimal) -> str:
    return format(points.normalize(), "f")  # 12.5, 100 (never 1E+2)


def _free_path(directory: Path, name: str) -> Path:
    """The name, or ``name-2``, ``name-3``... when an export of the same second exists."""
    path = directory / name
    counter = 2
    while path.exists():
        path = directory / f"{Path(name).stem}-{counter}.csv"
        counter += 1
    return path
