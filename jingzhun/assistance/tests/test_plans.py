"""Plans (一人一策): drafted from the playbooks, versioned with frozen inputs, approved in
strict order by the right people."""

from __future__ import annotations

import pytest

from jingzhun.assistance.errors import AssistanceErrorCode
from jingzhun.assistance.models import Action, AssistancePlan, Measure, PlanEvent, Playbook
from jingzhun.assistance.selectors import cases_without_plan
from jingzhun.assistance.services import catalogue, plans
from jingzhun.assistance.tests.helpers import confirmed_case, school_officer_b
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.identification.models import Case, CaseEvent, Signal
from jingzhun.identification.services import difficulty_types_ensure

pytestmark = pytest.mark.django_db

# economic + psychological at level 2: deadlines × 0.75, rounded up; the shared 一对一帮扶
# takes the psychological playbook's 16 days and its department.
DRAFTED = [("psych_counselling", 6, "psych"), ("aid", 11, "aid"), ("mentoring", 16, "employment"),
           ("job_subsidy", 23, "aid"), ("job_push", 23, "employment"), ("career_guidance", 34, "employment")]  # fmt: skip


def _lines(version):
    return [
        (i.measure.code, i.deadline_days, i.department_kind)
        for i in version.items.order_by("order")
    ]


def test_a_confirmed_case_is_listed_then_drafted_from_the_merged_playbooks(college):
    case = confirmed_case(college)
    owner = college.personas["counsellor_a"]
    assert list(cases_without_plan(actor=owner)) == [case]

    plan = plans.plan_draft(actor=owner, case=case)

    case.refresh_from_db()
    assert case.status == Case.Status.IN_ASSISTANCE
    assert (
        CaseEvent.objects.filter(case=case, to_status="in_assistance", actor=owner.user).count()
        == 1
    )
    assert plan.status == AssistancePlan.Status.DRAFT
    version = plan.versions.get()
    assert version.number == 1
    assert _lines(version) == DRAFTED
    assert list(cases_without_plan(actor=owner)) == []
    assert (
        AuditLog.objects.filter(object_type="assistance.assistanceplan", action="create").count()
        == 1
    )


def test_only_the_responsible_person_drafts_and_only_once(college):
    case = confirmed_case(college)
    with pytest.raises(DomainError) as refused:
        plans.plan_draft(actor=college.personas["mentor_a"], case=case)
    assert refused.value.code == AssistanceErrorCode.NOT_ALLOWED
    with pytest.raises(DomainError) as refused:
        plans.plan_draft(actor=college.personas["aid_staff"], case=case)
    assert refused.value.code == AssistanceErrorCode.NOT_ALLOWED
    case.refresh_from_db()
    assert case.status == Case.Status.CONFIRMED and not AssistancePlan.objects.exists()
    plans.plan_draft(actor=college.personas["counsellor_a"], case=case)
    with pytest.raises(DomainError) as refused:
        plans.plan_draft(actor=college.personas["counsellor_a"], case=case)
    assert refused.value.code == AssistanceErrorCode.PLAN_EXISTS


def test_a_candidate_case_gets_no_plan(college):
    case = confirmed_case(college)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CANDIDATE)
    case.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        plans.plan_draft(actor=college.personas["counsellor_a"], case=case)
    assert refused.value.code == AssistanceErrorCode.CASE_NOT_CONFIRMED


def test_each_edit_is_a_version_that_freezes_its_inputs(college):
    case = confirmed_case(college)
    owner = college.personas["counsellor_a"]
    plan = plans.plan_draft(actor=owner, case=case)
    first = plan.versions.get()
    frozen = dict(first.inputs)
    assert frozen["level"] == 2
    assert [t["code"] for t in frozen["types"]] == ["economic", "psychological"]
    assert [(s["type"], s["explanation"]) for s in frozen["signals"]] == [
        ("economic", "家庭经济困难（低保）")
    ]

    # Later the registry and the case change: level 1, academic difficulty, a new explanation.
    Case.objects.filter(pk=case.pk).update(level=1)
    case.types.set([difficulty_types_ensure()["academic"]])
    Signal.objects.update(explanation="已不再困难")
    aid = Measure.objects.get(code="aid")
    second = plans.plan_edit(actor=owner, plan=plan, items=[plans.ItemInput(aid.pk, 5, note="先办助学金")],
                             note="只保留资助")  # fmt: skip

    first.refresh_from_db()
    assert first.inputs == frozen
    assert _lines(first) == DRAFTED
    assert second.number == 2 and second.note == "只保留资助"
    assert _lines(second) == [("aid", 5, "aid")]
    assert second.inputs["level"] == 1
    assert [t["code"] for t in second.inputs["types"]] == ["academic"]
    assert [s["explanation"] for s in second.inputs["signals"]] == ["已不再困难"]


