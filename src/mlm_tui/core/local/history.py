"""The order history a member may see, read page by page at any size.

Two ways to reach the rows, chosen by the size of what is visible:

- a few buyers (one member, or a team that is a small part of the store): each buyer's
  orders come off the index on (buyer_id, placed_at, id) already in order, and a page is
  merged from at most one page per buyer: it costs buyers x page keys;
- a team that is a large part of the store: the index on (placed_at, id) is walked in
  order and each row's buyer is checked against the team's path range: it costs about
  page / (the team's share of all orders) rows.

With orders spread evenly over members, the first is cheaper while
buyers x (buyers / members) stays below a small constant, i.e. up to about
2 x sqrt(members) buyers.

Pages are keyset pages: the cursor is the last row's (placed_at, id), never an offset, so
page 10,000 costs what page 1 does.
"""

from __future__ import annotations

import base64
import binascii
import functools
import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    String,
    bindparam,
    func,
    select,
    tuple_,
    union_all,
)

from mlm_tui.core.errors import ValidationError
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.base import downline_clause
from mlm_tui.core.local.store import MAX_ROW_ID
from mlm_tui.core.models import OrderFilter
from mlm_tui.i18n import N_

# Pages are always merged per buyer for up to FEW_BUYERS buyers, never for more than
# MANY_BUYERS (SQLite allows 500 terms in one compound SELECT).
FEW_BUYERS = 8
MANY_BUYERS = 400
MAX_PAGE = 1000
_MONTH = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
_MONTHS_AT_MOST = 1200  # a century of history; the loop below ends long before


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose orders: a short list of buyers, or everyone under a path."""

    buyers: tuple[int, ...] | None = None
    path: str | None = None


# Built once: every history page asks whose orders it shows.
_MOST_MEMBERS = select(func.max(t.members.c.id))
_DOWNLINE_IDS = (  # as ``downline_clause``, with the path bound at the call
    select(t.members.c.id)
    .where(t.members.c.path >= bindparam("path", type_=String),
           t.members.c.path < bindparam("below", type_=String))
    .limit(bindparam("limit", type_=Integer))
)


def scope_of(conn: Connection, my_path: str, member_id: int | None) -> Scope:
    if member_id is not None:
        return Scope(buyers=(member_id,))
    members = conn.execute(_MOST_MEMBERS).scalar_one() or 0  # about how many
    at_most = min(max(FEW_BUYERS, int(2 * math.sqrt(members))), MANY_BUYERS)
    ids = conn.execute(_DOWNLINE_IDS, {"path": my_path, "below": my_path[:-1] + "0",
                                       "limit": at_most + 1}).scalars().all()
    if len(ids) <= at_most:
        return Scope(buyers=tuple(ids))
    return Scope(path=my_path)


def conditions(filters: OrderFilter) -> list[ColumnElement[bool]]:
    """The filters as conditions on ``orders`` (the month as a placed_at range)."""
    o = t.orders
    found: list[ColumnElement[bool]] = []
    if filters.month is not None:
        start, end = month_range(filters.month)
        found += [o.c.placed_at >= start, o.c.placed_at < end]
    if filters.source is not None:
        found.append(o.c.source == filters.source.value)
    if filters.status is not None:
        found.append(o.c.status == filters.status.value)
    return found


def month_range(month: str) -> tuple[str, str]:
    match = _MONTH.match(month or "")
    if match is None:
        raise ValidationError(N_("A month is written YYYY-MM."), field="month")
    if match[1] == "0000":
        raise ValidationError(N_("There is no year 0."), field="month")
    # Everything placed in the month starts with its prefix, which sorts below "-99": no
    # date arithmetic, so the last month a date can have (9999-12) has an end too.
    return f"{month}-01T00:00:00", f"{month}-99"


# --- keyset cursor -------------------------------------------------------------------------


def encode_cursor(placed_at: str, order_id: int) -> str:
    return base64.urlsafe_b64encode(f"{placed_at}|{order_id}".encode()).decode().rstrip("=")


def decode_cursor(after: str) -> tuple[str, int]:
    try:
        raw = base64.urlsafe_b64decode(after + "=" * (-len(after) % 4)).decode()
        placed_at, order_id = raw.split("|")
        number = int(order_id)
        if not 0 < number <= MAX_ROW_ID:
            raise ValueError(order_id)
        return placed_at, number
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(N_("This page position is not valid."), field="after") from exc


# --- reading -------------------------------------------------------------------------------


def page_keys(
    conn: Connection,
    scope: Scope,
    filters: OrderFilter,
    after: str | None,
    limit: int,
) -> list[tuple[int, str]]:
    """Up to ``limit`` (id, placed_at) in the filter's order, after the cursor."""
    if scope.path is None and not scope.buyers:
        return []
    params: dict[str, Any] = {"limit": limit}
    if filters.month is not None:
        params["month_start"], params["month_end"] = month_range(filters.month)
    if filters.source is not None:
        params["source"] = filters.source.value
    if filters.status is not None:
        params["status"] = filters.status.value
    if after is not None:
        params["after_at"], params["after_id"] = decode_cursor(after)
    if scope.path is not None:
        params["team_path"], params["path_length"] = scope.path, len(scope.path)
    else:
        params.update((f"buyer_{n}", buyer) for n, buyer in enumerate(scope.buyers or ()))
    statement = _page_keys_statement(
        None if scope.path is not None else len(scope.buyers or ()),
        filters.month is not None, filters.source is not None, filters.status is not None,
        after is not None, filters.newest_first)
    return [(row.id, _text(row.placed_at)) for row in conn.execute(statement, params)]


