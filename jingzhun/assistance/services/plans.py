"""Plans (一人一策): drafted from the playbooks for a confirmed case, edited by the case's
responsible person, approved by the school, acknowledged by the student — in that order.

Every draft and edit writes a new `PlanVersion` whose `inputs` freeze the case as it was then.
Approval turns the approved version's items into routed actions (`services.actions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhun.assistance import notices, permissions
from jingzhun.assistance.errors import AssistanceErrorCode
from jingzhun.assistance.models import (
    AssistancePlan,
    Measure,
    PlanEvent,
    PlanItem,
    PlanVersion,
    Playbook,
)
from jingzhun.assistance.playbooks import PlaybookStep, merge
from jingzhun.assistance.services.actions import actions_sync_for_plan
from jingzhun.assistance.services.catalogue import MAX_DEADLINE, catalogue_ensure
from jingzhun.assistance.transitions import PLAN_TABLE
from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.core.status import move
from jingzhun.identification.models import Case, Level, Signal
from jingzhun.identification.services import case_assistance_start
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import DepartmentKind, Role
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset

NOTE_MAX = 1000
ITEM_NOTE_MAX = 200
# The cases a plan may be drafted for: confirmed ones, and ones already in assistance (moved
# there by hand before assistance existed) that have no plan.
DRAFTABLE = frozenset({Case.Status.CONFIRMED, Case.Status.IN_ASSISTANCE})


@dataclass(frozen=True)
class ItemInput:
    measure_id: int
    deadline_days: int
    department_kind: str = ""  # empty: the measure's own
    note: str = ""


def _record(
    plan: AssistancePlan, *, from_status: str, to_status: str, by: Any, note: str
) -> PlanEvent:
    version = plan.versions.order_by("-number").values_list("number", flat=True).first()
    return PlanEvent.objects.create(plan=plan, actor=by, from_status=from_status,
                                    to_status=to_status, note=note, version=version)  # fmt: skip


def _move(plan: AssistancePlan, target: str, *, actor: RoleAssignment, note: str = "",
          changed: tuple[str, ...] = (), request: HttpRequest | None = None) -> None:  # fmt: skip
    move(plan, target, table=PLAN_TABLE, record=_record, by=actor.user, role=actor.role,
         note=note, changed=changed, request=request)  # fmt: skip


def _in_scope(actor: RoleAssignment, student_id: int) -> None:
    if not student_queryset(actor=actor).filter(pk=student_id).exists():
        raise DomainError(AssistanceErrorCode.OUT_OF_SCOPE, _("This student is outside your data scope."))  # fmt: skip


def _owner_checked(actor: RoleAssignment, case: Case) -> None:
    """The case's responsible person edits its plan; the employment office may stand in."""
    permissions.require(permissions.can_plan(actor))
    _in_scope(actor, case.student_id)
    if case.responsible_id != actor.user_id and actor.role != Role.EMPLOYMENT_OFFICE:
        raise DomainError(AssistanceErrorCode.NOT_ALLOWED,
                          _("Only the person responsible for this case edits its plan."))  # fmt: skip


def frozen_inputs(case: Case, *, playbooks: list[Playbook] | None = None) -> dict[str, Any]:
    """The case as it is now — types, level, its latest run's signals — as plain JSON."""
    signals = list(
        Signal.objects.filter(student_id=case.student_id)
        .select_related("difficulty_type")
        .order_by("-run_id", "level", "pk")
    )
    latest = signals[0].run_id if signals else None
    inputs: dict[str, Any] = {
        "case": case.pk,
        "case_status": case.status,
        "level": case.level,
        "types": [{"code": t.code, "name": t.name, "sensitivity": t.sensitivity}
                  for t in case.types.order_by("code")],
        "signals": [{"run": s.run_id, "type": s.difficulty_type.code, "type_name": s.difficulty_type.name,
                     "level": s.level, "explanation": s.explanation, "sensitivity": s.sensitivity}
                    for s in signals if s.run_id == latest],
        "frozen_at": timezone.now().isoformat(),
    }  # fmt: skip
    if playbooks is not None:
        inputs["playbooks"] = [
            {"type": p.difficulty_type.code, "level": p.level, "version": p.version, "id": p.pk}
            for p in playbooks
        ]
    return inputs


def _playbook_lines(case: Case) -> tuple[list[Playbook], list[ItemInput]]:
    """The current playbooks of the case's types at its level, merged (pure `merge`)."""
    level = case.level or Level.GENERAL
    types = list(case.types.order_by("code"))
    playbooks = list(
        Playbook.objects.filter(institution_id=case.student.institution_id, level=level,
                                is_current=True, difficulty_type__in=types)
        .select_related("difficulty_type").prefetch_related("items__measure")
        .order_by("difficulty_type__code")
    )  # fmt: skip
    measures = {i.measure.code: i.measure for p in playbooks for i in p.items.all()}
    lines = merge([
        (p.difficulty_type.code,
         [PlaybookStep(i.measure.code, i.department_kind, i.deadline_days) for i in p.items.all()])
        for p in playbooks
    ])  # fmt: skip
    return playbooks, [
        ItemInput(measures[line.measure].pk, line.deadline_days, line.department_kind)
        for line in lines
    ]