def test_a_playbook_change_is_a_new_version_and_plans_keep_theirs(college):
    office = college.personas["employment_officer"]
    case = confirmed_case(college, types=("economic",))
    plan = plans.plan_draft(actor=college.personas["counsellor_a"], case=case)
    economic = difficulty_types_ensure()["economic"]
    v1 = Playbook.objects.get(difficulty_type=economic, level=2, is_current=True)
    tutoring = Measure.objects.get(code="tutoring")

    v2 = catalogue.playbook_save(actor=office, difficulty_type=economic, level=2,
                                 steps=[catalogue.StepInput(tutoring.pk, 9)])  # fmt: skip

    assert (v2.version, v2.is_current) == (2, True)
    v1.refresh_from_db()
    assert v1.is_current is False and v1.items.count() == 4
    assert plan.versions.get().inputs["playbooks"] == [
        {"type": "economic", "level": 2, "version": 1, "id": v1.pk}
    ]
    assert _lines(plan.versions.get())[0] == ("aid", 11, "aid")
    with pytest.raises(DomainError):
        catalogue.playbook_save(actor=college.personas["counsellor_a"], difficulty_type=economic,
                                level=2, steps=[])  # fmt: skip


def test_approval_happens_in_strict_order(college):
    owner, officer = college.personas["counsellor_a"], college.personas["school_officer_a"]
    student = college.personas["student_a"]
    plan = plans.plan_draft(actor=owner, case=confirmed_case(college))

    def refused(call, **kwargs):
        events = PlanEvent.objects.count()
        with pytest.raises(DomainError) as error:
            call(plan=plan, **kwargs)
        assert error.value.code == AssistanceErrorCode.PLAN_BAD_TRANSITION
        assert PlanEvent.objects.count() == events  # nothing written on a refusal

    refused(plans.plan_approve, actor=officer)
    refused(plans.plan_acknowledge, actor=student)
    plans.plan_submit(actor=owner, plan=plan)
    refused(plans.plan_submit, actor=owner)
    refused(plans.plan_acknowledge, actor=student)
    assert Action.objects.count() == 0
    plans.plan_approve(actor=officer, plan=plan)
    refused(plans.plan_approve, actor=officer)
    plans.plan_acknowledge(actor=student, plan=plan)
    plan.refresh_from_db()
    assert plan.status == AssistancePlan.Status.ACKNOWLEDGED
    assert plan.acknowledged_at is not None
    assert list(plan.events.values_list("from_status", "to_status", "actor")) == [
        ("", "draft", owner.user_id), ("draft", "submitted", owner.user_id),
        ("submitted", "approved", officer.user_id), ("approved", "acknowledged", student.user_id),
    ]  # fmt: skip


def test_a_return_needs_a_reason_and_goes_back_to_draft(college):
    owner, officer = college.personas["counsellor_a"], college.personas["school_officer_a"]
    plan = plans.plan_draft(actor=owner, case=confirmed_case(college))
    plans.plan_submit(actor=owner, plan=plan)
    with pytest.raises(DomainError) as refused:
        plans.plan_return(actor=officer, plan=plan, reason="  ")
    assert refused.value.code == AssistanceErrorCode.PLAN_REASON_REQUIRED

    plans.plan_return(actor=officer, plan=plan, reason="缺少就业见习安排")

    plan.refresh_from_db()
    assert (plan.status, plan.return_reason) == ("draft", "缺少就业见习安排")
    assert plan.events.get(from_status="submitted").note == "缺少就业见习安排"
    plans.plan_edit(
        actor=owner,
        plan=plan,
        items=[plans.ItemInput(Measure.objects.get(code="traineeship").pk, 30)],
    )
    plans.plan_submit(actor=owner, plan=plan)
    plans.plan_approve(actor=officer, plan=plan)
    plan.refresh_from_db()
    assert plan.approved_version is not None
    assert (plan.return_reason, plan.approved_version.number) == ("", 2)
    assert [a.measure.code for a in plan.actions.all()] == ["traineeship"]


