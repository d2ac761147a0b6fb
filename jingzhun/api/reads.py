"""The API's reads: scoped querysets, the JSON shape of each row, and the audit of what was seen.

Rows come from the registry's `student_queryset`, so a token sees exactly what an
institution-wide role of its institution would see.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from jingzhun.api.models import ApiToken
from jingzhun.api.schemas import RecordFilterIn, StudentFilterIn
from jingzhun.core.audit import audit_log
from jingzhun.core.masking import mask_id_number, mask_phone, mask_region_code
from jingzhun.core.models import AuditLog
from jingzhun.org.models import RoleAssignment
from jingzhun.students.intake.kinds import KindSpec
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset

IDENTIFIER_FIELDS = ["hukou_region_code", "id_number", "phone"]


def student_rows(*, actor: RoleAssignment, filters: StudentFilterIn) -> QuerySet[Student]:
    students = student_queryset(actor=actor)
    if filters.cohort is not None:
        students = students.filter(cohort=filters.cohort)
    if filters.school_code:
        students = students.filter(school__code=filters.school_code)
    if filters.class_name:
        students = students.filter(class_group__name=filters.class_name)
    if filters.updated_since is not None:
        since = filters.updated_since
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
        students = students.filter(updated_at__gte=since)
    return students.select_related("school", "major", "class_group").order_by("student_number")


def student_by_number(*, actor: RoleAssignment, student_number: str) -> Student | None:
    return (
        student_queryset(actor=actor)
        .select_related("school", "major", "class_group")
        .filter(student_number=student_number)
        .first()
    )


def student_payload(student: Student, *, reveal: bool) -> dict[str, Any]:
    return {
        "student_number": student.student_number,
        "name": student.name,
        "gender": student.gender,
        "ethnicity": student.ethnicity,
        "class_name": student.class_group.name,
        "major_code": student.major.moe_code,
        "school_code": student.school.code,
        "cohort": student.cohort,
        "entry_year": student.entry_year,
        "education_level": student.education_level,
        "status": student.status,
        "hukou_region_code": (
            student.hukou_region_code if reveal else mask_region_code(student.hukou_region_code)
        ),
        "hukou_type": student.hukou_type,
        "id_number": student.id_number if reveal else mask_id_number(student.id_number),
        "phone": student.phone if reveal else mask_phone(student.phone),
        "updated_at": student.updated_at,
    }


def record_rows(
    *, actor: RoleAssignment, spec: KindSpec, filters: RecordFilterIn
) -> QuerySet[Model]:
    records = spec.model._default_manager.filter(
        student__in=student_queryset(actor=actor)
    ).select_related("student")
    if filters.student_number:
        records = records.filter(student__student_number=filters.student_number)
    return records.order_by("student__student_number", "pk")


def record_payload(spec: KindSpec, record: Any) -> dict[str, Any]:
    values = {"student_number": record.student.student_number}
    values |= {f.name: getattr(record, f.name) for f in spec.fields if f.name != "student_number"}
    return values | {"updated_at": record.updated_at}


def page(rows: QuerySet[Any], *, limit: int, offset: int) -> tuple[int, list[Any]]:
    """Total and one page: two queries whatever the page size."""
    return rows.count(), list(rows[offset : offset + limit])


def audit_api_read(
    request: HttpRequest,
    *,
    token: ApiToken,
    actor: RoleAssignment,
    action: AuditLog.Action,
    fields: list[str],
    count: int,
    target: Model | None = None,
    kind: str = "",
) -> None:
    """One audit row per response that disclosed sensitive or unmasked data."""
    detail: dict[str, Any] = {"via": "api", "token": token.name, "count": count}
    if kind:
        detail["kind"] = kind
    audit_log(actor=token.created_by, action=action, target=target, fields=fields,
              request=request, role=actor.role, detail=detail)  # fmt: skip
