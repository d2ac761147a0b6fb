"""/api/students: the registry's students of the token's institution."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import P, PathEx, Query, Router
from ninja.errors import HttpError

from jingzhun.api import reads
from jingzhun.api.auth import ApiTokenAuth, actor_for, token_of
from jingzhun.api.bulk import Response, bulk_upsert
from jingzhun.api.schemas import (
    BODY_ERRORS,
    ERRORS,
    MAX_FILTER_LENGTH,
    NO_NUL_PATTERN,
    BulkIn,
    BulkOut,
    DetailOut,
    StudentFilterIn,
    StudentOut,
    StudentPage,
    ValidationErrorOut,
)
from jingzhun.api.scopes import STUDENTS_IDENTIFIERS, STUDENTS_READ, STUDENTS_WRITE
from jingzhun.core.models import AuditLog

router = Router(tags=["students"])

StudentNumber = PathEx[
    str, P(max_length=MAX_FILTER_LENGTH, pattern=NO_NUL_PATTERN, example="2024010001")
]
BULK_EXAMPLE = {
    "mode": "all_or_nothing",
    "records": [
        {"student_number": "2024010001", "name": "王小明", "class_name": "计应2401",
         "gender": "男", "id_number": "410102200503171233", "phone": "13812345678"},
    ],
}  # fmt: skip


@router.get(
    "", response={200: StudentPage, **ERRORS}, auth=ApiTokenAuth(STUDENTS_READ),
    summary="List students",
)  # fmt: skip
def student_list(request: HttpRequest, filters: Query[StudentFilterIn]) -> dict[str, Any]:
    """Scope `students:read`; full ID numbers and phones also need `students:identifiers`."""
    token = token_of(request)
    actor = actor_for(token)
    reveal = token.has_scope(STUDENTS_IDENTIFIERS)
    rows = reads.student_rows(actor=actor, filters=filters)
    total, students = reads.page(rows, limit=filters.limit, offset=filters.offset)
    if reveal and students:
        reads.audit_api_read(request, token=token, actor=actor, action=AuditLog.Action.REVEAL,
                             fields=reads.IDENTIFIER_FIELDS, count=len(students))  # fmt: skip
    return {
        "total": total,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [reads.student_payload(s, reveal=reveal) for s in students],
    }


# Registered before "/{student_number}" so that POST /students/bulk is not taken for a number.
@router.post(
    "/bulk",
    response={200: BulkOut, **BODY_ERRORS, 422: BulkOut | ValidationErrorOut},
    auth=ApiTokenAuth(STUDENTS_WRITE, json_body=True),
    summary="Create or update students",
    openapi_extra={"requestBody": {"content": {"application/json": {"example": BULK_EXAMPLE}}}},
)
def student_bulk(request: HttpRequest, body: BulkIn) -> Response:
    """Scope `students:write`. Same rules as a spreadsheet import; posting twice changes nothing."""
    return bulk_upsert(request, token=token_of(request), kind="students", body=body)


@router.get(
    "/{student_number}", response={200: StudentOut, **ERRORS, 404: DetailOut},
    auth=ApiTokenAuth(STUDENTS_READ), summary="One student",
)  # fmt: skip
def student_detail(request: HttpRequest, student_number: StudentNumber) -> dict[str, Any]:
    token = token_of(request)
    actor = actor_for(token)
    student = reads.student_by_number(actor=actor, student_number=student_number)
    if student is None:
        raise HttpError(404, _("No student with this number."))
    reveal = token.has_scope(STUDENTS_IDENTIFIERS)
    if reveal:
        reads.audit_api_read(request, token=token, actor=actor, action=AuditLog.Action.REVEAL,
                             fields=reads.IDENTIFIER_FIELDS, count=1, target=student)  # fmt: skip
    return reads.student_payload(student, reveal=reveal)
