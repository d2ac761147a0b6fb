"""Destination writes: registration (by the student or staff) with its evidence, verification
in strict order, return with a reason, bulk verification — each one transaction, audited.

The employment office's verification writes the registry row through
`students.services.graduate_destination_record` (ADR 0001) and notifies the student.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingzhun.assistance.models import AssistanceRecord
from jingzhun.assistance.services.records import ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES
from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.http import text_param
from jingzhun.core.models import AuditLog
from jingzhun.core.status import move
from jingzhun.jobs.credit_code import credit_code_problem, normalise_credit_code
from jingzhun.notifications.services import notify
from jingzhun.org.models import RoleAssignment, User
from jingzhun.students.models import DestinationCode, Student
from jingzhun.students.selectors import student_queryset
from jingzhun.students.services import graduate_destination_record
from jingzhun.tracking.contacts import ContactAttempt
from jingzhun.tracking.destinations import permissions, reference, rules
from jingzhun.tracking.destinations.errors import DestinationErrorCode
from jingzhun.tracking.destinations.models import (
    DestinationEvent,
    DestinationEvidence,
    DestinationRegistration,
)
from jingzhun.tracking.destinations.transitions import REGISTRATION_TABLE
from jingzhun.tracking.destinations.wages import city_region

S = DestinationRegistration.Status
KIND_RETURNED = "tracking.destination_returned"
KIND_VERIFIED = "tracking.destination_verified"
KINDS = {
    KIND_RETURNED: gettext_lazy("Destination returned"),
    KIND_VERIFIED: gettext_lazy("Destination verified"),
}
WAGE_MAX = 200_000
EVIDENCE_MAX_FILES = 5


@dataclass(frozen=True)
class EvidenceUpload:
    kind: str
    file: UploadedFile
    valid_until: dt.date | None = None


@dataclass(frozen=True)
class DestinationInput:
    code: str
    employer_name: str = ""
    credit_code: str = ""
    city: str = ""
    monthly_wage: int | None = None
    start_date: dt.date | None = None


def _invalid(message: str, field: str | None = None) -> DomainError:
    return DomainError(DestinationErrorCode.INVALID, message, field=field)


def _record(obj: DestinationRegistration, *, from_status: str, to_status: str, by: User | None,
            note: str) -> DestinationEvent:  # fmt: skip
    return DestinationEvent.objects.create(
        registration=obj, from_status=from_status, to_status=to_status, actor=by, note=note
    )


def _in_scope(actor: RoleAssignment, student: Student) -> bool:
    return student_queryset(actor=actor).filter(pk=student.pk).exists()


def _check_actor(actor: RoleAssignment, student: Student) -> str:
    """The registration's source for this actor, once they may register for `student`."""
    if permissions.is_student(actor):
        permissions.require(
            student.user_id == actor.user_id,
            message=_("A student registers their own destination only."),
        )
        return DestinationRegistration.Source.STUDENT
    permissions.require(permissions.can_register_for_students(actor))
    if not _in_scope(actor, student):
        raise DomainError(
            DestinationErrorCode.OUT_OF_SCOPE, _("This student is not in your scope.")
        )
    return DestinationRegistration.Source.STAFF


def contact_dates(student: Student) -> list[dt.date]:
    """Every attempt to reach the student (reached or not) and every assistance record."""
    attempts = ContactAttempt.objects.filter(student=student).values_list("attempted_on", flat=True)
    records = AssistanceRecord.objects.filter(student=student).values_list("occurred_on", flat=True)
    return [*attempts, *records]


def unknown_outcome_check(student: Student) -> None:
    """Refuse a not-placed outcome until the contact rule holds, saying what is missing."""
    graduated = rules.graduation_day(student.cohort, settings.GRADUATION_DAY)
    count = rules.count_contacts(contact_dates(student), graduated)
    missing = rules.contacts_missing(count, settings.UNKNOWN_OUTCOME_CONTACTS)
    if missing.before or missing.after:
        raise DomainError(
            DestinationErrorCode.CONTACTS_MISSING,
            _("An outcome may be recorded as not placed only after %(need_before)s contact "
              "attempts before and %(need_after)s after graduation (%(day)s). On record: "
              "%(before)s before, %(after)s after; missing: %(miss_before)s before, "
              "%(miss_after)s after.") % {
                "need_before": settings.UNKNOWN_OUTCOME_CONTACTS[0],
                "need_after": settings.UNKNOWN_OUTCOME_CONTACTS[1], "day": graduated.isoformat(),
                "before": count.before, "after": count.after,
                "miss_before": missing.before, "miss_after": missing.after,
            },
        )  # fmt: skip