@functools.lru_cache(maxsize=64)  # shapes: filters set and buyers merged
def _page_keys_statement(buyers: int | None, month: bool, source: bool, status: bool,
                         after: bool, newest_first: bool) -> Select[Any]:
    """The statement of ``page_keys`` for one shape of request (``buyers``: how many
    buyers are merged, None for a team walked by path), every value bound: a history page
    is read at every scroll, and building the statement cost more than running it."""
    o = t.orders
    where: list[ColumnElement[bool]] = []
    if month:
        where += [o.c.placed_at >= bindparam("month_start", type_=String),
                  o.c.placed_at < bindparam("month_end", type_=String)]
    if source:
        where.append(o.c.source == bindparam("source", type_=String))
    if status:
        where.append(o.c.status == bindparam("status", type_=String))
    if after:
        key = tuple_(o.c.placed_at, o.c.id)
        mark = tuple_(bindparam("after_at", type_=String), bindparam("after_id", type_=Integer))
        where.append(key < mark if newest_first else key > mark)
    order = ((o.c.placed_at.desc(), o.c.id.desc()) if newest_first
             else (o.c.placed_at.asc(), o.c.id.asc()))
    limit = bindparam("limit", type_=Integer)
    keys = select(o.c.id, o.c.placed_at.label("placed_at"))
    if buyers is None:
        m = t.members
        buyer_path = select(m.c.path).where(m.c.id == o.c.buyer_id).scalar_subquery()
        in_team = (func.substr(buyer_path, 1, bindparam("path_length", type_=Integer))
                   == bindparam("team_path", type_=String))
        return keys.where(in_team, *where).order_by(*order).limit(limit)
    branches = [
        keys.where(o.c.buyer_id == bindparam(f"buyer_{n}", type_=Integer), *where)
        .order_by(*order).limit(limit).subquery()
        for n in range(buyers)
    ]
    if len(branches) == 1:
        merged = branches[0]
    else:
        merged = union_all(*(select(b.c.id, b.c.placed_at) for b in branches)).subquery()
    direction = ((merged.c.placed_at.desc(), merged.c.id.desc()) if newest_first
                 else (merged.c.placed_at.asc(), merged.c.id.asc()))
    return select(merged.c.id, merged.c.placed_at).order_by(*direction).limit(limit)


def count(conn: Connection, scope: Scope, filters: OrderFilter) -> int:
    o, m = t.orders, t.members
    query = select(func.count()).select_from(o).where(*conditions(filters))
    if scope.path is not None:
        team = select(m.c.id).where(downline_clause(m.c.path, scope.path))
        query = query.where(o.c.buyer_id.in_(team))
    elif scope.buyers:
        query = query.where(o.c.buyer_id.in_(scope.buyers))
    else:
        return 0
    return conn.execute(query).scalar_one()


def months(conn: Connection, scope: Scope, filters: OrderFilter) -> list[str]:
    """The months holding matching orders, newest first.

    Jumps from month to month: the latest order before the start of the month just found
    is one index seek (per buyer), however many orders a month holds.
    """
    found: list[str] = []
    bound: str | None = None
    if filters.month is not None:
        month_range(filters.month)  # validates
    for _step in range(_MONTHS_AT_MOST):
        latest = _latest_before(conn, scope, filters, bound)
        if latest is None:
            break
        found.append(latest[:7])
        bound = f"{latest[:7]}-01T00:00:00"
    return found


def _latest_before(
    conn: Connection, scope: Scope, filters: OrderFilter, bound: str | None
) -> str | None:
    o = t.orders
    where = conditions(filters)
    if bound is not None:
        where.append(o.c.placed_at < bound)
    latest = select(o.c.placed_at.label("placed_at")).order_by(o.c.placed_at.desc()).limit(1)
    if scope.path is not None:
        value = conn.execute(latest.where(_in_team(scope.path), *where)).scalar_one_or_none()
        return None if value is None else _text(value)
    if not scope.buyers:
        return None
    branches: list[Select[Any]] = [
        select(latest.where(o.c.buyer_id == buyer, *where).subquery().c.placed_at)
        for buyer in scope.buyers
    ]
    merged = union_all(*branches).subquery() if len(branches) > 1 else branches[0].subquery()
    value = conn.execute(select(func.max(merged.c.placed_at))).scalar_one_or_none()
    return None if value is None else _text(value)


def _in_team(path: str) -> ColumnElement[bool]:
    """The row's buyer is under ``path``: one primary-key look-up per order row."""
    o, m = t.orders, t.members
    buyer_path = select(m.c.path).where(m.c.id == o.c.buyer_id).scalar_subquery()
    return func.substr(buyer_path, 1, len(path)) == path


def _text(value: str | datetime) -> str:
    """placed_at as stored (ISO text), whether SQLAlchemy typed it or not."""
    return value if isinstance(value, str) else value.isoformat()