def _write_version(
    plan: AssistancePlan, items: list[ItemInput], *, actor: RoleAssignment, inputs: dict[str, Any],
    note: str = "",
) -> PlanVersion:  # fmt: skip
    number = (plan.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = PlanVersion.objects.create(plan=plan, number=number, author=actor.user, note=note[:200],
                                         inputs=inputs)  # fmt: skip
    measures = Measure.objects.in_bulk([i.measure_id for i in items])
    PlanItem.objects.bulk_create(
        PlanItem(version=version, measure_id=i.measure_id, order=n, deadline_days=i.deadline_days,
                 department_kind=i.department_kind or measures[i.measure_id].department_kind,
                 note=i.note.strip())
        for n, i in enumerate(items)
    )  # fmt: skip
    return version


@transaction.atomic
def plan_draft(
    *, actor: RoleAssignment, case: Case, request: HttpRequest | None = None
) -> AssistancePlan:
    """Draft the plan of a confirmed case from the playbooks; the case moves to 帮扶中 through
    identification's own service (identification never imports assistance)."""
    _owner_checked(actor, case)
    if case.status not in DRAFTABLE:
        raise DomainError(AssistanceErrorCode.CASE_NOT_CONFIRMED,
                          _("A plan is drafted for a confirmed case."))  # fmt: skip
    if AssistancePlan.objects.filter(case=case).exists():
        raise DomainError(AssistanceErrorCode.PLAN_EXISTS, _("This case already has a plan."))
    catalogue_ensure(institution_id=case.student.institution_id)
    if case.status == Case.Status.CONFIRMED:
        case = case_assistance_start(
            actor=actor, case=case, note=_("Plan drafted"), request=request
        )
    playbooks, items = _playbook_lines(case)
    try:
        with transaction.atomic():
            plan = AssistancePlan.objects.create(case=case, student_id=case.student_id)
    except IntegrityError as exc:  # two drafts at once: the other came first
        raise DomainError(
            AssistanceErrorCode.PLAN_EXISTS, _("This case already has a plan.")
        ) from exc
    _write_version(plan, items, actor=actor, inputs=frozen_inputs(case, playbooks=playbooks),
                   note=_("Drafted from the playbooks"))  # fmt: skip
    PlanEvent.objects.create(plan=plan, actor=actor.user, to_status=plan.status, version=1)
    audit_log(actor=actor.user, action=AuditLog.Action.CREATE, target=plan, request=request, role=actor.role,
              detail={"case": case.pk, "items": len(items),
                      "playbooks": [p.pk for p in playbooks]})  # fmt: skip
    return plan


def _items_checked(actor: RoleAssignment, items: list[ItemInput]) -> list[ItemInput]:
    measures = set(Measure.objects.filter(institution_id=permissions.institution_of(actor), is_active=True)
                   .values_list("pk", flat=True))  # fmt: skip
    seen: set[int] = set()
    for item in items:
        if item.measure_id not in measures or item.measure_id in seen:
            raise DomainError(AssistanceErrorCode.BAD_MEASURE, _("Each measure once, from the catalogue."), field="items")  # fmt: skip
        if not 0 <= item.deadline_days <= MAX_DEADLINE:
            raise DomainError(AssistanceErrorCode.BAD_DEADLINE, _("A deadline is 0 to %(max)s days after approval.") % {"max": MAX_DEADLINE}, field="items")  # fmt: skip
        if item.department_kind and item.department_kind not in DepartmentKind.values:
            raise DomainError(AssistanceErrorCode.BAD_MEASURE, _("Choose the owning department."), field="items")  # fmt: skip
        if len(item.note) > ITEM_NOTE_MAX:
            raise DomainError(AssistanceErrorCode.BAD_MEASURE, _("Keep each item's note within %(max)s characters.") % {"max": ITEM_NOTE_MAX}, field="items")  # fmt: skip
        seen.add(item.measure_id)
    return items


def _locked(plan: AssistancePlan) -> AssistancePlan:
    return (
        AssistancePlan.objects.select_for_update().select_related("case__student").get(pk=plan.pk)
    )


@transaction.atomic
def plan_edit(
    *, actor: RoleAssignment, plan: AssistancePlan, items: list[ItemInput], note: str = "",
    request: HttpRequest | None = None,
) -> PlanVersion:  # fmt: skip
    """Save the draft's items as its next version, freezing the case's inputs of this moment."""
    plan = _locked(plan)
    _owner_checked(actor, plan.case)
    if plan.status != AssistancePlan.Status.DRAFT:
        raise DomainError(
            AssistanceErrorCode.PLAN_NOT_EDITABLE, _("Only a draft plan can be edited.")
        )
    version = _write_version(plan, _items_checked(actor, items), actor=actor,
                             inputs=frozen_inputs(plan.case), note=note.strip())  # fmt: skip
    plan.save(update_fields=["updated_at"])
    audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=plan, request=request, role=actor.role,
              fields=["items"], detail={"version": version.number, "items": len(items)})  # fmt: skip
    return version


