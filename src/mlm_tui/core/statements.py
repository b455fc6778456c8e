"""Bank statements read into credits: ISO 20022 camt.053 (German banks) and a simple CSV.

Only what a transfer to the company says is read: each credit's amount and currency, the
day booked, the bank's reference of the entry, the payer's name and the remittance text
where the payer quoted the reference. Debits are skipped. Nothing here touches the store:
:func:`mlm_tui.core.local.payments.import_statement` matches the credits.

The XML is parsed by the standard library's ElementTree (expat, which refuses the entity
expansion attacks); a document type declaration is refused before parsing, as a bank's
statement never has one.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

from mlm_tui.core.errors import N_, ValidationError


@dataclass(frozen=True, slots=True)
class StatementEntry:
    """One credit on a bank statement."""

    entry_id: str  # the bank's reference of the entry, or the CSV's line
    booked_on: str  # YYYY-MM-DD as the bank wrote it
    amount: Decimal
    currency: str
    remittance: str  # the text the payer wrote: where the reference is
    payer: str = ""


def read_statement(data: bytes, *, name: str = "") -> list[StatementEntry]:
    """camt.053 when the file is XML, else the CSV form."""
    if data.lstrip().startswith(b"<"):
        return read_camt053(data)
    return read_csv(data, name=name)


# --- camt.053 ------------------------------------------------------------------------------


def read_camt053(data: bytes) -> list[StatementEntry]:
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise ValidationError(N_("a statement with a document type declaration is refused"),
                              field="statement")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise ValidationError(N_("not well-formed XML: {why}"), field="statement",
                              params={"why": str(exc)}) from None
    if _local(root.tag) != "Document" or _child(root, "BkToCstmrStmt") is None:
        raise ValidationError(N_("not a camt.053 statement (no Document/BkToCstmrStmt)"),
                              field="statement")
    entries: list[StatementEntry] = []
    for statement in _children(_child(root, "BkToCstmrStmt"), "Stmt"):
        for number, entry in enumerate(_children(statement, "Ntry"), start=1):
            if _text(entry, "CdtDbtInd") != "CRDT":
                continue  # money leaving the account pays no request
            entries.extend(_credits(entry, number))
    return entries


def _credits(entry: ElementTree.Element, number: int) -> list[StatementEntry]:
    booked = _text(entry, "BookgDt", "Dt") or _text(entry, "BookgDt", "DtTm")[:10]
    entry_ref = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef") or f"entry {number}"
    amount, currency = _amount(_child(entry, "Amt"))
    details = [tx for d in _children(entry, "NtryDtls") for tx in _children(d, "TxDtls")]
    if not details:
        return [StatementEntry(entry_ref, booked, amount, currency,
                               _remittance(entry), "")]
    found = []
    for index, tx in enumerate(details, start=1):
        # A batch booked as one entry: each transfer has its own amount.
        tx_amount = _child(tx, "Amt") or _child(_child(_child(tx, "AmtDtls"), "TxAmt"), "Amt")
        each, each_currency = (_amount(tx_amount) if tx_amount is not None and len(details) > 1
                               else (amount, currency))
        tx_ref = _text(tx, "Refs", "AcctSvcrRef") or _text(tx, "Refs", "EndToEndId")
        ref = entry_ref if len(details) == 1 else f"{entry_ref}/{tx_ref or index}"
        found.append(StatementEntry(ref, booked, each, each_currency, _remittance(tx),
                                    _text(tx, "RltdPties", "Dbtr", "Nm")
                                    or _text(tx, "RltdPties", "Dbtr", "Pty", "Nm")))
    return found


def _remittance(node: ElementTree.Element) -> str:
    info = _child(node, "RmtInf")
    if info is None:
        return _text(node, "AddtlNtryInf")
    parts = [u.text or "" for u in _children(info, "Ustrd")]
    for structured in _children(info, "Strd"):
        parts.append(_text(structured, "CdtrRefInf", "Ref"))
    return " ".join(p.strip() for p in parts if p and p.strip())


def _amount(node: ElementTree.Element | None) -> tuple[Decimal, str]:
    if node is None or not (node.text or "").strip():
        raise ValidationError(N_("an entry without an amount"), field="statement")
    try:
        return Decimal(node.text.strip()), node.get("Ccy", "")  # type: ignore[union-attr]
    except InvalidOperation:
        raise ValidationError(N_("not an amount: \"{text}\""), field="statement",
                              params={"text": node.text}) from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(node: ElementTree.Element | None, name: str) -> list[ElementTree.Element]:
    # Any camt.053 version (.001.02 to .001.13): matched by local name, not namespace.
    return [] if node is None else [c for c in node if _local(c.tag) == name]


def _child(node: ElementTree.Element | None, name: str) -> ElementTree.Element | None:
    found = _children(node, name)
    return found[0] if found else None


def _text(node: ElementTree.Element | None, *path: str) -> str:
    for name in path:
        node = _child(node, name)
    return (node.text or "").strip() if node is not None else ""


# --- CSV -----------------------------------------------------------------------------------

CSV_COLUMNS = ("booked_on", "amount", "currency", "reference")


def read_csv(data: bytes, *, name: str = "") -> list[StatementEntry]:
    """A header line naming at least ``booked_on,amount,currency,reference`` (``payer`` and
    ``id`` are read when present); comma or semicolon between fields; amounts with a point,
    or with a comma where fields are separated by semicolons. Only positive amounts."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(N_("the CSV is not UTF-8"), field="statement") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = [c.strip().lower() for c in reader.fieldnames or ()]
    missing = [c for c in CSV_COLUMNS if c not in columns]
    if missing:
        raise ValidationError(N_("the CSV's header lacks {names}"), field="statement",
                              params={"names": ", ".join(missing)})
    entries = []
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        typed = row["amount"].replace(" ", "")
        if delimiter == ";":
            typed = typed.replace(".", "").replace(",", ".")
        try:
            amount = Decimal(typed)
        except InvalidOperation:
            raise ValidationError(N_("line {line}: not an amount: \"{text}\""),
                                  field="statement",
                                  params={"line": line, "text": row["amount"]}) from None
        if amount <= 0:
            continue
        entries.append(StatementEntry(row.get("id") or f"{name or 'csv'} line {line}",
                                      row["booked_on"], amount, row["currency"].upper(),
                                      row["reference"], row.get("payer", "")))
    return entries
