"""Case transitions (有进有出): confirm, dismiss, exit, manual additions — each with history."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.identification.errors import IdentificationErrorCode
from jingzhun.identification.models import Case, CaseEvent, DifficultyType
from jingzhun.identification.transitions import NEEDS_REASON, can_move
from jingzhun.org.models import RoleAssignment
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


@transaction.atomic
def case_confirm(
    *, actor: RoleAssignment, case: Case, types: list[DifficultyType], level: int, responsible: Any = None,
    request: HttpRequest | None = None,
) -> Case:  # fmt: skip
    _in_scope(actor, case)
    case.level, case.responsible = level, responsible or actor.user
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


@transaction.atomic
def case_add_manual(
    *, actor: RoleAssignment, student: Student, types: list[DifficultyType], level: int, note: str,
    origin: str = Case.Origin.MANUAL, request: HttpRequest | None = None,
) -> Case:  # fmt: skip
    """A counsellor's own addition (or a student's self-application) enters as a candidate."""
    if not student_queryset(actor=actor).filter(pk=student.pk).exists():
        raise DomainError(
            IdentificationErrorCode.OUT_OF_SCOPE, _("This student is outside your data scope.")
        )
    if Case.objects.filter(student=student).exclude(status__in=["exited", "dismissed"]).exists():
        raise DomainError(
            IdentificationErrorCode.ALREADY_OPEN, _("This student already has an open case.")
        )
    case = Case.objects.create(student=student, origin=origin, level=level)
    case.types.set(types)
    CaseEvent.objects.create(case=case, actor=actor.user, to_status="candidate", note=note)
    audit_log(actor=actor.user, action=AuditLog.Action.CREATE, target=case, request=request, role=actor.role,
              detail={"origin": origin})  # fmt: skip
    return case
