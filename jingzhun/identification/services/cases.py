"""Case transitions (有进有出): confirm, dismiss, exit, manual additions and students'
self-applications — each with history."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingzhun.core.audit import AuditEntry, audit_log, audit_log_many
from jingzhun.core.bulk import insert_columns
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.core.status import move
from jingzhun.identification import permissions
from jingzhun.identification.errors import IdentificationErrorCode
from jingzhun.identification.hooks import case_closed
from jingzhun.identification.models import Case, CaseEvent, DifficultyType, Level
from jingzhun.identification.notices import self_application_notify
from jingzhun.identification.selectors import NOT_SELF_APPLICABLE, responsible_options

# Re-exported (services.__init__, portal/forms.py): the query now lives in the selectors.
from jingzhun.identification.transitions import CASE_TABLE, NEEDS_REASON, OPEN, can_move
from jingzhun.org.models import RoleAssignment, User
from jingzhun.org.roles import DataScope, Role
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset

__all__ = ["NEEDS_REASON", "can_move"]


def _record(case: Case, *, from_status: str, to_status: str, by: Any, note: str) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, actor=by, from_status=from_status, to_status=to_status, note=note
    )


def case_status_move(
    case: Case, target: str, *, actor: RoleAssignment | None, note: str = "",
    changed: tuple[str, ...] = (), request: HttpRequest | None = None,
    audit_fields: list[str] | None = None, audit_detail: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    """The case's move through the core status helper. `actor` None is the system (a run
    proposing an exit): its history event is the record, nothing is audited."""
    move(
        case, target, table=CASE_TABLE, record=_record, by=actor.user if actor else None,
        role=actor.role if actor else "", note=note, changed=changed, request=request,
        audit=actor is not None, audit_fields=audit_fields, audit_detail=audit_detail,
    )  # fmt: skip


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


def responsible_checked(case: Case, responsible: User | None, *, actor: RoleAssignment) -> User:
    """The person made responsible for `case`: `responsible` if they are staff who cover the
    student (class counsellor, school officer, employment office, assigned mentor); by default
    the class counsellor, else the school's employment officer, and only when the school has
    neither the deciding reviewer."""
    options = responsible_options(students=[case.student])[case.student_id]
    if responsible is None:
        default = next((o for o in options if o.is_counsellor), None) or next(
            (o for o in options if o.role == Role.SCHOOL_OFFICER), None
        )
        return default.user if default is not None else actor.user
    if not any(o.user.pk == responsible.pk for o in options):
        raise DomainError(IdentificationErrorCode.BAD_RESPONSIBLE, _(
            "%(person)s does not look after this student and cannot be made responsible.")
            % {"person": responsible}, field="responsible")  # fmt: skip
    return responsible


@transaction.atomic
def case_confirm(
    *, actor: RoleAssignment, case: Case, types: list[DifficultyType], level: int,
    responsible: User | None = None, request: HttpRequest | None = None,
) -> Case:  # fmt: skip
    """确认帮扶对象: the reviewer sets the difficulty types, the level and the responsible
    person (the class counsellor unless another covering staff member is chosen)."""
    permissions.require(permissions.can_review(actor))
    _in_scope(actor, case)
    if not types:
        raise DomainError(IdentificationErrorCode.TYPE_REQUIRED,
                          _("Choose at least one kind of difficulty."), field="types")  # fmt: skip
    case.level = level_checked(level)
    case.responsible = responsible_checked(case, responsible, actor=actor)
    codes = sorted(t.code for t in types)
    case_status_move(
        case, Case.Status.CONFIRMED, actor=actor, note=", ".join(t.name for t in types),
        changed=("level", "responsible"), request=request,
        audit_fields=["status", "types", "level", "responsible"],
        audit_detail={"types": codes, "level": case.level, "responsible": case.responsible.pk},
    )  # fmt: skip
    case.types.set(types)
    return case


DISMISS_REASON_MAX = 1000


@transaction.atomic
def case_dismiss(
    *, actor: RoleAssignment, case: Case, reason: str, request: HttpRequest | None = None
) -> Case:
    permissions.require(permissions.can_review(actor))
    _in_scope(actor, case)
    reason = reason.strip()
    if len(reason) > DISMISS_REASON_MAX:
        raise DomainError(IdentificationErrorCode.REASON_TOO_LONG, _(
            "Please keep the reason within %(max)s characters (it has %(n)s).")
            % {"max": DISMISS_REASON_MAX, "n": len(reason)}, field="reason")  # fmt: skip
    case.dismiss_reason = reason
    case_status_move(case, Case.Status.DISMISSED, actor=actor, note=reason,
                     changed=("dismiss_reason",), request=request)  # fmt: skip
    case_closed(case_id=case.pk, by=actor.user)
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
    permissions.require(permissions.can_exit(actor))
    _in_scope(actor, case)
    if reason not in Case.ExitReason.values:
        raise DomainError(IdentificationErrorCode.REASON_REQUIRED, _("Choose an exit reason."))
    case.exit_reason = reason
    case_status_move(
        case, Case.Status.EXITED, actor=actor, note=note or str(Case.ExitReason(reason).label),
        changed=("exit_reason",), request=request, audit_detail={"reason": reason},
    )  # fmt: skip
    case_closed(case_id=case.pk, by=actor.user)
    return case


@transaction.atomic
def case_assistance_start(
    *, actor: RoleAssignment, case: Case, note: str = "", request: HttpRequest | None = None
) -> Case:
    """Confirmed (or exit proposed) → in assistance. The seam the assistance stage pulls
    through when it starts a plan: identification never imports that stage."""
    permissions.require(permissions.can_start_assistance(actor))
    _in_scope(actor, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    case_status_move(case, Case.Status.IN_ASSISTANCE, actor=actor, note=note, request=request)
    return case


@transaction.atomic
def cases_assistance_start(
    *, actor: RoleAssignment, case_ids: Iterable[int], note: str = "",
    request: HttpRequest | None = None,
) -> int:  # fmt: skip
    """`case_assistance_start` for many cases at once (a bulk plan draft): the same checks,
    history events and audit rows, written set-based — every case moves, or none. The
    caller passes a chunk of ids (the database caps the parameters of one statement)."""
    permissions.require(permissions.can_start_assistance(actor))
    ids = sorted(set(case_ids))
    if not ids:
        return 0
    rows = list(
        Case.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")
        .values_list("pk", "status", "student_id", "student__name", "student__student_number")
    )  # fmt: skip
    if len(rows) != len(ids):
        raise DomainError(IdentificationErrorCode.BAD_TRANSITION,
                          _("Some of these cases no longer exist."))  # fmt: skip
    students = {row[2] for row in rows}
    low, high = min(students), max(students)
    visible = (
        student_queryset(actor=actor).filter(pk__gte=low, pk__lte=high).values_list("pk", flat=True)
    )
    if not students <= set(visible):
        raise DomainError(
            IdentificationErrorCode.OUT_OF_SCOPE, _("This student is outside your data scope.")
        )
    target = Case.Status.IN_ASSISTANCE
    for _pk, status, *_student in rows:
        CASE_TABLE.check(status, target, note)
    Case.objects.filter(pk__in=ids).update(status=target, updated_at=timezone.now())
    insert_columns(CaseEvent, {"case_id": ids, "from_status": [row[1] for row in rows]},
                   constants={"actor_id": actor.user_id, "to_status": target, "note": note})  # fmt: skip
    label = Case.Status(target).label
    audit_log_many(
        actor=actor.user, action=AuditLog.Action.UPDATE, fields=["status"], request=request,
        role=actor.role,
        entries=(AuditEntry(Case._meta.label_lower, pk, f"{name}（{number}） · {label}", {"to": target})
                 for pk, _status, _student, name, number in rows),
    )  # fmt: skip
    return len(rows)


@transaction.atomic
def case_assign(
    *, actor: RoleAssignment, case: Case, responsible: User | None,
    request: HttpRequest | None = None,
) -> Case:  # fmt: skip
    """Name the responsible person of an open case (default: the class counsellor)."""
    permissions.require(permissions.can_review(actor))
    _in_scope(actor, case)
    if case.status not in OPEN:
        raise DomainError(IdentificationErrorCode.BAD_TRANSITION,
                          _("Only an open case can be assigned."))  # fmt: skip
    case.responsible = responsible_checked(case, responsible, actor=actor)
    case.save(update_fields=["responsible", "updated_at"])
    audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=case, request=request,
              role=actor.role, fields=["responsible"],
              detail={"responsible": case.responsible.pk})  # fmt: skip
    return case


MANUAL_NOTE_MAX = 1000


@transaction.atomic
def case_add_manual(
    *, actor: RoleAssignment, student: Student, types: list[DifficultyType], level: int, note: str,
    request: HttpRequest | None = None,
) -> Case:  # fmt: skip
    """A reviewer's own addition (a home visit, a talk) enters as a candidate, with a level
    and the reviewer's note."""
    permissions.require(permissions.can_review(actor))
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
        case = _join(candidate, actor=actor, types=types, reason=reason, request=request)
        self_application_notify(case)
        return case
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
    self_application_notify(case)
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
