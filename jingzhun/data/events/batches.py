"""Import a batch of event records (already in memory, e.g. pushed through the API) into the lake.

A batch is all or nothing: every record is checked first and any problem refuses the whole
batch. A batch is known by a name chosen by the caller (the API uses the institution and the
client's batch id); its identity in the manifest is the SHA-256 of that name and of the
normalised rows, so that pushing the same batch again finds its entry and writes nothing,
while the same name with other rows is a conflict. The name is stored as the entry's
`file_name`. Rows are written by the file importer's own write path (`ingest.import_once`).

Normalisation: times with an offset are converted to `local_zone` and stored without a zone,
like every other time in the lake; times without an offset are already local. Numbers may be
JSON numbers or decimal strings. Empty strings are missing values, as in file imports.

Values are checked here in Python, not by the file importer's SQL (`ingest.parse_raw`), and
on purpose more strictly: times must be ISO 8601 (no per-file formats such as `2014/09/01`),
numbers must be finite (no `inf`/`nan`, no booleans), and text fields must be JSON strings.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import pyarrow as pa

from jingzhun.data.events.ingest import Staged, import_once, stage_table
from jingzhun.data.events.lake import Lake, ManifestEntry
from jingzhun.data.events.schemas import ColumnType, EventSource

LOCAL_ZONE = "Asia/Shanghai"

Value = str | float | dt.datetime | None
Row = tuple[Value, ...]


class IssueCode(StrEnum):
    UNKNOWN_FIELD = "unknown_field"
    MISSING = "missing"
    NOT_TEXT = "not_text"
    BAD_TIMESTAMP = "bad_timestamp"
    BAD_NUMBER = "bad_number"


@dataclass(frozen=True)
class RecordIssue:
    """One problem of one record: `index` is its 0-based position in the batch."""

    index: int
    field: str
    value: str
    code: IssueCode


class RecordsRejected(ValueError):
    """The batch has at least one bad record; nothing was written."""

    def __init__(self, issues: Sequence[RecordIssue]) -> None:
        super().__init__(f"{len(issues)} problems in the batch, the first: {issues[0]}")
        self.issues = tuple(issues)


@dataclass(frozen=True)
class BatchImport:
    """What happened to a batch.

    `written`: its rows are now in the lake under `entry`. `duplicate`: the very same batch
    was already there (`entry` is the earlier one) and nothing was written. `conflict`: a
    batch of the same name but other rows is there (`entry`); nothing was written.
    """

    outcome: Literal["written", "duplicate", "conflict"]
    sha256: str
    entry: ManifestEntry

    @property
    def months(self) -> tuple[str, ...]:
        return self.entry.months


# checking one value ---------------------------------------------------------------------


def display(value: Any) -> str:
    """The offending value as the caller sent it, for the error list."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


class BadValue(ValueError):
    def __init__(self, code: IssueCode) -> None:
        super().__init__(code)
        self.code = code


def parse_timestamp(value: Any, zone: ZoneInfo) -> dt.datetime:
    """An ISO 8601 date-time (or date) as local wall-clock time without a zone."""
    if not isinstance(value, str):
        raise BadValue(IssueCode.BAD_TIMESTAMP)
    try:
        moment = dt.datetime.fromisoformat(value.strip())
        if moment.tzinfo is not None:
            moment = moment.astimezone(zone).replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise BadValue(IssueCode.BAD_TIMESTAMP) from None
    return moment


