"""LocalBackend: search_members, member, member_overview, monthly_volume, team_volume,
team_children.

Every read starts from what the signed-in member may see: a member id is checked with
``_visible_member``, a name search is limited to the downline's path range. A downline's
contacts come masked, without passport and birth date (``privacy.as_seen_by_upline``);
only the member gets her own in full. Volumes are
read through the index on (buyer_id, placed_at), so a member's months cost as much as
the orders in them, whatever the size of the table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, and_, case, func, select, text

from mlm_tui.core.errors import ValidationError
from mlm_tui.core.local import postgres_search
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.base import LocalBase, downline_clause
from mlm_tui.core.local.month_points import earned_points, month_bounds, month_start, standing
from mlm_tui.core.local.search_index import every_word
from mlm_tui.core.models import (
    Address,
    Member,
    MemberKind,
    MemberMatch,
    MemberOverview,
    MemberRef,
    MemberStatus,
    MonthVolume,
    OrderSource,
    TeamNode,
    TeamRoot,
)
from mlm_tui.core.privacy import as_seen_by_upline, mask_phone
from mlm_tui.core.rules.search_folding import index_words, search_terms
from mlm_tui.core.validation import search_text

OVERVIEW_MONTHS = 3
MAX_MONTHS = 120
# Up to this many members, a name search reads the whole downline instead of the index.
SMALL_TEAM = 500


class TeamMixin(LocalBase):
    def search_members(self, name: str, *, limit: int = 50) -> list[MemberMatch]:
        """By name, or by registration number when only digits are typed."""
        name = search_text(name)
        terms = search_terms(name)
        if not terms or limit <= 0:
            return []
        number = name.strip()
        with self.store.read() as conn:
            my_path = self._my_path(conn)
            if number.isascii() and number.isdigit():
                rows = _by_registration_number(conn, number, my_path)
            elif _downline_size(conn, my_path, SMALL_TEAM + 1) <= SMALL_TEAM:
                rows = _scan_downline(conn, terms, my_path, limit)
            else:
                rows = _search_index(conn, terms, my_path, limit)
        matches = [
            MemberMatch(
                id=row.id,
                registration_number=row.registration_number,
                full_name=row.full_name,
                city=row.city or "",
                phone_masked=mask_phone(row.phone),
                last_order_at=row.last_order_at,
                status=MemberStatus(row.status),
            )
            for row in rows
        ]
        matches.sort(key=lambda m: _display_order(m.full_name, m.city, m.id))
        return matches

    def member(self, member_id: int) -> Member:
        with self.store.read() as conn:
            self._visible_member(conn, member_id)
            return self._as_i_may_see(_member(conn, member_id))

    def member_overview(self, member_id: int) -> MemberOverview:
        months = _months_back(self.clock().date(), OVERVIEW_MONTHS)
        with self.store.read() as conn:
            self._visible_member(conn, member_id)
            member = self._as_i_may_see(_member(conn, member_id))
            refs = _refs(conn, [i for i in (member.enroller_id, member.sponsor_id) if i],
                         self._my_path(conn))
            volume = _volumes(conn, [member_id], months)[member_id]
        return MemberOverview(
            member=member,
            enroller=refs.get(member.enroller_id) if member.enroller_id else None,
            sponsor=refs.get(member.sponsor_id) if member.sponsor_id else None,
            volume=tuple(volume),
        )

    def monthly_volume(self, member_id: int, *, months: int = 3) -> list[MonthVolume]:
        wanted = _months_back(self.clock().date(), months)
        with self.store.read() as conn:
            self._visible_member(conn, member_id)
            return _volumes(conn, [member_id], wanted)[member_id]

    def team_volume(self, member_id: int, *, months: int = 3) -> dict[int, list[MonthVolume]]:
        wanted = _months_back(self.clock().date(), months)
        m = t.members
        with self.store.read() as conn:
            self._visible_member(conn, member_id)
            children = conn.execute(select(m.c.id).where(m.c.sponsor_id == member_id)).scalars()
            return _volumes(conn, list(children), wanted, sponsor_id=member_id)

    def _as_i_may_see(self, member: Member) -> Member:
        return member if member.id == self._me_id() else as_seen_by_upline(member)

    def team_children(self, member_id: int) -> list[TeamNode]:
        with self.store.read() as conn:
            self._visible_member(conn, member_id)
            return self._team_nodes(conn, t.members.c.sponsor_id == member_id)

    def team_root(self) -> TeamRoot:
        with self.store.read() as conn:
            me = self._me_id()
            (root,) = self._team_nodes(conn, t.members.c.id == me)
            return TeamRoot(root, tuple(self._team_nodes(conn, t.members.c.sponsor_id == me)))

    def _team_nodes(self, conn: Connection, which: ColumnElement[bool]) -> list[TeamNode]:
        """Tree nodes of the members ``which`` selects, by name: points this month (as
        ``month_points`` counts them: paid, neither cancelled nor credited) and how many
        are directly below each."""
        start, end = month_bounds(self.clock().date())
        m, o = t.members, t.orders
        grandchild = m.alias("grandchild")
        children_count = (
            select(func.count())
            .where(grandchild.c.sponsor_id == m.c.id)
            .scalar_subquery()
        )
        points = (
            select(func.coalesce(func.sum(earned_points(o), type_=o.c.points.type), 0))
            .where(
                o.c.buyer_id == m.c.id,
                o.c.placed_at >= start,
                o.c.placed_at < end,
                standing(o),
            )
            .scalar_subquery()
        )
        rows = conn.execute(
            select(m.c.id, m.c.registration_number, m.c.full_name, m.c.kind, m.c.status,
                   children_count.label("children"), points.label("points"))
            .where(which)
            .order_by(m.c.name_folded, m.c.id)
        ).all()
        return [
            TeamNode(
                member=MemberRef(row.id, row.registration_number, row.full_name),
                kind=MemberKind(row.kind),
                status=MemberStatus(row.status),
                points_this_month=row.points,
                children=row.children,
            )
            for row in rows
        ]


# --- name search ---------------------------------------------------------------------------


def fts_prefix_query(terms: list[tuple[str, ...]]) -> str:
    """``[("ольга",), ("muller", "mueller")]`` -> ``"ольга"* AND ("muller"* OR "mueller"*)``:
    every word, in one of its spellings, must start a word of the name."""
    return every_word(terms)


def _name_matches(terms: list[tuple[str, ...]], full_name: str) -> bool:
    name = index_words(full_name)  # what the index holds for it
    return all(any(part.startswith(word) for word in spellings for part in name)
               for spellings in terms)


_MATCH_COLUMNS = (
    t.members.c.id, t.members.c.registration_number, t.members.c.full_name, t.members.c.city,
    t.members.c.phone, t.members.c.status, t.members.c.last_order_at,
)


def _by_registration_number(
    conn: Connection, number: str, my_path: str
) -> Sequence[Row[*tuple[Any, ...]]]:
    m = t.members
    return conn.execute(
        select(*_MATCH_COLUMNS).where(
            m.c.registration_number == number, downline_clause(m.c.path, my_path)
        )
    ).all()


def _downline_size(conn: Connection, my_path: str, at_most: int) -> int:
    m = t.members
    first = select(m.c.id).where(downline_clause(m.c.path, my_path)).limit(at_most).subquery()
    return conn.execute(select(func.count()).select_from(first)).scalar_one()


def _scan_downline(conn: Connection, terms: list[tuple[str, ...]], my_path: str,
                   limit: int) -> Sequence[Row[*tuple[Any, ...]]]:
    # A small team is read whole and matched here: cheaper than walking the index's
    # matches for the whole store (a one-letter prefix matches most of it). Only names
    # and cities are read for all; the rest for the page shown.
    m = t.members
    rows = conn.execute(
        select(m.c.id, m.c.full_name, m.c.city).where(downline_clause(m.c.path, my_path))
    ).all()
    hits = [row for row in rows if _name_matches(terms, row.full_name)]
    hits.sort(key=lambda row: _display_order(row.full_name, row.city, row.id))
    shown = [row.id for row in hits[:limit]]
    return conn.execute(select(*_MATCH_COLUMNS).where(m.c.id.in_(shown))).all()


def _display_order(full_name: str, city: str | None, member_id: int) -> tuple[str, str, int]:
    # Namesakes side by side, told apart by city.
    return full_name.casefold(), (city or "").casefold(), member_id


def _search_index(conn: Connection, terms: list[tuple[str, ...]], my_path: str,
                  limit: int) -> Sequence[Row[*tuple[Any, ...]]]:
    # FTS yields matches in rowid order; the path range keeps the downline, and LIMIT stops
    # the scan as soon as enough are found, so a one-letter query costs no more than a long
    # one. The page is sorted by name afterwards.
    m = t.members
    if conn.dialect.name == "postgresql":
        sql, params = postgres_search.member_matches(
            terms, coded=postgres_search.letters_coded(conn))
        found = text(sql).bindparams(**params).columns(member_id=m.c.id.type)
    else:
        found = text("SELECT rowid FROM members_fts WHERE members_fts MATCH :query"
                     ).bindparams(query=fts_prefix_query(terms)).columns(rowid=m.c.id.type)
    fts = found.subquery("fts")
    return conn.execute(
        select(*_MATCH_COLUMNS)
        .select_from(fts.join(m, m.c.id == fts.c[0]))
        .where(downline_clause(m.c.path, my_path))
        .limit(limit)
    ).all()


# --- members -------------------------------------------------------------------------------


def _member(conn: Connection, member_id: int) -> Member:
    row = conn.execute(select(t.members).where(t.members.c.id == member_id)).one()
    return member_from_row(row)


def member_from_row(row: Row[*tuple[Any, ...]]) -> Member:
    address = None
    if row.city or row.street or row.postcode:
        address = Address(
            postcode=row.postcode or "",
            city=row.city or "",
            street=row.street or "",
            country=row.country or "RU",
        )
    return Member(
        id=row.id,
        registration_number=row.registration_number,
        kind=MemberKind(row.kind),
        status=MemberStatus(row.status),
        full_name=row.full_name,
        email=row.email,
        phone=row.phone,
        birth_date=row.birth_date,
        address=address,
        passport=row.passport,
        sponsor_id=row.sponsor_id,
        enroller_id=row.enroller_id,
        registered_at=row.registered_at,
        loyalty_enrolled=bool(row.loyalty_enrolled),
        loyalty_since=row.loyalty_since,
        last_order_at=row.last_order_at,
        language=row.language,
    )


def _refs(conn: Connection, ids: Iterable[int], my_path: str) -> dict[int, MemberRef]:
    """Names of sponsors and enrollers the signed-in member may know: her team and her
    own upline (her sponsor's chain). Anyone else, say an enroller in another team, stays
    unnamed."""
    m = t.members
    upline = [int(part) for part in my_path.strip("/").split("/")]
    rows = conn.execute(
        select(m.c.id, m.c.registration_number, m.c.full_name).where(
            m.c.id.in_(list(ids)), downline_clause(m.c.path, my_path) | m.c.id.in_(upline)
        )
    )
    return {row.id: MemberRef(row.id, row.registration_number, row.full_name) for row in rows}


# --- volume --------------------------------------------------------------------------------


def _add_months(first_day: date, months: int) -> date:
    index = first_day.year * 12 + first_day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _months_back(today: date, months: int) -> list[date]:
    """The first days of the last ``months`` calendar months up to today, oldest first."""
    if not 1 <= months <= MAX_MONTHS:
        raise ValidationError(f"months must be between 1 and {MAX_MONTHS}", field="months")
    this_month = month_start(today)
    return [_add_months(this_month, -back) for back in range(months - 1, -1, -1)]


def _volumes(
    conn: Connection,
    member_ids: list[int],
    months: list[date],
    *,
    sponsor_id: int | None = None,
) -> dict[int, list[MonthVolume]]:
    """Each member's volume per month, zero months kept: one grouped query for them all.

    With ``sponsor_id`` the buyers are chosen by a join on the sponsor (the index on
    sponsor_id, then each child's (buyer_id, placed_at) range) instead of a long IN list.
    """
    o, m = t.orders, t.members
    start = months[0].isoformat()
    end = _add_months(months[-1], 1).isoformat()
    month = func.substr(o.c.placed_at, 1, 7).label("month")
    is_loyalty = case((o.c.source == OrderSource.AS.value, 1), else_=0)
    # The month's volume is what its orders earned (core.local.month_points): one still
    # waiting for its money counts as ordered, as the month's order list shows it.
    query = select(
        o.c.buyer_id,
        month,
        func.sum(earned_points(o), type_=o.c.points.type).label("points"),
        func.count().label("orders"),
        func.sum(is_loyalty).label("loyalty_orders"),
    ).where(
        o.c.placed_at >= start,
        o.c.placed_at < end,
        standing(o),
    )
    if sponsor_id is not None:
        query = query.select_from(
            m.join(o, and_(o.c.buyer_id == m.c.id, m.c.sponsor_id == sponsor_id))
        )
    else:
        query = query.where(o.c.buyer_id.in_(member_ids))
    found: dict[int, dict[str, Row[*tuple[Any, ...]]]] = defaultdict(dict)
    for row in conn.execute(query.group_by(o.c.buyer_id, month)):
        found[row.buyer_id][row.month] = row

    result: dict[int, list[MonthVolume]] = {}
    keys = [f"{first.year:04d}-{first.month:02d}" for first in months]
    for member_id in member_ids:
        by_month = found.get(member_id, {})
        result[member_id] = [
            MonthVolume(key, by_month[key].points, by_month[key].orders,
                        by_month[key].loyalty_orders)
            if key in by_month
            else MonthVolume(key, Decimal(0), 0, 0)
            for key in keys
        ]
    return result
