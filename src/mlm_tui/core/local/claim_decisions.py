"""The service's side of a claim: accept it with a credit, or reject it with a reason.

A member files a claim through the Backend (``submit_claim``); only the service decides
it. So deciding is not a Backend method: these functions work on the :class:`Store`
itself, like the retention run, and whoever runs the store calls them (``mlm-tui
maintenance claim``). Nothing a signed-in member can reach, the screens or the HTTP API
built on the protocol, leads here, so nobody can decide her own claim.

A decision is one transaction: the claim's status, decision text and time, the credit on
the member's balance ledger (when accepted) and the decision in the member's inbox. A
claim is decided once; the answer for an unknown one is ``NotFound``, for a decided one
``Conflict``, and either way the store is left as it was.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any

from sqlalchemy import Connection, Row, select, true, update

from mlm_tui.core.errors import Conflict, NotFound, ValidationError
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.base import read_company
from mlm_tui.core.local.claims import MAX_REASON, read_claims
from mlm_tui.core.local.orders import notify
from mlm_tui.core.local.store import Store
from mlm_tui.core.models import Claim, ClaimStatus, CompanyProfile, LedgerKind, NotificationKind
from mlm_tui.core.money import Money, currency_exponent
from mlm_tui.core.notices import NoticeCode, money_param, word_decision
from mlm_tui.core.validation import refuse_unprintable
from mlm_tui.i18n import N_


@dataclass(frozen=True, slots=True)
class ClaimCase:
    """A claim as the service sees it: whose it is and what its products were paid."""

    claim: Claim
    registration_number: str
    full_name: str
    worth: Money  # the claimed lines at the prices paid: the most an acceptance credits

    def is_overdue(self, now: datetime) -> bool:
        """Still open after its due day: the member was promised a decision by then."""
        return (self.claim.status is ClaimStatus.SUBMITTED
                and now.date() > self.claim.decision_due)


def list_claims(store: Store, *, open_only: bool = False) -> list[ClaimCase]:
    """Every member's claims, newest first; ``open_only`` keeps those awaiting a decision."""
    c = t.claims
    where = c.c.status == ClaimStatus.SUBMITTED.value if open_only else true()
    with store.read() as conn:
        company = read_company(conn)
        return [_case(conn, row, claim, company) for row, claim in
                read_claims(conn, where, _money_of(company))]


def find_claim(store: Store, number: str) -> ClaimCase:
    """One claim by its number (``NotFound`` naming ``claim`` when there is none)."""
    with store.read() as conn:
        company = read_company(conn)
        return _case(conn, *_claim(conn, number, company), company)


def accept_claim(store: Store, number: str, *, now: datetime, credit: Money | None = None,
                 note: str = "") -> ClaimCase:
    """Accept a claim and credit the member's balance: ``credit``, or by default everything
    the claimed lines were paid (never more). ``note`` adds a word from the service."""
    note = _text(note, required=False)
    with store.write() as conn:
        company = read_company(conn)
        row, claim = _open_claim(conn, number, company)
        worth = _worth(conn, row.id, claim.invoice_number, company.currency)
        amount = worth if credit is None else _checked_credit(credit, worth, company)
        decision = word_decision(True, amount, note, company.locale)
        _record(conn, row, ClaimStatus.ACCEPTED, decision, note, now, amount)
        if amount:
            conn.execute(t.balance_ledger.insert().values(
                member_id=row.member_id, at=now, kind=LedgerKind.REFUND.value,
                amount=amount.amount, order_id=_order_id(conn, claim.invoice_number),
                note=claim.number))
        said = {"number": claim.number, "invoice": claim.invoice_number, "note": note}
        if amount:
            notify(conn, row.member_id, now, NotificationKind.CLAIM,
                   NoticeCode.CLAIM_CREDITED, {**said, "credit": money_param(amount)},
                   company.locale)
        else:
            notify(conn, row.member_id, now, NotificationKind.CLAIM,
                   NoticeCode.CLAIM_ACCEPTED, said, company.locale)
        return _case(conn, *_claim(conn, number, company), company)


def reject_claim(store: Store, number: str, *, now: datetime, reason: str) -> ClaimCase:
    """Reject a claim; ``reason`` tells the member why and is required."""
    reason = _text(reason, required=True)
    with store.write() as conn:
        company = read_company(conn)
        row, claim = _open_claim(conn, number, company)
        decision = word_decision(False, None, reason, company.locale)
        _record(conn, row, ClaimStatus.REJECTED, decision, reason, now, None)
        notify(conn, row.member_id, now, NotificationKind.CLAIM, NoticeCode.CLAIM_REJECTED,
               {"number": claim.number, "invoice": claim.invoice_number, "reason": reason},
               company.locale)
        return _case(conn, *_claim(conn, number, company), company)


# --- inside one transaction ----------------------------------------------------------------


def _money_of(company: CompanyProfile) -> Callable[[Decimal], Money]:
    return lambda amount: Money(amount, company.currency)


