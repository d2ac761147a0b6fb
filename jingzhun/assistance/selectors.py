"""Scoped reads of assistance: cases waiting for a plan, plans, the approval queue, the
department work queue and its workload. Every student row starts at `student_queryset`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from jingzhun.assistance import permissions
from jingzhun.assistance.models import (
    Action,
    ActionLoad,
    AssistancePlan,
    Measure,
    PlanItem,
    PlanVersion,
)
from jingzhun.assistance.services.actions import department_members
from jingzhun.identification.models import Case
from jingzhun.org.models import Department, RoleAssignment, User
from jingzhun.org.roles import Role
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset


def _own_cases(actor: RoleAssignment) -> Q:
    """The employment office plans for anyone in scope; others for the cases they own."""
    return Q() if actor.role == Role.EMPLOYMENT_OFFICE else Q(responsible_id=actor.user_id)


@dataclass(frozen=True)
class WaitingFilters:
    class_group: int | None = None
    level: int | None = None
    q: str = ""  # the start of a student number


def cases_without_plan(
    *, actor: RoleAssignment, filters: WaitingFilters | None = None
) -> QuerySet[Case]:
    """Confirmed cases (or in assistance without a plan) the actor may plan for, no plan yet."""
    if not permissions.can_plan(actor):
        return Case.objects.none()
    qs = Case.objects.filter(student__in=student_queryset(actor=actor), assistance_plan__isnull=True,
                             status__in=[Case.Status.CONFIRMED, Case.Status.IN_ASSISTANCE]).filter(_own_cases(actor))  # fmt: skip
    filters = filters or WaitingFilters()
    if filters.class_group:
        qs = qs.filter(student__class_group_id=filters.class_group)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.q:
        qs = qs.filter(student__student_number__startswith=filters.q)
    return (
        qs.select_related("student__school", "student__class_group", "responsible")
        .prefetch_related("types").order_by("level", "student__student_number")
    )  # fmt: skip


def own_plans(*, actor: RoleAssignment) -> QuerySet[AssistancePlan]:
    if not permissions.can_plan(actor):
        return AssistancePlan.objects.none()
    return (
        AssistancePlan.objects.filter(student__in=student_queryset(actor=actor))
        .filter(**({} if actor.role == Role.EMPLOYMENT_OFFICE else {"case__responsible_id": actor.user_id}))
        .select_related("student__school", "student__class_group", "case")
        .order_by("status", "-updated_at")
    )  # fmt: skip


# A plan still without approval this many days after it was drafted needs its owner's
# attention (the workbench and alerts read `stalled_plans`).
STALL_DAYS = 14


def stalled_plans(*, actor: RoleAssignment, days: int = STALL_DAYS) -> QuerySet[AssistancePlan]:
    """The actor's own plans drafted at least `days` ago that have no approved version."""
    since = timezone.now() - dt.timedelta(days=days)
    return own_plans(actor=actor).filter(
        approved_at__isnull=True, created_at__lte=since,
        status__in=[AssistancePlan.Status.DRAFT, AssistancePlan.Status.SUBMITTED],
    )  # fmt: skip


def plan_get(*, actor: RoleAssignment | None, pk: int) -> AssistancePlan:
    """A plan of a student in the actor's scope; out of scope is indistinguishable from absent."""
    items = PlanItem.objects.select_related("measure").order_by("order", "pk")
    try:
        return (
            AssistancePlan.objects.filter(student__in=student_queryset(actor=actor))
            .select_related("student__school", "student__class_group", "case__responsible",
                            "approved_by", "approved_version")
            .prefetch_related(Prefetch("versions", queryset=PlanVersion.objects.select_related("author")
                                       .prefetch_related(Prefetch("items", queryset=items))))
            .get(pk=pk)
        )  # fmt: skip
    except AssistancePlan.DoesNotExist as exc:
        raise Http404 from exc


