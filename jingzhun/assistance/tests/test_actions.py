"""Actions: routed to a department and its least-loaded member, worked, closed with an
outcome (the case owner is told), reassigned all-or-nothing, escalated once when overdue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from jingzhun.assistance.errors import AssistanceErrorCode
from jingzhun.assistance.models import Action, ActionEvent, DepartmentHead, Measure
from jingzhun.assistance.notices import ACTION_CLOSED, ACTION_OVERDUE
from jingzhun.assistance.services import actions, plans
from jingzhun.assistance.tasks import escalate_overdue_actions_task
from jingzhun.assistance.tests.helpers import (
    ROUTED,
    confirmed_case,
    department_staff,
    school_officer_b,
)
from jingzhun.core.errors import DomainError
from jingzhun.notifications.models import Notification
from jingzhun.org.models import DepartmentRoute
from jingzhun.org.roles import DepartmentKind
from jingzhun.students.selectors import student_queryset

pytestmark = pytest.mark.django_db


def approved_plan(
    college, *, student=None, owner="counsellor_a", approver=None, types=("economic",)
):
    owner_actor = college.personas[owner]
    case = confirmed_case(college, student=student, types=types, responsible=owner)
    plan = plans.plan_draft(actor=owner_actor, case=case)
    plans.plan_submit(actor=owner_actor, plan=plan)
    return plans.plan_approve(actor=approver or college.personas["school_officer_a"], plan=plan)


def test_approval_routes_each_item_to_its_department_and_a_person(college):
    plan = approved_plan(college)
    today = timezone.localdate()
    rows = [(a.measure.code, a.department.kind, a.assignee_id, a.status, (a.due_date - today).days)
            for a in plan.actions.select_related("measure", "department").order_by("pk")]  # fmt: skip
    # The employment office's own officer works the measures it owns.
    aid, office = college.user("aid_staff").pk, college.user("employment_officer").pk
    assert rows == [
        ("aid", "aid", aid, "todo", 11), ("job_subsidy", "aid", aid, "todo", 23),
        ("job_push", "employment", office, "todo", 23), ("mentoring", "employment", office, "todo", 23),
    ]  # fmt: skip
    routes = DepartmentRoute.objects.filter(source="assistance.action", is_open=True)
    assert sorted((r.department.kind, r.student_id) for r in routes) == sorted(
        [("aid", college.student_a.pk), ("aid", college.student_a.pk),
         ("employment", college.student_a.pk), ("employment", college.student_a.pk)])  # fmt: skip


def test_routing_picks_the_member_with_the_lowest_open_caseload_for_the_measure(college):
    second = department_staff(college, username="T0024")
    approved_plan(college)  # student A: aid and job_subsidy to aid_staff (tie: the older account)
    plan_b = approved_plan(college, student=college.student_b, owner="employment_officer",
                           approver=school_officer_b(college))  # fmt: skip
    by_measure = {a.measure.code: a.assignee_id for a in plan_b.actions.select_related("measure")}
    assert by_measure["aid"] == second.user_id
    assert by_measure["job_subsidy"] == second.user_id


def test_no_department_of_the_kind_falls_back_to_the_employment_office(college):
    department = actions.department_for(
        institution_id=college.institution.pk, kind=DepartmentKind.STUDENT_AFFAIRS
    )
    assert department == college.departments[DepartmentKind.EMPLOYMENT]


def test_an_action_is_started_then_closed_with_an_outcome_and_the_owner_is_told(college):
    plan = approved_plan(college)
    staff = college.personas["aid_staff"]
    action = plan.actions.get(measure__code="aid")

    actions.action_start(actor=staff, action=action)
    for status, outcome, note, code in [("done", "", "已发放", AssistanceErrorCode.OUTCOME_REQUIRED),
                                        ("done", "helped", " ", AssistanceErrorCode.ACTION_REASON_REQUIRED),
                                        ("todo", "helped", "x", AssistanceErrorCode.ACTION_BAD_TRANSITION)]:  # fmt: skip
        with pytest.raises(DomainError) as refused:
            actions.action_close(
                actor=staff, action=action, status=status, outcome=outcome, note=note
            )
        assert refused.value.code == code
    assert not Notification.objects.filter(kind=ACTION_CLOSED).exists()

    actions.action_close(
        actor=staff, action=action, status="done", outcome="helped", note="已发放国家助学金 3300 元"
    )

    action.refresh_from_db()
    assert (action.status, action.outcome, action.close_note) == (
        "done",
        "helped",
        "已发放国家助学金 3300 元",
    )
    assert list(action.events.values_list("from_status", "to_status")) == [
        ("", "todo"),
        ("todo", "doing"),
        ("doing", "done"),
    ]
    assert not DepartmentRoute.objects.get(source_id=action.pk).is_open
    told = Notification.objects.get(kind=ACTION_CLOSED)
    assert (told.recipient_id, told.kind) == (college.user("counsellor_a").pk, ACTION_CLOSED)
    assert told.title == "王小明的奖助学金与困难资助已完成"
    assert told.body == "结果：已帮扶。已发放国家助学金 3300 元"
    assert told.url == f"/assistance/actions/{action.pk}/"
    with pytest.raises(DomainError) as refused:
        actions.action_start(actor=staff, action=action)
    assert refused.value.code == AssistanceErrorCode.ACTION_BAD_TRANSITION


def test_closed_is_not_helped_a_refusal_is_recorded_as_such(college):
    plan = approved_plan(college)
    action = plan.actions.get(measure__code="job_subsidy")
    actions.action_close(actor=college.personas["aid_staff"], action=action, status="failed",
                         outcome="unreachable", note="电话三次未接通")  # fmt: skip
    action.refresh_from_db()
    assert (action.status, action.outcome) == ("failed", "unreachable")
    assert "电话三次未接通" in Notification.objects.get(kind=ACTION_CLOSED).body


def test_another_department_cannot_work_the_action(college):
    action = approved_plan(college).actions.get(measure__code="aid")
    for persona in ("psych_staff", "counsellor_a", "employment_officer"):
        with pytest.raises(DomainError):
            actions.action_start(actor=college.personas[persona], action=action)
    action.refresh_from_db()
    assert action.status == "todo"


def test_bulk_reassign_is_all_or_nothing(college):
    second = department_staff(college, username="T0024")
    plan = approved_plan(college)
    aid_ids = list(plan.actions.filter(department__kind="aid").values_list("pk", flat=True))
    other = plan.actions.get(measure__code="job_push").pk  # the employment office's
    staff = college.personas["aid_staff"]

    with pytest.raises(DomainError):
        actions.actions_bulk_reassign(
            actor=staff, action_ids=[*aid_ids, other], assignee=second.user
        )
    assert set(Action.objects.filter(pk__in=aid_ids).values_list("assignee_id", flat=True)) == {
        staff.user_id
    }
    with pytest.raises(DomainError) as refused:
        actions.actions_bulk_reassign(
            actor=staff, action_ids=aid_ids, assignee=college.user("psych_staff")
        )
    assert refused.value.code == AssistanceErrorCode.BAD_ASSIGNEE

    assert actions.actions_bulk_reassign(actor=staff, action_ids=aid_ids, assignee=second.user) == 2
    assert set(Action.objects.filter(pk__in=aid_ids).values_list("assignee_id", flat=True)) == {
        second.user_id
    }


def test_overdue_actions_escalate_once_to_the_department_head(
    college, django_capture_on_commit_callbacks
):
    plan = approved_plan(college)
    head = department_staff(college, username="T0025")
    DepartmentHead.objects.create(
        department=college.departments[DepartmentKind.AID], user=head.user
    )
    late = plan.actions.get(measure__code="aid")
    Action.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))

    assert actions.actions_escalate_overdue() == 1
    assert actions.actions_escalate_overdue() == 0
    assert escalate_overdue_actions_task.call() == 0

    late.refresh_from_db()
    assert late.escalated_at is not None
    sent = Notification.objects.filter(kind=ACTION_OVERDUE)
    assert list(sent.values_list("recipient_id", flat=True)) == [head.user_id]
    due = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert sent.get().title == f"逾期：王小明的奖助学金与困难资助（截止 {due}）"
    assert sent.get().url == f"/assistance/actions/{late.pk}/"
    escalations = ActionEvent.objects.filter(action=late, from_status="todo", to_status="todo")
    assert escalations.count() == 1


def test_the_command_only_enqueues_the_check(college):
    from django_tasks_db.models import DBTaskResult

    plan = approved_plan(college)
    Action.objects.filter(plan=plan).update(due_date=dt.date(2026, 1, 1))
    call_command("escalate_overdue_actions", "--today", "2026-12-05")
    tasks = DBTaskResult.objects.order_by("enqueued_at", "pk")
    assert [(t.task_path, t.args_kwargs["args"]) for t in tasks] == [
        ("jingzhun.assistance.tasks.escalate_overdue_actions_task", ["2026-12-05"]),
        ("jingzhun.assistance.tasks.remind_due_actions_task", ["2026-12-05"]),
    ]
    assert not Action.objects.filter(escalated_at__isnull=False).exists()


def test_department_routed_staff_see_exactly_the_students_of_their_open_actions(college):
    routed = department_staff(college, username="T0026", scope=ROUTED)
    psych_routed = department_staff(college, DepartmentKind.PSYCH, username="T0027", scope=ROUTED)
    assert list(student_queryset(actor=routed)) == []

    plan = approved_plan(college, types=("economic",))

    assert list(student_queryset(actor=routed)) == [college.student_a]
    assert list(student_queryset(actor=psych_routed)) == []
    for action in plan.actions.filter(department__kind="aid"):
        actions.action_close(actor=college.personas["aid_staff"], action=action, status="cancelled",
                             outcome="not_needed", note="已由学院资助")  # fmt: skip
    assert list(student_queryset(actor=routed)) == []


def test_an_overdue_action_without_a_named_head_tells_every_member(college):
    plan = approved_plan(college)
    second = department_staff(college, username="T0024")
    Action.objects.filter(plan=plan, department__kind="aid").update(due_date=dt.date(2026, 1, 1))
    assert actions.actions_escalate_overdue() == 2
    told = Notification.objects.filter(kind=ACTION_OVERDUE).values_list("recipient_id", flat=True)
    assert sorted(told) == sorted([college.user("aid_staff").pk, second.user_id] * 2)


def test_a_closed_action_is_never_escalated(college):
    plan = approved_plan(college)
    action = plan.actions.get(measure__code="aid")
    actions.action_close(actor=college.personas["aid_staff"], action=action, status="done",
                         outcome="helped", note="已办")  # fmt: skip
    Action.objects.filter(pk=action.pk).update(due_date=dt.date(2026, 1, 1))
    assert actions.actions_escalate_overdue() == 0


def test_one_action_is_reassigned_within_its_department(college, client):
    from django.urls import reverse

    second = department_staff(college, username="T0024")
    action = approved_plan(college).actions.get(measure__code="aid")
    client.force_login(college.user("aid_staff"))
    url = reverse("assistance:action-step", args=[action.pk, "reassign"])
    moved = client.post(url, {"assignee": second.user_id}, follow=True)
    assert [str(m) for m in moved.context["messages"]] == [
        "王小明的奖助学金与困难资助已转给T0024老师。"
    ]
    action.refresh_from_db()
    assert action.assignee_id == second.user_id
    assert action.events.last().note == "转派给T0024老师"


def test_a_revised_plan_keeps_withdraws_and_adds_actions_on_its_next_approval(college):
    owner, officer = college.personas["counsellor_a"], college.personas["school_officer_a"]
    plan = approved_plan(college)  # aid, job_subsidy, job_push, mentoring
    aid = plan.actions.get(measure__code="aid")
    actions.action_close(actor=college.personas["aid_staff"], action=aid, status="done",
                         outcome="helped", note="已发放")  # fmt: skip
    plans.plan_acknowledge(actor=college.personas["student_a"], plan=plan)
    with pytest.raises(DomainError) as refused:
        plans.plan_revise(actor=owner, plan=plan, reason=" ")
    assert refused.value.code == AssistanceErrorCode.PLAN_REASON_REQUIRED
    with pytest.raises(DomainError):
        plans.plan_revise(actor=college.personas["mentor_a"], plan=plan, reason="调整")

    plans.plan_revise(actor=owner, plan=plan, reason="学生已落实实习，调整措施")
    plan.refresh_from_db()
    assert (plan.status, plan.acknowledged_at) == ("draft", None)
    assert (
        Action.objects.filter(plan=plan, status="todo").count() == 3
    )  # the work goes on meanwhile
    codes = {m.code: m.pk for m in Measure.objects.all()}
    plans.plan_edit(actor=owner, plan=plan, items=[
        plans.ItemInput(codes["aid"], 11), plans.ItemInput(codes["job_push"], 23),
        plans.ItemInput(codes["traineeship"], 30)])  # fmt: skip
    plans.plan_submit(actor=owner, plan=plan)
    with pytest.raises(DomainError):
        plans.plan_acknowledge(actor=college.personas["student_a"], plan=plan)
    plans.plan_approve(actor=officer, plan=plan)

    rows = sorted(
        (a.measure.code, a.status, a.outcome) for a in plan.actions.select_related("measure")
    )
    assert rows == [("aid", "done", "helped"), ("job_push", "todo", ""),
                    ("job_subsidy", "cancelled", "not_needed"), ("mentoring", "cancelled", "not_needed"),
                    ("traineeship", "todo", "")]  # fmt: skip
    withdrawn = plan.actions.get(measure__code="job_subsidy")
    assert withdrawn.close_note == "已于第 2 版从计划中移除"
    assert not DepartmentRoute.objects.get(source_id=withdrawn.pk).is_open
    plans.plan_acknowledge(actor=college.personas["student_a"], plan=plan)


@pytest.mark.parametrize(
    ("status", "outcome"),
    [("done", "unreachable"), ("done", "declined"), ("done", "not_needed"),
     ("failed", "helped"), ("failed", "not_needed"), ("cancelled", "helped")],
)  # fmt: skip
def test_a_closing_and_its_outcome_must_agree(college, status, outcome):
    """A "done" with "could not reach the student" would count as on time in one KPI and as not
    helped in another: the outcome must fit the way the action closed."""
    plan = approved_plan(college)
    action = plan.actions.get(measure__code="job_subsidy")
    with pytest.raises(DomainError) as refused:
        actions.action_close(actor=college.personas["aid_staff"], action=action, status=status,
                             outcome=outcome, note="说明")  # fmt: skip
    assert refused.value.code == AssistanceErrorCode.OUTCOME_REQUIRED
    assert refused.value.field == "outcome"
    action.refresh_from_db()
    assert (action.status, action.outcome) == ("todo", "")
    assert not Notification.objects.filter(kind=ACTION_CLOSED).exists()


def test_the_refusal_of_a_mismatched_outcome_names_the_outcomes_that_fit(college):
    plan = approved_plan(college)
    action = plan.actions.get(measure__code="job_subsidy")
    with pytest.raises(DomainError) as refused:
        actions.action_close(actor=college.personas["aid_staff"], action=action, status="failed",
                             outcome="helped", note="说明")  # fmt: skip
    message = refused.value.message
    assert "无法完成" in message and "学生拒绝、联系不上学生" in message and "已帮扶" not in message


def test_reassigning_to_the_person_who_has_it_writes_nothing_and_is_not_counted(college):
    """A bulk reassign that includes actions already with the new person says how many
    changed hands, and their history gains no "reassigned to" line."""
    from jingzhun.core.models import AuditLog

    second = department_staff(college, username="T0024")
    plan = approved_plan(college)
    first, other = plan.actions.filter(department__kind="aid").order_by("pk")
    staff = college.personas["aid_staff"]
    actions.action_reassign(actor=staff, action=first, assignee=second.user)
    events, audits = ActionEvent.objects.count(), AuditLog.objects.count()

    moved = actions.actions_bulk_reassign(
        actor=staff, action_ids=[first.pk, other.pk], assignee=second.user
    )

    assert moved == 1
    assert ActionEvent.objects.count() == events + 1
    assert AuditLog.objects.count() == audits + 1
    assert (
        ActionEvent.objects.filter(action=first, from_status="todo", to_status="todo").count() == 1
    )


def test_assignees_are_reminded_once_a_day_of_what_falls_due_within_three_days(college):
    import datetime as dt

    from jingzhun.assistance.notices import ACTIONS_DUE

    aid = college.user("aid_staff")
    plan = approved_plan(college)
    today = dt.date(2026, 12, 7)
    mine = list(Action.objects.filter(assignee=aid).order_by("pk"))
    assert len(mine) >= 1
    due = {mine[0].pk: today + dt.timedelta(days=2)}
    Action.objects.filter(pk=mine[0].pk).update(due_date=due[mine[0].pk])
    Action.objects.filter(plan=plan).exclude(pk=mine[0].pk).update(
        due_date=today + dt.timedelta(days=20)
    )

    assert actions.actions_remind_due(today=today) == 1
    assert actions.actions_remind_due(today=today) == 1  # told again: nothing new written
    told = Notification.objects.get(kind=ACTIONS_DUE)
    assert told.recipient == aid
    assert told.title == "1 项帮扶任务将在 3 天内到期"
    assert "2026-12-09" in told.body and told.url.endswith(f"?due=week&assignee={aid.pk}")

    Action.objects.filter(pk=mine[0].pk).update(status="done")  # closed: no reminder
    assert actions.actions_remind_due(today=today + dt.timedelta(days=1)) == 0
    assert Notification.objects.filter(kind=ACTIONS_DUE).count() == 1
