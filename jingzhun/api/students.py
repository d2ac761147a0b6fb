"""/api/students: the registry's students of the token's institution."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from jingzhun.api import reads
from jingzhun.api.auth import actor_for, require_scope, token_of
from jingzhun.api.bulk import Response, bulk_upsert
from jingzhun.api.schemas import (
    BulkIn,
    BulkOut,
    DetailOut,
    DomainErrorOut,
    StudentFilterIn,
    StudentOut,
    StudentPage,
)
from jingzhun.api.scopes import STUDENTS_IDENTIFIERS, STUDENTS_READ, STUDENTS_WRITE
from jingzhun.core.models import AuditLog

router = Router(tags=["students"])


@router.get("", response=StudentPage, summary="List students")
def student_list(request: HttpRequest, filters: Query[StudentFilterIn]) -> dict[str, Any]:
    """Scope `students:read`; full ID numbers and phones also need `students:identifiers`."""
    token = token_of(request)
    require_scope(token, STUDENTS_READ)
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
    response={200: BulkOut, 400: DomainErrorOut, 413: DetailOut, 422: BulkOut},
    summary="Create or update students",
)
def student_bulk(request: HttpRequest, body: BulkIn) -> Response:
    """Scope `students:write`. Same rules as a spreadsheet import; posting twice changes nothing."""
    token = token_of(request)
    require_scope(token, STUDENTS_WRITE)
    return bulk_upsert(request, token=token, kind="students", body=body)


@router.get("/{student_number}", response={200: StudentOut, 404: DetailOut}, summary="One student")
def student_detail(request: HttpRequest, student_number: str) -> dict[str, Any]:
    token = token_of(request)
    require_scope(token, STUDENTS_READ)
    actor = actor_for(token)
    student = reads.student_by_number(actor=actor, student_number=student_number)
    if student is None:
        raise HttpError(404, _("No student with this number."))
    reveal = token.has_scope(STUDENTS_IDENTIFIERS)
    if reveal:
        reads.audit_api_read(request, token=token, actor=actor, action=AuditLog.Action.REVEAL,
                             fields=reads.IDENTIFIER_FIELDS, count=1, target=student)  # fmt: skip
    return reads.student_payload(student, reveal=reveal)
