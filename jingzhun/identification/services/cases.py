"""Case transitions (有进有出): confirm, dismiss, exit, manual additions and students'
self-applications — each with history."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.identification.errors import IdentificationErrorCode
from jingzhun.identification.models import Case, CaseEvent, DifficultyType, Level
from jingzhun.identification.selectors import NOT_SELF_APPLICABLE

# Re-exported (services.__init__, portal/forms.py): the query now lives in the selectors.
from jingzhun.identification.transitions import NEEDS_REASON, OPEN, can_move
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import DataScope, Role
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset


def _move(case: Case, target: str, *, actor: Any, note: str = "") -> None:
    if not can_move(case.status, target):
        raise DomainError(IdentificationErrorCode.BAD_TRANSITION, _("A %(current)s case cannot become %(target)s.") % {
            "current": case.get_status_display(), "target": Case.Status(target).label})  # fmt: skip
    if target in NEEDS_REASON and not note.strip():
        raise DomainError(IdentificationErrorCode.REASON_REQUIRED, _("A reason is required."))
    CaseEvent.objects.create(
        case=case, actor=actor, from_status=case.status, to_status=target, note=note
    )
    case.status = target
    case.save(
        update_fields=[
            "status",
            "updated_at",
            "dismiss_reason",
            "exit_reason",
            "level",
            "responsible",
        ]
    )


def _in_scope(actor: RoleAssignment, case: Case) -> None:
    if not student_queryset(actor=actor).filter(pk=case.student_id).exists():
        raise DomainError(
            IdentificationErrorCode.OUT_OF_SCOPE, _("This student is outside your data scope.")
        )


def level_checked(level: int | None) -> int:
    """`level` if it is one of the levels; a reviewer's form may send anything."""
    if level is None or level not in Level.values:
        raise DomainError(IdentificationErrorCode.BAD_LEVEL, _(
            "Choose one of the levels: %(levels)s.")
            % {"levels": "、".join(str(label) for label in Level.labels)}, field="level")  # fmt: skip
    return level


@transaction.atomic
def case_confirm(
    *, actor: RoleAssignment, case: Case, types: list[DifficultyType], level: int, responsible: Any = None,
    request: HttpRequest | None = None,
) -> Case:  # fmt: skip
    _in_scope(actor, case)
    case.level, case.responsible = level_checked(level), responsible or actor.user
    _move(case, Case.Status.CONFIRMED, actor=actor.user, note=", ".join(t.name for t in types))
    case.types.set(types)
    audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=case, request=request, role=actor.role,
              fields=["status", "types", "level", "responsible"], detail={"to": "confirmed"})  # fmt: skip
    return case


@transaction.atomic
def case_dismiss(
    *, actor: RoleAssignment, case: Case, reason: str, request: HttpRequest | None = None
) -> Case:
    _in_scope(actor, case)
    case.dismiss_reason = reason.strip()
    _move(case, Case.Status.DISMISSED, actor=actor.user, note=reason)
    audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=case, request=request, role=actor.role,
              fields=["status", "dismiss_reason"], detail={"to": "dismissed"})  # fmt: skip
    return case


@transaction.atomic
def case_exit(
    *,
    actor: RoleAssignment,
    case: Case,
    reason: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> Case:
    _in_scope(actor, case)
    if reason not in Case.ExitReason.values:
        raise DomainError(IdentificationErrorCode.REASON_REQUIRED, _("Choose an exit reason."))
    case.exit_reason = reason
    _move(
        case, Case.Status.EXITED, actor=actor.user, note=note or str(Case.ExitReason(reason).label)
    )
    audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=case, request=request, role=actor.role,
              fields=["status", "exit_reason"], detail={"to": "exited", "reason": reason})  # fmt: skip
    return case


MANUAL_NOTE_MAX = 1000