def parse_number(value: Any) -> float:
    """A JSON number or a decimal string (``"12.50"``); booleans, NaN and infinities are not."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise BadValue(IssueCode.BAD_NUMBER)
    try:
        number = float(Decimal(value.strip())) if isinstance(value, str) else float(value)
    except (InvalidOperation, OverflowError):
        raise BadValue(IssueCode.BAD_NUMBER) from None
    if not math.isfinite(number):
        raise BadValue(IssueCode.BAD_NUMBER)
    return number


def parse_value(kind: ColumnType, value: Any, zone: ZoneInfo) -> Value:
    """The typed value of a present (non-empty) field, or BadValue."""
    if kind == "timestamp":
        return parse_timestamp(value, zone)
    if kind == "float64":
        return parse_number(value)
    if not isinstance(value, str):
        raise BadValue(IssueCode.NOT_TEXT)
    return value.strip()


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# checking a batch -----------------------------------------------------------------------


def check_record(
    source: EventSource,
    known: frozenset[str],
    index: int,
    record: Mapping[str, Any],
    zone: ZoneInfo,
) -> tuple[Row, list[RecordIssue]]:
    issues = []
    if not record.keys() <= known:
        issues = [
            RecordIssue(index, name, display(value), IssueCode.UNKNOWN_FIELD)
            for name, value in record.items()
            if name not in known
        ]
    row: list[Value] = []
    for name, kind in source.columns:
        value = record.get(name)
        if is_missing(value):
            if name in source.required:
                issues.append(RecordIssue(index, name, display(value), IssueCode.MISSING))
            row.append(None)
            continue
        try:
            row.append(parse_value(kind, value, zone))
        except BadValue as exc:
            issues.append(RecordIssue(index, name, display(value), exc.code))
            row.append(None)
    return tuple(row), issues


def check_records(
    source: EventSource, records: Sequence[Mapping[str, Any]], *, local_zone: str = LOCAL_ZONE
) -> list[Row]:
    """Typed rows in the source's column order, or RecordsRejected listing every problem."""
    zone, known = ZoneInfo(local_zone), frozenset(source.column_names)
    rows, issues = [], []
    for index, record in enumerate(records):
        row, found = check_record(source, known, index, record, zone)
        rows.append(row)
        issues += found
    if issues:
        raise RecordsRejected(issues)
    return rows


def batch_sha256(source: EventSource, name: str, rows: Sequence[Row]) -> str:
    """Identity of a batch: its name and its normalised rows (not the JSON text, so key order,
    ``"12.50"`` vs ``12.5`` or ``Z`` vs ``+08:00`` for the same moment do not matter)."""

    def plain(value: Value) -> Any:
        return value.isoformat() if isinstance(value, dt.datetime) else value

    canonical = {
        "source": source.name,
        "name": name,
        "columns": source.column_names,
        "rows": [[plain(v) for v in row] for row in rows],
    }
    text = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# writing --------------------------------------------------------------------------------


def rows_table(source: EventSource, rows: Sequence[Row]) -> pa.Table:
    schema = source.arrow_schema()
    return pa.table(
        [pa.array([row[i] for row in rows], field.type) for i, field in enumerate(schema)],
        schema=schema,
    )


def import_records(
    records: Sequence[Mapping[str, Any]],
    lake: Lake,
    source: EventSource,
    *,
    name: str,
    local_zone: str = LOCAL_ZONE,
) -> BatchImport:
    """Check every record, then write the batch as one part per month, or find it written.

    Raises RecordsRejected (nothing written) when any record is bad. Concurrent calls are
    serialised by the lake's lock, so of two pushes of one batch exactly one writes it.
    """
    if not records:
        raise ValueError("a batch needs at least one record")
    rows = check_records(source, records, local_zone=local_zone)
    sha256 = batch_sha256(source, name, rows)

    def stage(staging: Path) -> Staged:
        months = stage_table(rows_table(source, rows), source, staging)
        return Staged(months=months, rows=len(rows), rejected=0)

    entry, staged = import_once(
        lake, source, sha256=sha256, file_name=name, stage=stage, known_by="file_name"
    )
    if staged is not None:
        return BatchImport(outcome="written", sha256=sha256, entry=entry)
    outcome: Literal["duplicate", "conflict"] = (
        "duplicate" if entry.sha256 == sha256 else "conflict"
    )
    return BatchImport(outcome=outcome, sha256=sha256, entry=entry)
