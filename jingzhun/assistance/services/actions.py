"""Actions (帮扶任务): routed to a department and a person, started, closed with an outcome,
reassigned, and escalated when overdue.

Routing: the measure's department kind → the institution's department of that kind (else the
employment office) → the member with the fewest open actions of that measure (ties: the
earliest account). Each action opens a `DepartmentRoute`, so staff with the department-routed
scope see exactly the students their actions concern; closing it closes the route.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhun.assistance import notices, permissions
from jingzhun.assistance.errors import AssistanceErrorCode
from jingzhun.assistance.models import Action, ActionEvent, AssistancePlan, PlanVersion
from jingzhun.assistance.transitions import (
    ACTION_CLOSED,
    ACTION_OPEN,
    ACTION_OUTCOMES,
    ACTION_TABLE,
)
from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.core.status import move
from jingzhun.org.models import Department, RoleAssignment, User
from jingzhun.org.roles import DepartmentKind
from jingzhun.org.services import department_route_close, department_route_open

ROUTE_SOURCE = "assistance.action"
NOTE_MAX = 1000


def _record(action: Action, *, from_status: str, to_status: str, by: Any, note: str) -> ActionEvent:
    return ActionEvent.objects.create(action=action, actor=by, from_status=from_status,
                                      to_status=to_status, note=note)  # fmt: skip


def department_for(*, institution_id: int, kind: str) -> Department:
    """The institution's department of `kind`; the employment office when it has none."""
    departments = {
        d.kind: d
        for d in Department.objects.filter(institution_id=institution_id).order_by("-code")
    }
    department = departments.get(kind) or departments.get(DepartmentKind.EMPLOYMENT)
    if department is None:
        raise DomainError(AssistanceErrorCode.NO_DEPARTMENT, _(
            "The college has no department for %(kind)s and no employment office to take it.")
            % {"kind": DepartmentKind(kind).label if kind in DepartmentKind.values else kind})  # fmt: skip
    return department


def department_members(department_id: int) -> list[int]:
    """User ids of the department's active staff, oldest account first."""
    return list(
        RoleAssignment.objects.filter(department_id=department_id, role__in=permissions.WORKER_ROLES, is_active=True)
        .order_by("user_id").values_list("user_id", flat=True).distinct()
    )  # fmt: skip


def open_caseload(*, user_ids: Iterable[int], measure_id: int) -> Counter[int]:
    rows = (
        Action.objects.filter(assignee_id__in=list(user_ids), measure_id=measure_id, status__in=ACTION_OPEN)
        .values("assignee_id").annotate(n=Count("pk"))
    )  # fmt: skip
    return Counter({row["assignee_id"]: row["n"] for row in rows})


def lowest_caseload(members: list[int], load: Counter[int]) -> int | None:
    """The member with the fewest open actions; ties go to the first listed."""
    return min(members, key=lambda user_id: (load[user_id], members.index(user_id)), default=None)


def lock_departments(department_ids: Iterable[int]) -> None:
    """Hold the departments' rows until the transaction ends, in id order (no deadlock), so
    two approvals at once do not both read the same caseloads and pick the same person. On
    PostgreSQL a row lock; SQLite serializes writing transactions anyway."""
    list(
        Department.objects.select_for_update().filter(pk__in=sorted(set(department_ids)))
        .order_by("pk").values_list("pk", flat=True)
    )  # fmt: skip


def actions_create_for_plan(
    *, plan: AssistancePlan, version: PlanVersion, by: User, skip: set[int] | None = None
) -> list[Action]:
    """One routed action per item of the approved version, but for the measures in `skip`."""
    institution_id = plan.student.institution_id
    today = timezone.localdate()
    created = []
    loads: dict[tuple[int, int], Counter[int]] = {}
    items = [i for i in version.items.select_related("measure").order_by("order", "pk")
             if not (skip and i.measure_id in skip)]  # fmt: skip
    departments = {
        kind: department_for(institution_id=institution_id, kind=kind)
        for kind in {i.department_kind for i in items}
    }
    lock_departments(d.pk for d in departments.values())
    for item in items:
        department = departments[item.department_kind]
        members = department_members(department.pk)
        key = (department.pk, item.measure_id)
        if key not in loads:
            loads[key] = open_caseload(user_ids=members, measure_id=item.measure_id)
        assignee = lowest_caseload(members, loads[key])
        if assignee is not None:
            loads[key][assignee] += 1
        action = Action.objects.create(
            plan=plan, item=item, student_id=plan.student_id, measure_id=item.measure_id,
            department=department, assignee_id=assignee,
            due_date=today + dt.timedelta(days=item.deadline_days),
        )  # fmt: skip
        ActionEvent.objects.create(action=action, actor=by, to_status=action.status,
                                   note=item.measure.name)  # fmt: skip
        department_route_open(department_id=department.pk, student_id=plan.student_id,
                              source=ROUTE_SOURCE, source_id=action.pk)  # fmt: skip
        created.append(action)
    return created


