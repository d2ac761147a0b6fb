"""Assistance in the demo college: plans in every state, actions in each department's queue
(some started, some closed with an outcome, some overdue and escalated), all through the
services a college's staff would use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jingzhun.assistance import permissions
from jingzhun.assistance.models import Action, AssistancePlan, DepartmentHead
from jingzhun.assistance.services import actions, catalogue, plans
from jingzhun.assistance.services.records import record_add
from jingzhun.identification.models import Case
from jingzhun.org.models import Department, Institution, RoleAssignment
from jingzhun.org.roles import DepartmentKind, Role

# What happens to the demo's first confirmed cases, in order ("waiting": no plan yet). Students
# with a login come first: their plan stays approved for them to acknowledge in the portal;
# "acknowledged" applies to the others only if they can log in.
STATES = ("approved", "acknowledged", "approved", "submitted", "returned", "draft", "approved",
          "acknowledged", "submitted", "approved", "waiting", "waiting")  # fmt: skip
RETURN_REASON = "请补充就业见习安排，并与学生当面沟通后再提交"
CLOSINGS = (
    ("done", "helped", "已完成，学生反馈有帮助"),
    ("failed", "unreachable", "三次电话、两次短信均未联系上，已告知辅导员"),
    ("cancelled", "not_needed", "学生已通过其他渠道获得同类帮助"),
)


@dataclass(frozen=True)
class DemoAssistance:
    plans: int
    actions: int
    closed: int
    escalated: int
    records: int = 0


def _planner(case: Case, office: RoleAssignment) -> RoleAssignment:
    """The responsible person's planning role (the office stands in when they have none)."""
    own = (
        RoleAssignment.objects.filter(user_id=case.responsible_id or 0, role__in=permissions.PLAN_ROLES, is_active=True)
        .select_related("user").order_by("role").first()
    )  # fmt: skip
    return own or office


def _worker(action: Action) -> RoleAssignment | None:
    return RoleAssignment.objects.filter(
        user_id=action.assignee_id or 0, department_id=action.department_id, is_active=True,
        role__in=permissions.WORKER_ROLES,
    ).first()  # fmt: skip


def seed_assistance_demo(*, institution_code: str) -> DemoAssistance | None:
    """Idempotent: does nothing when the institution already has a plan."""
    institution = Institution.objects.filter(code=institution_code).first()
    if (
        institution is None
        or AssistancePlan.objects.filter(student__institution=institution).exists()
    ):
        return None
    office = RoleAssignment.objects.filter(
        institution=institution, role=Role.EMPLOYMENT_OFFICE
    ).first()
    officers = {
        ra.school_id: ra for ra in RoleAssignment.objects.filter(institution=institution, role=Role.SCHOOL_OFFICER)
    }  # fmt: skip
    if office is None or not officers:
        return None
    catalogue.catalogue_ensure(institution_id=institution.pk)
    for department in Department.objects.filter(institution=institution):
        members = actions.department_members(department.pk)
        if members:
            DepartmentHead.objects.get_or_create(
                department=department, defaults={"user_id": members[0]}
            )
    cases = list(
        Case.objects.filter(student__institution=institution, status=Case.Status.CONFIRMED,
                            student__school_id__in=list(officers), responsible__isnull=False)
        .select_related("student")
        .order_by(F("student__user_id").desc(nulls_last=True), "level", "pk")[: len(STATES)]
    )  # fmt: skip
    with transaction.atomic():
        made = [_plan(case, state, _planner(case, office), officers[case.student.school_id])
                for case, state in zip(cases, STATES, strict=False)]  # fmt: skip
        approved = [p for p in made if p is not None and p.approved_at is not None]
        closed = _work(approved)
        records = _records(approved)
    escalated = actions.actions_escalate_overdue()
    actions.actions_remind_due()
    return DemoAssistance(
        plans=sum(1 for p in made if p is not None),
        actions=Action.objects.filter(plan__in=[p for p in made if p]).count(),
        closed=closed, escalated=escalated, records=records,
    )  # fmt: skip


def _plan(
    case: Case, state: str, planner: RoleAssignment, officer: RoleAssignment
) -> AssistancePlan | None:
    if state == "waiting":
        return None
    plan = plans.plan_draft(actor=planner, case=case)
    if state == "draft":
        return plan
    plans.plan_submit(actor=planner, plan=plan)
    if state == "submitted":
        return plan
    if state == "returned":
        return plans.plan_return(actor=officer, plan=plan, reason=RETURN_REASON)
    plan = plans.plan_approve(actor=officer, plan=plan)
    if state == "acknowledged" and case.student.user_id is not None:
        student = RoleAssignment.objects.filter(
            user_id=case.student.user_id, role=Role.STUDENT
        ).first()
        if student is not None:
            plan = plans.plan_acknowledge(actor=student, plan=plan)
    return plan


def _work(approved: list[AssistancePlan]) -> int:
    """Start some actions, close some with each outcome, let some fall overdue and some fall
    due soon."""
    closed = 0
    today = timezone.localdate()
    for n, plan in enumerate(approved):
        for i, action in enumerate(plan.actions.order_by("pk")):
            worker = _worker(action)
            if worker is None:
                continue
            if i == 0:
                actions.action_start(actor=worker, action=action)
            elif i == 1:
                status, outcome, note = CLOSINGS[n % len(CLOSINGS)]
                actions.action_close(
                    actor=worker, action=action, status=status, outcome=outcome, note=note
                )
                closed += 1
            elif i == 2 and n % 2 == 0:
                # Approved weeks ago in the story: this one is past its due date.
                Action.objects.filter(pk=action.pk).update(
                    due_date=today - dt.timedelta(days=3 + n)
                )
            elif i == 2:
                # And this one falls due soon: its worker is reminded.
                Action.objects.filter(pk=action.pk).update(due_date=today + dt.timedelta(days=2))
    return closed


# What the assignee of each department writes down: (kind, minutes, content).
RECORDS: dict[str, tuple[str, int, str]] = {
    DepartmentKind.PSYCH: ("counselling", 50, "初次咨询：来访者自述求职压力大、睡眠差，已做情绪评估，约定两周后复诊"),
    DepartmentKind.AID: ("payment", 0, "已通过学校资助系统发放困难补助 2000 元"),
    DepartmentKind.ACADEMIC: ("tutoring", 90, "辅导高等数学第三章，布置练习并约定下次时间"),
}  # fmt: skip
TALK = ("talk", 30, "谈心谈话：了解求职意向与家庭情况，建议参加简历辅导")


def _records(approved: list[AssistancePlan]) -> int:
    """A record of what was done on each worked action (counselling ones are confidential)."""
    written = 0
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    for plan in approved:
        worked = plan.actions.select_related("department", "plan__case").order_by("pk")
        for i, action in enumerate(worked):
            worker = _worker(action)
            if worker is None or (i >= 2 and action.department.kind != DepartmentKind.PSYCH):
                continue
            kind, minutes, content = RECORDS.get(action.department.kind, TALK)
            record_add(actor=worker, action=action, kind=kind, occurred_on=yesterday,
                       duration_minutes=minutes, content=content)  # fmt: skip
            written += 1
    return written
