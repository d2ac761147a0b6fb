"""Request and response shapes of the API (they are also its OpenAPI documentation).

Every number and text a caller sends is bounded here, so that what reaches the database is a
value it can store and compare: out-of-range input is a 422, never a server error.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import StringConstraints, field_validator

MAX_PAGE = 1000
DEFAULT_PAGE = 100
# Far more rows than any registry holds, and far from the 64-bit limit of SQL OFFSET.
MAX_OFFSET = 1_000_000_000
MAX_BULK_RECORDS = 5000
MAX_FILTER_LENGTH = 100
# A refused request lists at most this many errors, each echoing at most this much of the value:
# a hostile body must not turn into a response as large as itself.
MAX_REPORTED_ERRORS = 200
MAX_ECHO_CHARS = 50
COHORT_RANGE = (1900, 2100)

# Filters and path parameters are compared with stored text: bounded, and without NUL,
# which PostgreSQL cannot hold.
NO_NUL_PATTERN = r"^[^\x00]*$"
FilterText = Annotated[str, StringConstraints(max_length=MAX_FILTER_LENGTH, pattern=NO_NUL_PATTERN)]


class PageIn(Schema):
    limit: int = Field(
        DEFAULT_PAGE, ge=1, le=MAX_PAGE, description=f"Page size, at most {MAX_PAGE}."
    )
    offset: int = Field(
        0, ge=0, le=MAX_OFFSET, description=f"Rows to skip, at most {MAX_OFFSET:,}."
    )


class StudentFilterIn(PageIn):
    cohort: int | None = Field(
        None, ge=COHORT_RANGE[0], le=COHORT_RANGE[1],
        description=f"Graduation year (届), {COHORT_RANGE[0]}–{COHORT_RANGE[1]}.",
    )  # fmt: skip
    school_code: FilterText | None = Field(None, description="Code of the school (二级学院).")
    class_name: FilterText | None = Field(None, description="Exact class name (班级).")
    updated_since: dt.datetime | None = Field(
        None,
        description="Only students changed at or after this time (ISO 8601; without an offset "
        "it is Beijing time). Years 1 to 9999 in UTC.",
    )

    @field_validator("updated_since")
    @classmethod
    def _in_utc_range(cls, value: dt.datetime | None) -> dt.datetime | None:
        """Aware and representable in UTC, where the database compares it.

        9999-12-31T23:59:59-09:00 is a valid ISO 8601 time past datetime.max in UTC.
        """
        if value is None:
            return None
        aware = timezone.make_aware(value) if timezone.is_naive(value) else value
        try:
            return aware.astimezone(dt.UTC)
        except OverflowError:
            raise ValueError(_("This time is out of range: it must fall in the years 1 to 9999 "
                               "in UTC.")) from None  # fmt: skip


class RecordFilterIn(PageIn):
    student_number: FilterText | None = Field(None, description="Only this student's records.")


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
    hukou_region_code: str = Field(
        description="Household registration (GB/T 2260). Without students:identifiers only "
        "province and prefecture: 4113** (41**** where no prefecture is named)."
    )
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


ECHO_HELP = f"as sent, cut to {MAX_ECHO_CHARS} characters (a cut ends in …)"


class RecordError(Schema):
    index: int = Field(description="0-based position of the record in `records`.")
    field: str = Field(description=f"Field name, {ECHO_HELP}.")
    value: str = Field(description=f"The value, {ECHO_HELP}.")
    message: str


ERRORS_HELP = f"The first {MAX_REPORTED_ERRORS} errors."


class BulkOut(Schema):
    applied: bool
    created: int
    updated: int
    unchanged: int
    error_count: int = Field(description="How many errors were found in all.")
    errors_truncated: bool = Field(description="True when `errors` lists only some of them.")
    errors: list[RecordError] = Field(description=ERRORS_HELP)


class DomainErrorOut(Schema):
    code: str
    message: str


class DetailOut(Schema):
    detail: str


class ScopeMissingOut(Schema):
    detail: str
    required_scope: str


class ValidationIssue(Schema):
    type: str = Field(description="Kind of problem, e.g. missing, int_parsing, less_than_equal.")
    loc: list[str | int] = Field(description="Where: query, path or body, then the field path.")
    msg: str
    ctx: dict[str, Any] | None = Field(None, description="Details, such as the limit broken.")


class ValidationErrorOut(Schema):
    """A parameter or body of the wrong shape (pydantic's report, without the values sent)."""

    detail: list[ValidationIssue] = Field(description=ERRORS_HELP)


# Error statuses with their shapes: every operation can answer these (400 only for too many
# query parameters when it takes no body); operations add their own 2xx, 404 and 422 shapes.
ERRORS: dict[int, Any] = {
    400: DomainErrorOut,
    401: DetailOut,
    403: ScopeMissingOut,
    422: ValidationErrorOut,
}
BODY_ERRORS: dict[int, Any] = {**ERRORS, 413: DetailOut, 415: DetailOut}


MAX_BATCH_EVENTS = 50_000


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
    error_count: int = Field(description="How many errors were found in all.")
    errors_truncated: bool = Field(description="True when `errors` lists only some of them.")
    errors: list[RecordError] = Field(description=ERRORS_HELP)