def actions_sync_for_plan(*, plan: AssistancePlan, version: PlanVersion, by: User) -> list[Action]:
    """Route the newly approved version (called inside plan_approve).

    The first approval routes every item. After a revision, a measure already routed under
    this plan keeps its action (open or closed: it is not routed again), a measure no longer
    in the plan has its open action withdrawn (cancelled, not needed), and a new measure is
    routed. Returns the actions created."""
    routed = {a.measure_id: a for a in plan.actions.order_by("pk")}
    kept = {item.measure_id for item in version.items.all()}
    for measure_id, action in routed.items():
        if measure_id not in kept and action.status in ACTION_OPEN:
            _withdraw(action, version=version, by=by)
    return actions_create_for_plan(plan=plan, version=version, by=by, skip=set(routed))


def _withdraw(action: Action, *, version: PlanVersion, by: User) -> None:
    note = _("Removed from the plan in version %(n)s") % {"n": version.number}
    action.outcome = Action.Outcome.NOT_NEEDED
    action.close_note = note
    action.closed_at = timezone.now()
    move(action, Action.Status.CANCELLED, table=ACTION_TABLE, record=_record, by=by, note=note,
         changed=("outcome", "close_note", "closed_at"), audit_detail={"withdrawn": version.number})  # fmt: skip
    department_route_close(source=ROUTE_SOURCE, source_id=action.pk)


def actions_withdraw_for_case(*, case_id: int, by: User | None) -> int:
    """The case was closed (exited or dismissed): its open actions are withdrawn — cancelled
    as not needed, with the reason — and their routes closed. Identification calls this
    through the hook registered in `AssistanceConfig.ready()`, inside its transaction."""
    note = _("Case closed")
    actions = list(
        Action.objects.select_for_update()
        .filter(plan__case_id=case_id, status__in=ACTION_OPEN).order_by("pk")
    )  # fmt: skip
    for action in actions:
        action.outcome = Action.Outcome.NOT_NEEDED
        action.close_note = note
        action.closed_at = timezone.now()
        move(action, Action.Status.CANCELLED, table=ACTION_TABLE, record=_record, by=by, note=note,
             changed=("outcome", "close_note", "closed_at"), audit_detail={"case_closed": case_id})  # fmt: skip
        department_route_close(source=ROUTE_SOURCE, source_id=action.pk)
    return len(actions)


def _worker_checked(actor: RoleAssignment, action: Action) -> None:
    permissions.require(permissions.can_work_actions(actor))
    if action.department_id != actor.department_id:
        raise DomainError(AssistanceErrorCode.OUT_OF_SCOPE, _("This action is routed to another department."))  # fmt: skip


def _locked(action: Action) -> Action:
    return Action.objects.select_for_update().get(pk=action.pk)


@transaction.atomic
def action_start(
    *, actor: RoleAssignment, action: Action, request: HttpRequest | None = None
) -> Action:
    action = _locked(action)
    _worker_checked(actor, action)
    move(action, Action.Status.DOING, table=ACTION_TABLE, record=_record, by=actor.user,
         role=actor.role, request=request)  # fmt: skip
    return action


@transaction.atomic
def action_close(
    *, actor: RoleAssignment, action: Action, status: str, outcome: str, note: str,
    request: HttpRequest | None = None,
) -> Action:  # fmt: skip
    """Close with an outcome and a note: done, could not be done, or cancelled. "Closed" is
    not "helped" — the outcome is what assessment counts. The case owner is told, with the
    reason."""
    action = _locked(action)
    _worker_checked(actor, action)
    if status not in ACTION_CLOSED:
        raise DomainError(AssistanceErrorCode.ACTION_BAD_TRANSITION, _("Choose how the action ends."), field="status")  # fmt: skip
    if outcome not in Action.Outcome.values:
        raise DomainError(
            AssistanceErrorCode.OUTCOME_REQUIRED, _("Choose the outcome."), field="outcome"
        )
    if outcome not in ACTION_OUTCOMES[status]:
        raise DomainError(AssistanceErrorCode.OUTCOME_REQUIRED, _(
            "An action closed as %(status)s has one of these outcomes: %(outcomes)s.") % {
                "status": ACTION_TABLE.label(status),
                "outcomes": "、".join(str(Action.Outcome(o).label) for o in ACTION_OUTCOMES[status])},
            field="outcome")  # fmt: skip
    note = note.strip()
    if not note:
        raise DomainError(AssistanceErrorCode.ACTION_REASON_REQUIRED, _("Write what was done or why not."), field="note")  # fmt: skip
    if len(note) > NOTE_MAX:
        raise DomainError(AssistanceErrorCode.ACTION_REASON_REQUIRED, _("Please keep the note within %(max)s characters.") % {"max": NOTE_MAX}, field="note")  # fmt: skip
    action.outcome = outcome
    action.close_note = note
    action.closed_at = timezone.now()
    move(action, status, table=ACTION_TABLE, record=_record, by=actor.user, role=actor.role, note=note,
         changed=("outcome", "close_note", "closed_at"), request=request,
         audit_detail={"outcome": outcome})  # fmt: skip
    department_route_close(source=ROUTE_SOURCE, source_id=action.pk)
    notices.action_closed(action)
    return action


