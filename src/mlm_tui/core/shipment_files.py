"""The warehouse's and the carriers' files read into records: shipments and carrier events.

Two forms each, as the sender writes them: CSV with a header line (comma or semicolon),
or JSON (a list of objects). Nothing here touches the store:
:mod:`mlm_tui.core.local.shipments` applies the records.

Shipments: ``order_number, carrier, tracking_number, shipped_at``.
Carrier events: ``tracking_number, at, status, station, description`` and, when the
carrier moved its promise, ``expected_from, expected_to`` (days). ``status`` is one of
:data:`EVENT_STATUSES`.

A file with a line that cannot be read is refused whole, naming the line: the sender
fixes it and sends it again, and applying it twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from mlm_tui.core.errors import N_, N_plural, ValidationError
from mlm_tui.core.models import ShipmentStatus

MAX_RECORDS = 50_000
MAX_TRACKING = 40
MAX_STATION = 100
MAX_DESCRIPTION = 200
# What a carrier may say of a parcel; "stopped" is the service's word, not a carrier's.
EVENT_STATUSES = (ShipmentStatus.IN_TRANSIT, ShipmentStatus.OUT_FOR_DELIVERY,
                  ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED)


@dataclass(frozen=True, slots=True)
class ShipmentRecord:
    """One parcel the warehouse handed to a carrier."""

    line: int  # where it is in the file, for the report
    order_number: str
    carrier: str  # the carrier's code, as the company's settings name it
    tracking_number: str
    shipped_at: datetime


@dataclass(frozen=True, slots=True)
class CarrierEventRecord:
    """One thing a carrier says happened to a parcel."""

    line: int
    tracking_number: str
    at: datetime
    status: ShipmentStatus
    station: str = ""
    description: str = ""
    expected_from: date | None = None
    expected_to: date | None = None


def read_shipments(data: bytes) -> list[ShipmentRecord]:
    records = []
    for line, row in _rows(data, ("order_number", "carrier", "tracking_number",
                                  "shipped_at")):
        tracking = _text(row, "tracking_number", line, MAX_TRACKING)
        records.append(ShipmentRecord(
            line, _text(row, "order_number", line, 24).upper(),
            _text(row, "carrier", line, 16).lower(), tracking,
            _moment(row, "shipped_at", line)))
    return records


def read_carrier_events(data: bytes) -> list[CarrierEventRecord]:
    records = []
    for line, row in _rows(data, ("tracking_number", "at", "status")):
        status_text = _text(row, "status", line, 20).lower()
        try:
            status = ShipmentStatus(status_text)
        except ValueError:
            status = None
        if status not in EVENT_STATUSES:
            allowed = ", ".join(s.value for s in EVENT_STATUSES)
            raise ValidationError(N_("line {line}: status \"{status}\" is not one of {allowed}"),
                                  field="file", params={"line": line, "status": status_text,
                                                        "allowed": allowed})
        assert status is not None
        expected_from = _day(row, "expected_from", line)
        expected_to = _day(row, "expected_to", line) or expected_from
        if expected_from and expected_to and expected_to < expected_from:
            raise ValidationError(N_("line {line}: {field} is before {other}"), field="file",
                                  params={"line": line, "field": "expected_to",
                                          "other": "expected_from"})
        records.append(CarrierEventRecord(
            line, _text(row, "tracking_number", line, MAX_TRACKING),
            _moment(row, "at", line), status,
            _text(row, "station", line, MAX_STATION, required=False),
            _text(row, "description", line, MAX_DESCRIPTION, required=False),
            expected_from, expected_to))
    return records


# --- the two forms -------------------------------------------------------------------------


def _rows(data: bytes, needed: tuple[str, ...]) -> list[tuple[int, Mapping[str, Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(N_("the file is not UTF-8 text"), field="file") from None
    rows = _json_rows(text) if text.lstrip().startswith(("[", "{")) else _csv_rows(text)
    if len(rows) > MAX_RECORDS:
        raise ValidationError(N_("more than {limit} records: split the file"),
                              field="file", params={"limit": MAX_RECORDS})
    for line, row in rows:
        missing = [name for name in needed if name not in row]
        if missing:
            raise ValidationError(N_("line {line}: no {names}"), field="file",
                                  params={"line": line, "names": ", ".join(missing)})
    return rows


def _json_rows(text: str) -> list[tuple[int, Mapping[str, Any]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(N_("not JSON: {why} (line {line})"), field="file",
                              params={"why": exc.msg, "line": exc.lineno}) from None
    if isinstance(data, dict):  # {"shipments": [...]} or {"events": [...]}
        lists = [value for value in data.values() if isinstance(value, list)]
        data = lists[0] if len(lists) == 1 else None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ValidationError(N_("JSON: a list of objects is expected"), field="file")
    return [(number, {str(k).strip().lower(): v for k, v in item.items()})
            for number, item in enumerate(data, start=1)]


def _csv_rows(text: str) -> list[tuple[int, Mapping[str, Any]]]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if reader.fieldnames is None:
        raise ValidationError(N_("the file is empty"), field="file")
    reader.fieldnames = [name.strip().lower() for name in reader.fieldnames]
    rows: list[tuple[int, Mapping[str, Any]]] = []
    for row in reader:
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue  # a blank line
        rows.append((reader.line_num, row))
    return rows


# --- fields --------------------------------------------------------------------------------


def _text(row: Mapping[str, Any], name: str, line: int, most: int, *,
          required: bool = True) -> str:
    value = row.get(name)
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ValidationError(N_("line {line}: {field} is empty"), field="file",
                              params={"line": line, "field": name})
    if len(text) > most:
        raise ValidationError(N_plural("line {line}: {field} is longer than {n} character",
                                       "line {line}: {field} is longer than {n} characters"),
                              field="file", params={"line": line, "field": name, "n": most})
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text):
        raise ValidationError(N_("line {line}: {field} holds control characters"),
                              field="file", params={"line": line, "field": name})
    return text


def _moment(row: Mapping[str, Any], name: str, line: int) -> datetime:
    text = _text(row, name, line, 40)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(N_("line {line}: {field} \"{text}\" is not a date and time "
                                 "(YYYY-MM-DD HH:MM)"), field="file",
                              params={"line": line, "field": name, "text": text}) from None
    if moment.tzinfo is not None:  # the store keeps UTC without a zone
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _day(row: Mapping[str, Any], name: str, line: int) -> date | None:
    text = _text(row, name, line, 10, required=False)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(N_("line {line}: {field} \"{text}\" is not a day (YYYY-MM-DD)"),
                              field="file",
                              params={"line": line, "field": name, "text": text}) from None
