"""Registry writes: validation, placement consistency and an audit row in one transaction."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.idcard import InvalidIdNumber, is_mobile, normalise_phone, parse_id_number
from jingzhun.core.models import AuditLog
from jingzhun.org.models import ClassGroup
from jingzhun.students.models import DestinationCode, GraduateDestination, Student


class StudentErrorCode(StrEnum):
    INVALID_ID_NUMBER = "student.invalid_id_number"
    INVALID_PHONE = "student.invalid_phone"
    DUPLICATE_NUMBER = "student.duplicate_number"
    GENDER_MISMATCH = "student.gender_mismatch"
    UNKNOWN_FIELD = "student.unknown_field"


EDITABLE_FIELDS = frozenset(
    {
        "name", "gender", "ethnicity", "id_number", "phone", "email", "hukou_region_code",
        "hukou_type", "education_level", "status", "entry_year",
    }
)  # fmt: skip


def placement_of(class_group: ClassGroup) -> dict[str, Any]:
    """The denormalised placement columns, all derived from the class (ADR 0002)."""
    major = class_group.major
    return {
        "class_group": class_group,
        "major": major,
        "school": major.school,
        "institution": major.school.institution,
        "cohort": class_group.cohort,
    }


def clean_student_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Normalise and validate one student's fields; raise DomainError naming the field."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise DomainError(
            StudentErrorCode.UNKNOWN_FIELD, _("Unknown fields: %s") % ", ".join(sorted(unknown))
        )
    cleaned = dict(fields)
    if cleaned.get("id_number"):
        try:
            info = parse_id_number(cleaned["id_number"])
        except InvalidIdNumber as exc:
            raise DomainError(
                StudentErrorCode.INVALID_ID_NUMBER, str(exc), field="id_number"
            ) from exc
        cleaned["id_number"] = info.number
        gender = cleaned.get("gender")
        if gender and gender != (Student.Gender.MALE if info.is_male else Student.Gender.FEMALE):
            raise DomainError(
                StudentErrorCode.GENDER_MISMATCH,
                _("The gender does not match the ID number."),
                field="gender",
            )
    if cleaned.get("phone"):
        phone = normalise_phone(cleaned["phone"])
        if not is_mobile(phone):
            raise DomainError(
                StudentErrorCode.INVALID_PHONE,
                _("%s is not a mobile number.") % cleaned["phone"],
                field="phone",
            )
        cleaned["phone"] = phone
    return cleaned


@transaction.atomic
def student_register(
    *,
    acting_user: Any,
    class_group: ClassGroup,
    student_number: str,
    request: HttpRequest | None = None,
    **fields: Any,
) -> Student:
    cleaned = clean_student_fields(fields)
    placement = placement_of(class_group)
    if Student.objects.filter(
        institution=placement["institution"], student_number=student_number
    ).exists():
        raise DomainError(
            StudentErrorCode.DUPLICATE_NUMBER,
            _("Student number %s is already registered.") % student_number,
            field="student_number",
        )
    cleaned.setdefault("entry_year", class_group.cohort - class_group.major.duration_years)
    cleaned.setdefault("education_level", class_group.major.level)
    student = Student.objects.create(student_number=student_number, **placement, **cleaned)
    audit_log(
        actor=acting_user, action=AuditLog.Action.CREATE, target=student,
        fields=["student_number", *cleaned], request=request,
    )  # fmt: skip
    return student


@transaction.atomic
def student_update(
    *, acting_user: Any, student: Student, request: HttpRequest | None = None, **fields: Any
) -> Student:
    cleaned = clean_student_fields(fields)
    changed = [name for name, value in cleaned.items() if getattr(student, name) != value]
    if not changed:
        return student
    for name in changed:
        setattr(student, name, cleaned[name])
    student.save(update_fields=[*changed, "updated_at"])
    audit_log(
        actor=acting_user,
        action=AuditLog.Action.UPDATE,
        target=student,
        fields=changed,
        request=request,
    )
    return student


@transaction.atomic
def student_move(
    *,
    acting_user: Any,
    student: Student,
    class_group: ClassGroup,
    request: HttpRequest | None = None,
) -> Student:
    """Place a student in another class; school, major and cohort follow the class."""
    placement = placement_of(class_group)
    if placement["institution"].pk != student.institution_id:
        raise DomainError(
            "student.other_institution", _("A student cannot move to another institution.")
        )
    for name, value in placement.items():
        setattr(student, name, value)
    student.save(update_fields=[*placement, "updated_at"])
    audit_log(
        actor=acting_user, action=AuditLog.Action.UPDATE, target=student,
        fields=list(placement), request=request, detail={"class_group": class_group.name},
    )  # fmt: skip
    return student


@transaction.atomic
def graduate_destination_record(
    *,
    acting_user: Any,
    student: Student,
    code: DestinationCode,
    employer_name: str,
    city: str,
    monthly_salary: int | None,
    recorded_on: Any,
    verified: bool,
    request: HttpRequest | None = None,
) -> GraduateDestination:
    """Write the graduate's registry destination (the label identification trains on).

    Called by tracking when the employment office verifies a registration (ADR 0001): one row
    per graduate, replaced in place, audited with the fields that changed.
    """
    values = {
        "code": code, "employer_name": employer_name[:120], "city": city[:30],
        "monthly_salary": monthly_salary, "recorded_on": recorded_on, "verified": verified,
    }  # fmt: skip
    row, created = GraduateDestination.objects.get_or_create(student=student, defaults=values)
    changed = list(values) if created else [k for k, v in values.items() if getattr(row, k) != v]
    if not created and changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=[*changed, "updated_at"])
    if changed:
        audit_log(
            actor=acting_user, action=AuditLog.Action.CREATE if created else AuditLog.Action.UPDATE,
            target=row, fields=changed, request=request, detail={"code": code.pk},
        )  # fmt: skip
    return row