def _assignee_checked(action: Action, assignee: User) -> None:
    if assignee.pk not in department_members(action.department_id):
        raise DomainError(AssistanceErrorCode.BAD_ASSIGNEE, _(
            "%(person)s is not staff of %(department)s.") % {"person": assignee, "department": action.department})  # fmt: skip


def _reassign(
    actor: RoleAssignment, action: Action, assignee: User, request: HttpRequest | None
) -> bool:
    """Give the action to `assignee`; False when it was already theirs (nothing written)."""
    _worker_checked(actor, action)
    if action.status not in ACTION_OPEN:
        raise DomainError(AssistanceErrorCode.ACTION_BAD_TRANSITION, _("Only an open action can be reassigned."))  # fmt: skip
    _assignee_checked(action, assignee)
    before = action.assignee_id
    if before == assignee.pk:
        return False
    action.assignee = assignee
    action.save(update_fields=["assignee", "updated_at"])
    ActionEvent.objects.create(action=action, actor=actor.user, from_status=action.status, to_status=action.status,
                               note=_("Reassigned to %(person)s") % {"person": assignee})  # fmt: skip
    audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=action, request=request, role=actor.role,
              fields=["assignee"], detail={"from": before, "to": assignee.pk})  # fmt: skip
    return True


@transaction.atomic
def action_reassign(
    *, actor: RoleAssignment, action: Action, assignee: User, request: HttpRequest | None = None
) -> Action:
    action = _locked(action)
    _reassign(actor, action, assignee, request)
    return action


@transaction.atomic
def actions_bulk_reassign(
    *,
    actor: RoleAssignment,
    action_ids: list[int],
    assignee: User,
    request: HttpRequest | None = None,
) -> int:
    """Reassign every listed action, or none: the first refusal undoes the whole batch.
    Returns how many changed hands (those already with `assignee` stay as they are)."""
    permissions.require(permissions.can_work_actions(actor))
    actions = list(
        Action.objects.select_for_update().filter(pk__in=action_ids).select_related("department")
    )
    if len(actions) != len(set(action_ids)):
        raise DomainError(
            AssistanceErrorCode.OUT_OF_SCOPE, _("Some of these actions no longer exist.")
        )
    return sum(_reassign(actor, action, assignee, request) for action in actions)


def department_heads(department_id: int) -> list[User]:
    """Who an overdue action escalates to: the department's head, else all its staff."""
    from jingzhun.assistance.models import DepartmentHead

    head = DepartmentHead.objects.filter(department_id=department_id).select_related("user").first()
    if head is not None:
        return [head.user]
    return list(User.objects.filter(pk__in=department_members(department_id)).order_by("pk"))


REMIND_DAYS = 3
REMIND_LISTED = 5


def actions_remind_due(*, today: dt.date | None = None, days: int = REMIND_DAYS) -> int:
    """Tell each person with open actions falling due within `days` days (today included)
    how many and the first few: one notice a person a day, not one per action, and a second
    run the same day adds nothing (the notice's dedupe key). Returns the people told."""
    today = today or timezone.localdate()
    due = (
        Action.objects.filter(status__in=ACTION_OPEN, assignee__isnull=False,
                              due_date__gte=today, due_date__lte=today + dt.timedelta(days=days))
        .select_related("measure", "department", "student", "assignee")
        .order_by("assignee_id", "due_date", "pk")
    )  # fmt: skip
    people: dict[int, tuple[User, int, list[Action]]] = {}
    for action in due.iterator(chunk_size=2000):
        assert action.assignee is not None
        key = action.assignee.pk
        person, count, first = people.get(key, (action.assignee, 0, []))
        if len(first) < REMIND_LISTED:
            first.append(action)
        people[key] = (person, count + 1, first)
    for person, count, first in people.values():
        notices.actions_due(person, count=count, first=first, today=today, days=days)
    return len(people)


def actions_escalate_overdue(*, today: dt.date | None = None) -> int:
    """Mark open actions past their due date escalated and tell the department head, once.

    Each action is claimed by a conditional update (escalated_at still empty), so two runs
    at once escalate it once; the notice's dedupe key makes a retried notice a no-op too."""
    today = today or timezone.localdate()
    candidates = list(
        Action.objects.filter(status__in=ACTION_OPEN, due_date__lt=today, escalated_at__isnull=True)
        .values_list("pk", flat=True)
    )  # fmt: skip
    escalated = 0
    for pk in candidates:
        with transaction.atomic():
            claimed = Action.objects.filter(pk=pk, escalated_at__isnull=True, status__in=ACTION_OPEN).update(
                escalated_at=timezone.now()
            )  # fmt: skip
            if claimed != 1:
                continue
            action = Action.objects.select_related("measure", "department", "student").get(pk=pk)
            ActionEvent.objects.create(action=action, from_status=action.status, to_status=action.status,
                                       note=_("Overdue: escalated to the department head"))  # fmt: skip
            notices.action_overdue(action, recipients=department_heads(action.department_id))
            escalated += 1
    return escalated