def deadline_check(student: Student, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    if not rules.is_open(student.cohort, today, settings.DESTINATION_DEADLINE):
        closed = rules.deadline(student.cohort, settings.DESTINATION_DEADLINE)
        raise DomainError(
            DestinationErrorCode.DEADLINE_PASSED,
            _("Destinations of the %(cohort)s cohort closed on %(day)s: no more changes.")
            % {"cohort": student.cohort, "day": closed.isoformat()},
        )


def _evidence_checked(upload: EvidenceUpload) -> str:
    """The file's extension, once its kind, size and first bytes fit (the records' checks)."""
    if upload.kind not in reference.EVIDENCE_LABELS:
        raise _invalid(_("Choose what kind of document this is."), "evidence")
    name = upload.file.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ATTACHMENT_TYPES:
        raise _invalid(_("Attach a PDF, an image (PNG, JPG) or a Word or Excel file."), "evidence")
    if (upload.file.size or 0) > ATTACHMENT_MAX_BYTES:
        raise _invalid(_("The attachment may be at most %(mb)s MB.")
                       % {"mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)}, "evidence")  # fmt: skip
    upload.file.seek(0)
    head = upload.file.read(8)
    upload.file.seek(0)
    if not head.startswith(ATTACHMENT_TYPES[ext]):
        raise _invalid(_("The attachment's content does not match its type."), "evidence")
    return ext


def _cleaned(data: DestinationInput) -> tuple[DestinationCode, dict[str, object]]:
    code = DestinationCode.objects.filter(pk=text_param(data.code, max_length=4)).first()
    if code is None:
        raise _invalid(_("Choose a destination code."), "code")
    employer = text_param(data.employer_name, max_length=120).strip()
    if reference.needs_employer(code.pk) and not employer:
        raise _invalid(_("Give the employer or school."), "employer_name")
    credit = normalise_credit_code(data.credit_code or "")
    if credit:
        problem = credit_code_problem(credit)
        if problem:
            raise _invalid(problem, "credit_code")
    wage = data.monthly_wage
    if reference.needs_wage(code.pk) and wage is None:
        raise _invalid(_("This code needs the monthly wage."), "monthly_wage")
    if wage is not None and not 0 < wage <= WAGE_MAX:
        raise _invalid(_("The monthly wage is in yuan, more than 0."), "monthly_wage")
    city = text_param(data.city, max_length=30).strip()
    return code, {
        "employer_name": employer, "credit_code": credit, "city": city,
        "region_code": city_region(city), "monthly_wage": wage, "start_date": data.start_date,
    }  # fmt: skip


@transaction.atomic
def destination_register(
    *, actor: RoleAssignment, student: Student, data: DestinationInput,
    evidence: Sequence[EvidenceUpload] = (), request: HttpRequest | None = None,
) -> DestinationRegistration:  # fmt: skip
    """Register (or change) a destination: validated, with its evidence, the open registration
    replaced; nothing is written on a refusal."""
    source = _check_actor(actor, student)
    deadline_check(student)
    code, fields = _cleaned(data)
    if len(evidence) > EVIDENCE_MAX_FILES:
        raise _invalid(_("Attach at most %(n)s files.") % {"n": EVIDENCE_MAX_FILES}, "evidence")
    extensions = [_evidence_checked(upload) for upload in evidence]
    if not reference.evidence_satisfied(code.pk, {u.kind for u in evidence}):
        needed = "、".join(
            reference.evidence_label(k) for k in reference.required_evidence(code.pk)
        )
        raise DomainError(
            DestinationErrorCode.EVIDENCE_MISSING,
            _("Code %(code)s needs one of: %(kinds)s.") % {"code": code.pk, "kinds": needed},
            field="evidence",
        )
    if (
        code.category == reference.NOT_PLACED_CATEGORY
        and source == DestinationRegistration.Source.STAFF
    ):
        unknown_outcome_check(student)
    for open_one in DestinationRegistration.objects.select_for_update().filter(
        student=student, status__in=(S.SUBMITTED, S.SCHOOL_VERIFIED)
    ):
        move(open_one, S.WITHDRAWN, table=REGISTRATION_TABLE, record=_record, by=actor.user,
             role=actor.role, note=_("Replaced by a change"), request=request)  # fmt: skip
    registration = DestinationRegistration.objects.create(
        student=student, code=code, source=source, submitted_by=actor.user, **fields
    )
    _record(registration, from_status="", to_status=S.SUBMITTED, by=actor.user, note="")
    for upload, ext in zip(evidence, extensions, strict=True):
        item = DestinationEvidence(registration=registration, kind=upload.kind,
                                   valid_until=upload.valid_until, uploaded_by=actor.user,
                                   original_name=text_param(upload.file.name, max_length=100))  # fmt: skip
        # A generated name: the original (kept for the download) may say too much.
        item.file.save(f"{uuid.uuid4().hex}.{ext}", upload.file, save=False)
        item.save()
    audit_log(actor=actor.user, action=AuditLog.Action.CREATE, target=registration,
              request=request, role=actor.role,
              fields=["code", *[k for k, v in fields.items() if v not in ("", None)]],
              detail={"code": code.pk, "source": source, "evidence": len(evidence)})  # fmt: skip
    return registration


def step_allowed(actor: RoleAssignment, registration: DestinationRegistration) -> bool:
    """Whose step it is: the student's school officer for a submitted registration, the
    employment office of the institution once the school has verified it."""
    student = registration.student
    if registration.status == S.SUBMITTED:
        return permissions.can_verify_school(actor) and actor.school_id == student.school_id
    if registration.status == S.SCHOOL_VERIFIED:
        return (
            permissions.can_verify_office(actor)
            and actor.institution_id == student.institution_id
            and _in_scope(actor, student)
        )
    return False


def _locked(registration: DestinationRegistration) -> DestinationRegistration:
    return (
        DestinationRegistration.objects.select_for_update()
        .select_related("student", "code")
        .get(pk=registration.pk)
    )


@transaction.atomic
def destination_verify(
    *, actor: RoleAssignment, registration: DestinationRegistration,
    request: HttpRequest | None = None,
) -> DestinationRegistration:  # fmt: skip
    """The next verification step, in strict order: the school, then the employment office."""
    registration = _locked(registration)
    permissions.require(permissions.can_verify(actor))
    if registration.status not in (S.SUBMITTED, S.SCHOOL_VERIFIED):
        REGISTRATION_TABLE.check(registration.status, S.OFFICE_VERIFIED)
    permissions.require(
        step_allowed(actor, registration),
        message=_("The school's employment officer verifies first, then the employment office."),
    )
    now = timezone.now()
    if registration.status == S.SUBMITTED:
        registration.school_verified_at = now
        move(registration, S.SCHOOL_VERIFIED, table=REGISTRATION_TABLE, record=_record,
             by=actor.user, role=actor.role, changed=["school_verified_at"], request=request)  # fmt: skip
        return registration
    for old in DestinationRegistration.objects.select_for_update().filter(
        student=registration.student, status=S.OFFICE_VERIFIED
    ):
        move(old, S.SUPERSEDED, table=REGISTRATION_TABLE, record=_record, by=actor.user,
             role=actor.role, note=_("Replaced by a verified change"), request=request)  # fmt: skip
    registration.office_verified_at = now
    move(registration, S.OFFICE_VERIFIED, table=REGISTRATION_TABLE, record=_record, by=actor.user,
         role=actor.role, changed=["office_verified_at"], request=request)  # fmt: skip
    graduate_destination_record(
        acting_user=actor.user, student=registration.student, code=registration.code,
        employer_name=registration.employer_name, city=registration.city,
        monthly_salary=registration.monthly_wage, recorded_on=timezone.localdate(now),
        verified=True, request=request,
    )  # fmt: skip
    _notify(registration, KIND_VERIFIED, _("Your destination has been verified"), "")
    return registration


@transaction.atomic
def destination_return(
    *, actor: RoleAssignment, registration: DestinationRegistration, reason: str,
    request: HttpRequest | None = None,
) -> DestinationRegistration:  # fmt: skip
    """Send the registration back with a reason, at the step of whoever holds it."""
    registration = _locked(registration)
    permissions.require(permissions.can_verify(actor))
    reason = text_param(reason, max_length=500).strip()
    if registration.is_open:
        permissions.require(
            step_allowed(actor, registration),
            message=_(
                "The school's employment officer verifies first, then the employment office."
            ),
        )
    registration.return_reason = reason
    move(registration, S.RETURNED, table=REGISTRATION_TABLE, record=_record, by=actor.user,
         role=actor.role, note=reason, changed=["return_reason"], request=request)  # fmt: skip
    _notify(registration, KIND_RETURNED, _("Your destination was returned"), reason)
    return registration


def _notify(registration: DestinationRegistration, kind: str, title: str, body: str) -> None:
    user = registration.student.user
    if user is None:
        return
    notify(recipients=[user], kind=kind, title=title, body=body,
           url=reverse("portal:destination"))  # fmt: skip


@transaction.atomic
def destinations_bulk_verify(
    *, actor: RoleAssignment, registration_ids: Sequence[int], request: HttpRequest | None = None
) -> int:
    """Verify every chosen registration at the actor's step, or none: the first refusal names
    the student and rolls the whole batch back."""
    permissions.require(permissions.can_verify(actor))
    rows = list(
        # Scoped first: a refusal names the student, so only students in scope may be named.
        DestinationRegistration.objects.filter(
            pk__in=registration_ids, student__in=student_queryset(actor=actor)
        )
        .select_related("student")
        .order_by("pk")
    )
    if len(rows) != len(set(registration_ids)):
        raise DomainError(DestinationErrorCode.OUT_OF_SCOPE, _("Some of the chosen destinations are not in your scope."))  # fmt: skip
    for row in rows:
        try:
            with transaction.atomic():
                destination_verify(actor=actor, registration=row, request=request)
        except DomainError as exc:
            raise DomainError(exc.code, f"{row.student}：{exc.message}") from exc
    return len(rows)