@transaction.atomic
def case_add_manual(
    *, actor: RoleAssignment, student: Student, types: list[DifficultyType], level: int, note: str,
    request: HttpRequest | None = None,
) -> Case:  # fmt: skip
    """A reviewer's own addition (a home visit, a talk) enters as a candidate, with a level
    and the reviewer's note."""
    if not student_queryset(actor=actor).filter(pk=student.pk).exists():
        raise DomainError(
            IdentificationErrorCode.OUT_OF_SCOPE, _("This student is outside your data scope.")
        )
    level_checked(level)
    note = note.strip()
    if len(note) > MANUAL_NOTE_MAX:
        raise DomainError(IdentificationErrorCode.REASON_TOO_LONG, _(
            "Please keep the reason within %(max)s characters (it has %(n)s).")
            % {"max": MANUAL_NOTE_MAX, "n": len(note)}, field="note")  # fmt: skip
    if Case.objects.filter(student=student).exclude(status__in=["exited", "dismissed"]).exists():
        raise DomainError(
            IdentificationErrorCode.ALREADY_OPEN, _("This student already has an open case.")
        )
    case = Case.objects.create(student=student, origin=Case.Origin.MANUAL, level=level)
    case.types.set(types)
    CaseEvent.objects.create(case=case, actor=actor.user, to_status="candidate", note=note)
    audit_log(actor=actor.user, action=AuditLog.Action.CREATE, target=case, request=request, role=actor.role,
              detail={"origin": Case.Origin.MANUAL.value})  # fmt: skip
    return case


SELF_APPLICATION_NOTE_MAX = 1000

# The case statuses in the words a student reads (never the console's "candidate").
STATUS_FOR_STUDENT: dict[str, Any] = {
    Case.Status.CANDIDATE: gettext_lazy("Waiting for your counsellor's review"),
    Case.Status.CONFIRMED: gettext_lazy("Accepted into the assistance programme"),
    Case.Status.IN_ASSISTANCE: gettext_lazy("Assistance under way"),
    Case.Status.EXIT_PROPOSED: gettext_lazy("Assistance about to end"),
    Case.Status.EXITED: gettext_lazy("Assistance ended"),
    Case.Status.DISMISSED: gettext_lazy("Not taken into the programme"),
}


def case_self_apply_check(*, actor: RoleAssignment) -> Student:
    """The applicant, if this actor may apply now; otherwise the reason as a DomainError.

    The portal asks before it shows the form, so a refused student is told why up front. An
    open case refuses the application, unless it is a candidate a run or a reviewer opened
    that nobody has reviewed yet and the student has not applied into: the student must not
    learn of it (a hidden-hardship flag stays quiet until a person confirms it), so the
    application joins it instead.
    """
    student = _applicant(actor)
    if student.status != Student.Status.ENROLLED:
        raise DomainError(IdentificationErrorCode.NOT_ENROLLED, _(
            "Only enrolled students can apply here; your enrolment status is %(status)s. "
            "Please contact the employment office.") % {"status": student.get_status_display()})  # fmt: skip
    open_case = Case.objects.filter(student=student, status__in=OPEN).first()
    if open_case is not None and not _joinable(open_case, actor):
        raise _already_open(open_case.status)
    return student


@transaction.atomic
def case_self_apply(
    *, actor: RoleAssignment, types: list[DifficultyType], note: str,
    request: HttpRequest | None = None,
) -> Case:  # fmt: skip
    """自主申请帮扶: a student asks for assistance for themself.

    The student is the one linked to the actor's account (a student role with the self scope),
    never one named by the request, so nobody can apply for someone else. The application
    enters the review queue as a candidate without a level: the reviewer sets it on confirming.
    If the student already has an unreviewed candidate case a run or a reviewer opened, the
    application joins that case (its types added, the reason in its history) and it stays a
    candidate: the one open case per student, and the student is not told it existed.
    """
    student = case_self_apply_check(actor=actor)
    reason = _application_checked(types, note)
    candidate = (
        Case.objects.select_for_update()
        .filter(student=student, status=Case.Status.CANDIDATE)
        .exclude(origin=Case.Origin.SELF_APPLICATION)
        .first()
    )
    if candidate is not None and _joinable(candidate, actor):
        return _join(candidate, actor=actor, types=types, reason=reason, request=request)
    try:
        with transaction.atomic():
            case = Case.objects.create(student=student, origin=Case.Origin.SELF_APPLICATION)
    except IntegrityError as exc:  # one open case per student: a second submission came first
        raise _already_open(Case.Status.CANDIDATE) from exc
    case.types.set(types)
    CaseEvent.objects.create(
        case=case, actor=actor.user, to_status=Case.Status.CANDIDATE, note=reason
    )
    # The reason stays in the case history only: it may be sensitive, the audit trail is wide.
    audit_log(actor=actor.user, action=AuditLog.Action.CREATE, target=case, request=request, role=actor.role,
              fields=["origin", "types", "note"],
              detail={"origin": Case.Origin.SELF_APPLICATION.value, "types": sorted(t.code for t in types)})  # fmt: skip
    return case