def _claim(conn: Connection, number: str, company: CompanyProfile) -> tuple[Row[Any], Claim]:
    found = read_claims(conn, t.claims.c.number == number.strip(), _money_of(company))
    if not found:
        raise NotFound(N_("There is no claim {number}."), field="claim", params={"number": number})
    return found[0]


def _open_claim(conn: Connection, number: str, company: CompanyProfile
                ) -> tuple[Row[Any], Claim]:
    row, claim = _claim(conn, number, company)
    if claim.status is ClaimStatus.SUBMITTED:
        return row, claim
    accepted = claim.status is ClaimStatus.ACCEPTED
    params: dict[str, object] = {"number": claim.number}
    if claim.decided_at is None:  # claims decided before decisions were dated have none
        template = (N_("Claim {number} is already accepted.") if accepted
                    else N_("Claim {number} is already rejected."))
    else:
        template = (N_("Claim {number} is already accepted. Decided on {day}.") if accepted
                    else N_("Claim {number} is already rejected. Decided on {day}."))
        params["day"] = claim.decided_at.date()  # written as the reader writes days
    raise Conflict(template, field="claim", params=params)


def _record(conn: Connection, row: Row[Any], status: ClaimStatus, decision: str, note: str,
            now: datetime, credit: Money | None) -> None:
    c = t.claims
    moved = conn.execute(
        update(c).where(c.c.id == row.id, c.c.status == ClaimStatus.SUBMITTED.value)
        .values(status=status.value, decision=decision, note=note, decided_at=now,
                credit=None if credit is None else credit.amount)
    ).rowcount
    if moved != 1:  # decided by someone else since it was read
        raise Conflict(N_("Claim {number} changed meanwhile; look again."), field="claim",
                       params={"number": row.number})


def _case(conn: Connection, row: Row[Any], claim: Claim, company: CompanyProfile
          ) -> ClaimCase:
    m = t.members
    member = conn.execute(
        select(m.c.registration_number, m.c.full_name).where(m.c.id == row.member_id)
    ).one()
    return ClaimCase(claim, member.registration_number, member.full_name,
                     _worth(conn, row.id, claim.invoice_number, company.currency))


def _order_id(conn: Connection, invoice_number: str) -> int:
    order_id: int = conn.execute(
        select(t.invoices.c.order_id).where(t.invoices.c.number == invoice_number)
    ).scalar_one()
    return order_id


def _worth(conn: Connection, claim_id: int, invoice_number: str, currency: str) -> Money:
    """The claimed quantities at what the invoice charged for them.

    A product on several lines (say, once bought and once a gift) is valued at its average
    price on the invoice; the sum is cut down to whole minor units, so a credit of the
    whole worth never gives back more than was paid.
    """
    ol, cl = t.order_lines, t.claim_lines
    invoiced: dict[str, tuple[Decimal, int]] = {}
    for line in conn.execute(select(ol.c.product_code, ol.c.unit_price, ol.c.quantity)
                             .where(ol.c.order_id == _order_id(conn, invoice_number))):
        value, quantity = invoiced.get(line.product_code, (Decimal(0), 0))
        invoiced[line.product_code] = (value + line.unit_price * line.quantity,
                                       quantity + line.quantity)
    total = Decimal(0)
    for claimed in conn.execute(select(cl.c.product_code, cl.c.quantity)
                                .where(cl.c.claim_id == claim_id)):
        value, quantity = invoiced.get(claimed.product_code, (Decimal(0), 0))
        if quantity:
            total += value * claimed.quantity / quantity
    quantum = Decimal(1).scaleb(-currency_exponent(currency))
    return Money(total.quantize(quantum, rounding=ROUND_DOWN), currency)


# --- checks and wording --------------------------------------------------------------------


def _text(value: str, *, required: bool) -> str:
    value = refuse_unprintable(value or "", field="reason", multiline=True)
    value = unicodedata.normalize("NFC", value).strip()
    if required and not value:
        raise ValidationError(N_("Say why the claim is rejected."), field="reason")
    if len(value) > MAX_REASON:
        raise ValidationError(N_("At most {most} characters."),
                              field="reason", params={"most": MAX_REASON})
    return value


def _checked_credit(credit: Money, worth: Money, company: CompanyProfile) -> Money:
    if not isinstance(credit, Money) or credit.currency != company.currency:
        raise ValidationError(N_("Credit in {currency}."),
                              field="credit", params={"currency": company.currency})
    if credit.amount != credit.rounded().amount:
        raise ValidationError(
            N_("An amount has at most {places} decimal places."),
            field="credit", params={"places": currency_exponent(company.currency)})
    if credit.is_negative():
        raise ValidationError(N_("The credit cannot be negative."), field="credit")
    if credit > worth:
        raise ValidationError(
            N_("The claimed products are worth {worth}; the credit cannot be more."),
            field="credit", params={"worth": worth})
    return credit.rounded()