def plan_of_student(*, actor: RoleAssignment, student: Student) -> AssistancePlan | None:
    """The student's newest plan, if the actor sees the student."""
    if not student_queryset(actor=actor).filter(pk=student.pk).exists():
        return None
    return AssistancePlan.objects.filter(student=student).order_by("-created_at").first()


@dataclass(frozen=True)
class ApprovalFilters:
    status: str = AssistancePlan.Status.SUBMITTED
    class_group: int | None = None
    q: str = ""  # the start of a student number


def approval_queue(*, actor: RoleAssignment, filters: ApprovalFilters) -> QuerySet[AssistancePlan]:
    """The plans of the officer's own school, by default those waiting for approval."""
    if not permissions.can_approve(actor):
        return AssistancePlan.objects.none()
    qs = AssistancePlan.objects.filter(
        student__in=student_queryset(actor=actor), student__school_id=actor.school_id
    )
    if filters.status in AssistancePlan.Status.values:
        qs = qs.filter(status=filters.status)
    if filters.class_group:
        qs = qs.filter(student__class_group_id=filters.class_group)
    if filters.q:
        qs = qs.filter(student__student_number__startswith=filters.q)
    return qs.select_related("student__class_group", "case__responsible").order_by(
        "updated_at", "pk"
    )


OPEN_ACTIONS, ALL_ACTIONS = "", "all"
DUE_CHOICES = ("overdue", "week")


@dataclass(frozen=True)
class QueueFilters:
    measure: int | None = None
    status: str = OPEN_ACTIONS  # one Action.Status, OPEN_ACTIONS or ALL_ACTIONS
    due: str = ""  # "overdue", "week" (due within 7 days) or any
    school: int | None = None
    assignee: int | None = None
    department: int | None = None  # the employment office looks at one department


def queue_departments(*, actor: RoleAssignment) -> QuerySet[Department]:
    """The departments whose queue the actor reads: their own, or all for the office."""
    if actor.role in permissions.OVERSIGHT_ROLES and actor.institution_id is not None:
        return Department.objects.filter(institution_id=actor.institution_id)
    if permissions.can_work_actions(actor):
        return Department.objects.filter(pk=actor.department_id or 0)
    return Department.objects.none()


def _queue_department_ids(actor: RoleAssignment, filters: QueueFilters) -> list[int]:
    """The departments the queue reads, as ids: one id lets the database walk the queue
    index (department, open, due date) in order instead of sorting every open action."""
    ids = list(queue_departments(actor=actor).values_list("pk", flat=True))
    if filters.department:
        return [filters.department] if filters.department in ids else []
    return ids


def action_queue(*, actor: RoleAssignment, filters: QueueFilters) -> QuerySet[Action]:
    departments = _queue_department_ids(actor, filters)
    qs = Action.objects.filter(
        **({"department_id": departments[0]} if len(departments) == 1 else {"department_id__in": departments})
    )  # fmt: skip
    if filters.status == OPEN_ACTIONS:
        qs = qs.filter(queued=1)
    elif filters.status in Action.Status.values:
        qs = qs.filter(status=filters.status)
    if filters.measure:
        qs = qs.filter(measure_id=filters.measure)
    today = timezone.localdate()
    if filters.due == "overdue":
        qs = qs.filter(due_date__lt=today, queued=1)
    elif filters.due == "week":
        qs = qs.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=7))
    if filters.school:
        qs = qs.filter(student__school_id=filters.school)
    if filters.assignee:
        qs = qs.filter(assignee_id=filters.assignee)
    return qs.select_related(
        "student__school", "student__class_group", "measure", "assignee", "department"
    ).order_by("due_date", "pk")


def queue_count(*, actor: RoleAssignment, filters: QueueFilters) -> int | None:
    """The queue's total from the open-action counts (`ActionLoad`) when the filters allow
    it — open actions, by department, person and due date — else None (count the rows)."""
    if filters.status != OPEN_ACTIONS or filters.measure or filters.school:
        return None
    loads = ActionLoad.objects.filter(department_id__in=_queue_department_ids(actor, filters))
    if filters.assignee:
        loads = loads.filter(assignee_key=filters.assignee)
    today = timezone.localdate()
    if filters.due == "overdue":
        loads = loads.filter(due_date__lt=today)
    elif filters.due == "week":
        loads = loads.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=7))
    return loads.aggregate(n=Sum("open_actions"))["n"] or 0