def _joinable(case: Case, actor: RoleAssignment) -> bool:
    """An unreviewed candidate a run or a reviewer opened, which this student has not yet
    applied into."""
    return (
        case.status == Case.Status.CANDIDATE
        and case.origin != Case.Origin.SELF_APPLICATION
        and not case.events.filter(actor_id=actor.user_id, to_status=Case.Status.CANDIDATE).exists()
    )


def _join(
    case: Case, *, actor: RoleAssignment, types: list[DifficultyType], reason: str,
    request: HttpRequest | None,
) -> Case:  # fmt: skip
    """The application added to an unreviewed candidate case: the student's types, their
    reason in its history; the status stays candidate and the origin the run's or reviewer's."""
    case.types.add(*types)
    CaseEvent.objects.create(
        case=case, actor=actor.user, from_status=case.status, to_status=Case.Status.CANDIDATE,
        note=reason,
    )  # fmt: skip
    case.save(update_fields=["updated_at"])
    # As a new application is audited: the reason stays in the case history only.
    audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=case, request=request, role=actor.role,
              fields=["types", "note"],
              detail={"self_application": "joined", "origin": case.origin,
                      "types": sorted(t.code for t in types)})  # fmt: skip
    return case


def _applicant(actor: RoleAssignment) -> Student:
    if actor.role != Role.STUDENT or actor.data_scope != DataScope.SELF:
        raise DomainError(
            IdentificationErrorCode.NOT_A_STUDENT,
            _("Only students can apply for assistance, and only for themselves."),
        )
    student = student_queryset(actor=actor).first()  # the self scope: the account's own record
    if student is None:
        raise DomainError(
            IdentificationErrorCode.NOT_A_STUDENT,
            _("Your account is not linked to a student record; please contact your counsellor."),
        )
    return student


def _already_open(status: str) -> DomainError:
    return DomainError(IdentificationErrorCode.ALREADY_OPEN, _(
        "You already have an assistance file (status: %(status)s), so you cannot apply again "
        "now. Your counsellor can tell you more.") % {"status": STATUS_FOR_STUDENT[status]})  # fmt: skip


def _application_checked(types: list[DifficultyType], note: str) -> str:
    """The stripped reason, once the chosen types and the reason are acceptable."""
    if not types:
        raise DomainError(
            IdentificationErrorCode.TYPE_REQUIRED,
            _("Choose at least one kind of difficulty."),
            field="types",
        )
    refused = [t for t in types if t.code in NOT_SELF_APPLICABLE]
    if refused:
        raise DomainError(IdentificationErrorCode.TYPE_NOT_ALLOWED, _(
            "These kinds of difficulty cannot be chosen in an application: %(types)s.")
            % {"types": "、".join(t.name for t in refused)}, field="types")  # fmt: skip
    reason = note.strip()
    if not reason:
        raise DomainError(
            IdentificationErrorCode.REASON_REQUIRED,
            _("Tell us in a few words why you need help."),
            field="note",
        )
    if len(reason) > SELF_APPLICATION_NOTE_MAX:
        raise DomainError(IdentificationErrorCode.REASON_TOO_LONG, _(
            "Please keep the reason within %(max)s characters (it has %(n)s).")
            % {"max": SELF_APPLICATION_NOTE_MAX, "n": len(reason)}, field="note")  # fmt: skip
    return reason
