"""Request and response shapes of the API (they are also its OpenAPI documentation)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

MAX_PAGE = 1000
DEFAULT_PAGE = 100
MAX_BULK_RECORDS = 5000


class PageIn(Schema):
    limit: int = Field(
        DEFAULT_PAGE, ge=1, le=MAX_PAGE, description=f"Page size, at most {MAX_PAGE}."
    )
    offset: int = Field(0, ge=0, description="Rows to skip.")


class StudentFilterIn(PageIn):
    cohort: int | None = Field(None, description="Graduation year (届).")
    school_code: str | None = Field(None, description="Code of the school (二级学院).")
    class_name: str | None = Field(None, description="Exact class name (班级).")
    updated_since: dt.datetime | None = Field(
        None, description="Only students changed at or after this time (ISO 8601)."
    )


class RecordFilterIn(PageIn):
    student_number: str | None = Field(None, description="Only this student's records.")


class StudentOut(Schema):
    student_number: str
    name: str
    gender: str
    ethnicity: str
    class_name: str
    major_code: str
    school_code: str
    cohort: int
    entry_year: int
    education_level: str
    status: str
    hukou_region_code: str
    hukou_type: str
    id_number: str = Field(description="Masked unless the token has students:identifiers.")
    phone: str = Field(description="Masked unless the token has students:identifiers.")
    updated_at: dt.datetime


class StudentPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[StudentOut]


class RecordPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]] = Field(
        description="One object per record: student_number and the kind's fields."
    )


class BulkIn(Schema):
    mode: Literal["all_or_nothing", "valid_rows"] = Field(
        "all_or_nothing",
        description="all_or_nothing writes nothing if any record has an error; "
        "valid_rows writes the valid records and reports the rest.",
    )
    records: list[dict[str, Any]] = Field(
        description=f"At most {MAX_BULK_RECORDS} objects of field name → value "
        "(the kind's field names)."
    )


class RecordError(Schema):
    index: int = Field(description="0-based position of the record in `records`.")
    field: str
    value: str
    message: str


class BulkOut(Schema):
    applied: bool
    created: int
    updated: int
    unchanged: int
    errors: list[RecordError]


class DomainErrorOut(Schema):
    code: str
    message: str


class DetailOut(Schema):
    detail: str


MAX_BATCH_EVENTS = 50_000
MAX_REPORTED_EVENT_ERRORS = 1000


class EventBatchIn(Schema):
    batch_id: str = Field(
        min_length=1,
        max_length=100,
        pattern=r"^[\w.:-]+$",
        description="The sending system's id of this batch (letters, digits, `.` `_` `:` `-`). "
        "Sending the same batch again is harmless; another batch under the same id is refused.",
    )
    events: list[dict[str, Any]] = Field(
        min_length=1,
        description=f"1 to {MAX_BATCH_EVENTS} objects of field name → value (the source's fields).",
    )


class EventBatchOut(Schema):
    batch_id: str
    source: str
    duplicate: bool = Field(description="True when this batch was already in the lake.")
    rows: int = Field(description="Events accepted (now or by the earlier push).")
    months: list[str] = Field(description="Month partitions written, e.g. 2024-09.")
    sha256: str = Field(description="Hash of the batch, as recorded in the lake's manifest.")


class EventBatchRefusedOut(Schema):
    error_count: int
    errors: list[RecordError] = Field(description=f"The first {MAX_REPORTED_EVENT_ERRORS} errors.")