def test_only_the_students_school_approves_and_only_the_student_acknowledges(college):
    owner = college.personas["counsellor_a"]
    plan = plans.plan_draft(actor=owner, case=confirmed_case(college))
    plans.plan_submit(actor=owner, plan=plan)
    for actor, code in [(school_officer_b(college), AssistanceErrorCode.OUT_OF_SCOPE),
                        (owner, AssistanceErrorCode.NOT_ALLOWED),
                        (college.personas["employment_officer"], AssistanceErrorCode.NOT_ALLOWED)]:  # fmt: skip
        with pytest.raises(DomainError) as refused:
            plans.plan_approve(actor=actor, plan=plan)
        assert refused.value.code == code
    plans.plan_approve(actor=college.personas["school_officer_a"], plan=plan)
    with pytest.raises(DomainError) as refused:
        plans.plan_acknowledge(actor=college.personas["counsellor_a"], plan=plan)
    assert refused.value.code == AssistanceErrorCode.NOT_ALLOWED


def test_an_empty_draft_cannot_be_submitted(college):
    owner = college.personas["counsellor_a"]
    plan = plans.plan_draft(actor=owner, case=confirmed_case(college))
    plans.plan_edit(actor=owner, plan=plan, items=[])
    with pytest.raises(DomainError) as refused:
        plans.plan_submit(actor=owner, plan=plan)
    assert refused.value.code == AssistanceErrorCode.PLAN_EMPTY


def test_edits_refuse_unknown_measures_twice_listed_and_bad_deadlines(college):
    owner = college.personas["counsellor_a"]
    plan = plans.plan_draft(actor=owner, case=confirmed_case(college))
    aid = Measure.objects.get(code="aid").pk
    for items in ([plans.ItemInput(aid, 5), plans.ItemInput(aid, 6)], [plans.ItemInput(999999, 5)],
                  [plans.ItemInput(aid, -1)], [plans.ItemInput(aid, 400)], [plans.ItemInput(aid, 5, "nowhere")]):  # fmt: skip
        with pytest.raises(DomainError):
            plans.plan_edit(actor=owner, plan=plan, items=items)
    assert plan.versions.count() == 1


def test_a_plan_without_approval_after_the_stall_days_is_flagged_for_its_owner(college, client):
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone

    from jingzhun.assistance.selectors import STALL_DAYS, stalled_plans

    owner = college.personas["counsellor_a"]
    plan = plans.plan_draft(actor=owner, case=confirmed_case(college))
    assert list(stalled_plans(actor=owner)) == []
    AssistancePlan.objects.filter(pk=plan.pk).update(
        created_at=timezone.now() - dt.timedelta(days=STALL_DAYS, minutes=1)
    )
    assert list(stalled_plans(actor=owner)) == [plan]
    assert list(stalled_plans(actor=college.personas["mentor_a"])) == []  # not theirs
    client.force_login(owner.user)
    listing = client.get(reverse("assistance:plan-list")).content.decode()
    assert f'data-testid="stalled-{plan.pk}"' in listing
    plans.plan_submit(actor=owner, plan=plan)
    plans.plan_approve(actor=college.personas["school_officer_a"], plan=plan)
    assert list(stalled_plans(actor=owner)) == []


def test_each_approval_step_tells_the_person_who_acts_next(college):
    from jingzhun.assistance.notices import PLAN_APPROVED, PLAN_RETURNED, PLAN_SUBMITTED
    from jingzhun.notifications.models import Notification

    owner, officer = college.personas["counsellor_a"], college.personas["school_officer_a"]
    plan = plans.plan_draft(actor=owner, case=confirmed_case(college))
    plans.plan_submit(actor=owner, plan=plan)
    submitted = Notification.objects.get(kind=PLAN_SUBMITTED)
    assert (submitted.recipient, submitted.title) == (officer.user, "王小明的帮扶计划待审批")
    assert submitted.url == f"/assistance/plans/{plan.pk}/"

    plans.plan_return(actor=officer, plan=plan, reason="缺少心理咨询安排")
    returned = Notification.objects.get(kind=PLAN_RETURNED)
    assert (returned.recipient, returned.body) == (owner.user, "退回原因：缺少心理咨询安排")

    plans.plan_submit(actor=owner, plan=plan)  # a new submission is told again
    assert Notification.objects.filter(kind=PLAN_SUBMITTED).count() == 2
    plans.plan_approve(actor=officer, plan=plan)
    approved = Notification.objects.get(kind=PLAN_APPROVED)
    assert (approved.recipient, approved.url) == (college.student_a.user, "/portal/plan/")