@transaction.atomic
def plan_submit(
    *, actor: RoleAssignment, plan: AssistancePlan, request: HttpRequest | None = None
) -> AssistancePlan:
    plan = _locked(plan)
    _owner_checked(actor, plan.case)
    version = plan.current_version
    if plan.status == AssistancePlan.Status.DRAFT and (
        version is None or not version.items.exists()
    ):
        raise DomainError(
            AssistanceErrorCode.PLAN_EMPTY, _("Add at least one measure before submitting.")
        )
    _move(plan, AssistancePlan.Status.SUBMITTED, actor=actor, request=request)
    notices.plan_submitted(plan)
    return plan


def _approver_checked(actor: RoleAssignment, plan: AssistancePlan) -> None:
    """The school officer of the student's own school."""
    permissions.require(permissions.can_approve(actor))
    if plan.case.student.school_id != actor.school_id:
        raise DomainError(
            AssistanceErrorCode.OUT_OF_SCOPE, _("This student is not of your school.")
        )


@transaction.atomic
def plan_approve(
    *, actor: RoleAssignment, plan: AssistancePlan, request: HttpRequest | None = None
) -> AssistancePlan:
    """Approve the submitted version; its items become actions routed to departments."""
    plan = _locked(plan)
    _approver_checked(actor, plan)
    version = plan.current_version
    plan.approved_at = timezone.now()
    plan.approved_by = actor.user
    plan.approved_version = version
    plan.return_reason = ""
    _move(plan, AssistancePlan.Status.APPROVED, actor=actor, request=request,
          changed=("approved_at", "approved_by", "approved_version", "return_reason"))  # fmt: skip
    assert version is not None  # a submitted plan has a version (plan_submit checks)
    actions_sync_for_plan(plan=plan, version=version, by=actor.user)
    if plan.student.user is not None:
        notices.plans_approved([plan.student.user], approved_at=plan.approved_at)
    return plan


@transaction.atomic
def plan_return(
    *, actor: RoleAssignment, plan: AssistancePlan, reason: str, request: HttpRequest | None = None
) -> AssistancePlan:
    """Send a submitted plan back to its owner as a draft, with the reason."""
    plan = _locked(plan)
    _approver_checked(actor, plan)
    reason = reason.strip()
    if len(reason) > NOTE_MAX:
        raise DomainError(AssistanceErrorCode.PLAN_REASON_REQUIRED, _("Please keep the reason within %(max)s characters.") % {"max": NOTE_MAX}, field="reason")  # fmt: skip
    plan.return_reason = reason
    _move(plan, AssistancePlan.Status.DRAFT, actor=actor, note=reason, request=request,
          changed=("return_reason",))  # fmt: skip
    notices.plan_returned(plan, reason=reason)
    return plan


@transaction.atomic
def plan_revise(
    *, actor: RoleAssignment, plan: AssistancePlan, reason: str, request: HttpRequest | None = None
) -> AssistancePlan:
    """The owner reopens an approved (or acknowledged) plan as a draft to change it. Its
    actions go on meanwhile; the next approval reconciles them, and the student acknowledges
    the new plan again."""
    plan = _locked(plan)
    _owner_checked(actor, plan.case)
    reason = reason.strip()
    if len(reason) > NOTE_MAX:
        raise DomainError(AssistanceErrorCode.PLAN_REASON_REQUIRED, _("Please keep the reason within %(max)s characters.") % {"max": NOTE_MAX}, field="reason")  # fmt: skip
    if plan.status not in (AssistancePlan.Status.APPROVED, AssistancePlan.Status.ACKNOWLEDGED):
        raise DomainError(AssistanceErrorCode.PLAN_BAD_TRANSITION, _("Only an approved plan is reopened for revision."))  # fmt: skip
    plan.acknowledged_at = None
    _move(plan, AssistancePlan.Status.DRAFT, actor=actor, note=reason, request=request,
          changed=("acknowledged_at",))  # fmt: skip
    return plan


def _own_student(actor: RoleAssignment) -> Student | None:
    return Student.objects.filter(user_id=actor.user_id).first()


@transaction.atomic
def plan_acknowledge(
    *, actor: RoleAssignment, plan: AssistancePlan, request: HttpRequest | None = None
) -> AssistancePlan:
    """The student confirms they have read their approved plan (知晓确认)."""
    permissions.require(permissions.can_acknowledge(actor))
    plan = _locked(plan)
    student = _own_student(actor)
    if student is None or plan.student_id != student.pk:
        raise DomainError(AssistanceErrorCode.OUT_OF_SCOPE, _("This is not your plan."))
    plan.acknowledged_at = timezone.now()
    _move(plan, AssistancePlan.Status.ACKNOWLEDGED, actor=actor, request=request,
          changed=("acknowledged_at",))  # fmt: skip
    return plan
