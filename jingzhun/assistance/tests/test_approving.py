"""Approving many submitted plans at once: the same statuses, approved versions, history,
audit rows and routed actions as approving them one by one; all or none; a revised plan is
reconciled, not routed twice."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from jingzhun.assistance.models import Action, AssistancePlan, PlanEvent, PlanItem
from jingzhun.assistance.services import plans
from jingzhun.assistance.services.approving import plans_approve_many
from jingzhun.assistance.services.drafting import plans_draft_many
from jingzhun.assistance.tests.helpers import confirmed_case, department_staff, school_officer_b
from jingzhun.assistance.tests.test_set_based import waiting_cases
from jingzhun.core.models import AuditLog
from jingzhun.org.tests.factories import ClassGroupFactory
from jingzhun.students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def submitted_plans(college: Any) -> list[AssistancePlan]:
    office = college.personas["employment_officer"]
    drafted = plans_draft_many(actor=office, case_ids=[c.pk for c in waiting_cases(college)])
    submitted = []
    for plan in AssistancePlan.objects.filter(pk__in=drafted.plan_ids).order_by("pk"):
        submitted.append(plans.plan_submit(actor=office, plan=plan))
    return submitted


def snapshot() -> dict[str, Any]:
    measure_of = dict(PlanItem.objects.values_list("pk", "measure__code"))
    return {
        "plans": sorted(AssistancePlan.objects.values_list(
            "case_id", "status", "approved_by", "approved_version__number", "return_reason")),
        "events": sorted(PlanEvent.objects.filter(to_status="approved").values_list(
            "plan__case_id", "actor_id", "from_status", "version", "note")),
        "actions": sorted((a.plan.case_id, measure_of[a.item_id], a.department_id, a.assignee_id,
                           a.status, a.due_date) for a in Action.objects.select_related("plan")),
        "audit": sorted((a.object_id, a.object_repr, a.actor_id, a.actor_role, a.fields, a.detail)
                        for a in AuditLog.objects.filter(object_type="assistance.assistanceplan",
                                                         detail__to="approved")),
    }  # fmt: skip


def test_approving_many_writes_what_approving_one_by_one_writes(college):
    officer = college.personas["school_officer_a"]
    department_staff(college, username="T0024")  # routing must balance across the batch
    waiting = submitted_plans(college)
    with transaction.atomic():
        for plan in waiting:
            plans.plan_approve(actor=officer, plan=plan)
        one_by_one = snapshot()
        transaction.set_rollback(True)

    result = plans_approve_many(actor=officer, plan_ids=[p.pk for p in waiting])

    assert (result.approved, result.refusals) == (len(waiting), [])
    assert result.routed == Action.objects.count() == len(one_by_one["actions"]) > 10
    assert snapshot() == one_by_one
    assert set(AssistancePlan.objects.values_list("status", flat=True)) == {"approved"}


def test_one_refused_plan_approves_none_and_says_whose(college):
    officer = college.personas["school_officer_a"]
    waiting = submitted_plans(college)
    late: Any = StudentFactory(class_group=college.class_a, name="迟交")
    draft = plans.plan_draft(actor=college.personas["counsellor_a"],
                             case=confirmed_case(college, student=late, types=("academic",)))  # fmt: skip
    events, audit = PlanEvent.objects.count(), AuditLog.objects.count()

    result = plans_approve_many(actor=officer, plan_ids=[p.pk for p in waiting] + [draft.pk])

    assert (result.approved, result.routed) == (0, 0)
    assert [(r.plan_id, r.student) for r in result.refusals] == [(draft.pk, str(late))]
    assert result.refusals[0].message  # the transition table's own wording
    assert (PlanEvent.objects.count(), AuditLog.objects.count(), Action.objects.count()) == (
        events, audit, 0)  # fmt: skip
    assert set(AssistancePlan.objects.filter(pk__in=[p.pk for p in waiting])
               .values_list("status", flat=True)) == {"submitted"}  # fmt: skip

    other_school = plans_approve_many(actor=school_officer_b(college), plan_ids=[waiting[0].pk])
    assert other_school.approved == 0
    assert other_school.refusals[0].student == str(waiting[0].student)


def test_a_revised_plan_is_reconciled_not_routed_twice(college):
    officer, office = college.personas["school_officer_a"], college.personas["employment_officer"]
    first, *others = submitted_plans(college)
    plans_approve_many(actor=officer, plan_ids=[first.pk])
    routed = list(Action.objects.filter(plan=first).values_list("measure_id", flat=True))
    plans.plan_revise(actor=office, plan=first, reason="补充见习")
    version = first.current_version
    assert version is not None
    kept = [(i.measure_id, i.deadline_days) for i in version.items.order_by("order")][1:]
    plans.plan_edit(actor=office, plan=first, items=[plans.ItemInput(m, d) for m, d in kept])
    plans.plan_submit(actor=office, plan=AssistancePlan.objects.get(pk=first.pk))

    result = plans_approve_many(actor=officer, plan_ids=[first.pk, *(p.pk for p in others)])

    assert result.approved == 1 + len(others)
    dropped = Action.objects.get(plan=first, measure_id=routed[0])
    assert (dropped.status, dropped.outcome) == ("cancelled", "not_needed")
    assert Action.objects.filter(plan=first).count() == len(routed)  # nothing routed twice


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_the_school_officer_approves_ticked_plans_or_all_the_filter_shows(college, client):
    waiting = submitted_plans(college)
    second = ClassGroupFactory(major=college.class_a.major, name="软件2班")
    other_class: Any = StudentFactory(class_group=second, name="乙班")
    extra = plans.plan_draft(actor=college.personas["employment_officer"],
                             case=confirmed_case(college, student=other_class, types=("academic",)))  # fmt: skip
    plans.plan_submit(actor=college.personas["employment_officer"], plan=extra)
    client.force_login(college.user("school_officer_a"))
    url = reverse("assistance:approval-queue")
    page = client.get(url).content.decode()
    assert page.count('name="plans"') == len(waiting) + 1

    ticked = client.post(reverse("assistance:approval-bulk"),
                         {"plans": [waiting[0].pk, waiting[1].pk], "scope": "ticked"}, follow=True)  # fmt: skip
    n = Action.objects.count()
    assert _messages(ticked) == [f"已审批通过 2 份帮扶计划：{n} 项帮扶任务已派发到各部门。"]
    assert ticked.context["page"].paginator.count == len(waiting) - 1

    by_class = client.post(reverse("assistance:approval-bulk"),
                           {"scope": "filtered", "class_group": college.class_a.pk}, follow=True)  # fmt: skip
    assert by_class.redirect_chain[-1][0].endswith(
        f"?status=submitted&class_group={college.class_a.pk}"
    )
    assert _messages(by_class)[0].startswith(f"已审批通过 {len(waiting) - 2} 份帮扶计划")
    assert list(AssistancePlan.objects.filter(status="submitted")) == [
        extra
    ]  # the other class waits

    nothing = client.post(reverse("assistance:approval-bulk"), {"scope": "ticked"}, follow=True)
    assert _messages(nothing) == ["请先勾选要审批的帮扶计划。"]


def test_a_bulk_approval_tells_each_student_with_an_account(college):
    from jingzhun.assistance.notices import PLAN_APPROVED
    from jingzhun.notifications.models import Notification

    waiting = submitted_plans(college)
    plans_approve_many(actor=college.personas["school_officer_a"], plan_ids=[p.pk for p in waiting])

    told = set(
        Notification.objects.filter(kind=PLAN_APPROVED).values_list("recipient_id", flat=True)
    )
    with_accounts = {p.student.user_id for p in waiting if p.student.user_id is not None}
    assert told == with_accounts and college.student_a.user_id in told