@dataclass(frozen=True)
class Workload:
    user: User
    open: int
    overdue: int


def workload(*, department_id: int) -> list[Workload]:
    """Open and overdue actions per member of the department (members with none included)."""
    today = timezone.localdate()
    rows: dict[int, Any] = {
        row["assignee_key"]: row
        for row in ActionLoad.objects.filter(department_id=department_id)
        .values("assignee_key")
        .annotate(n=Sum("open_actions"), late=Sum("open_actions", filter=Q(due_date__lt=today)))
        .order_by()
    }
    users = User.objects.filter(pk__in=department_members(department_id)).order_by("pk")
    return [
        Workload(u, rows.get(u.pk, {}).get("n") or 0, rows.get(u.pk, {}).get("late") or 0)
        for u in users
    ]


def department_staff(*, department_ids: list[int]) -> dict[int, list[User]]:
    """The active staff of each department (who may work its actions or head it)."""
    rows = (
        RoleAssignment.objects.filter(department_id__in=department_ids, role__in=permissions.WORKER_ROLES,
                                      is_active=True)
        .select_related("user").order_by("user_id")
    )  # fmt: skip
    staff: dict[int, list[User]] = {}
    for row in rows:
        members = staff.setdefault(row.department_id or 0, [])
        if all(u.pk != row.user_id for u in members):
            members.append(row.user)
    return staff


def action_get(*, actor: RoleAssignment | None, pk: int) -> Action:
    """Department staff open their department's actions; planners and the office open the
    actions of students in their scope (the case owner sees how the loop closed)."""
    qs = Action.objects.select_related(
        "student__school", "student__class_group", "measure", "assignee", "department",
        "plan__case__responsible",
    ).prefetch_related("events__actor")  # fmt: skip
    if actor is None:
        raise Http404
    if permissions.department_only(actor):
        qs = qs.filter(department_id=actor.department_id or 0)
    elif permissions.can_plan(actor) or actor.role in permissions.OVERSIGHT_ROLES:
        qs = qs.filter(student__in=student_queryset(actor=actor))
    else:
        raise Http404
    try:
        return qs.get(pk=pk)
    except Action.DoesNotExist as exc:
        raise Http404 from exc


def measures_of(*, institution_id: int) -> QuerySet[Measure]:
    return Measure.objects.filter(institution_id=institution_id).order_by("order", "code")


def own_plan_waiting(*, actor: RoleAssignment) -> int:
    """1 when the student's approved plan waits for them to acknowledge it, else 0 (one
    query: the portal's home counts it on every visit)."""
    if not permissions.can_acknowledge(actor):
        return 0
    newest = (
        AssistancePlan.objects.filter(student__user_id=actor.user_id,
                                      status__in=[AssistancePlan.Status.APPROVED, AssistancePlan.Status.ACKNOWLEDGED])
        .order_by("-created_at").values_list("status", flat=True).first()
    )  # fmt: skip
    return int(newest == AssistancePlan.Status.APPROVED)


def own_plan(*, actor: RoleAssignment) -> AssistancePlan | None:
    """The student's own newest plan, once it has been approved (a draft is staff work)."""
    if not permissions.can_acknowledge(actor):
        return None
    items = PlanItem.objects.select_related("measure").order_by("order", "pk")
    return (
        AssistancePlan.objects.filter(student__user_id=actor.user_id,
                                      status__in=[AssistancePlan.Status.APPROVED, AssistancePlan.Status.ACKNOWLEDGED])
        .select_related("approved_version", "case__responsible")
        .prefetch_related(Prefetch("approved_version__items", queryset=items),
                          Prefetch("actions", queryset=Action.objects.select_related("measure", "department")))
        .order_by("-created_at").first()
    )  # fmt: skip
