"""Assistance's to-dos for the workbench: each count agrees with the page it opens."""

from __future__ import annotations

import datetime as dt

import pytest

from jingzhun.assistance.models import Action
from jingzhun.assistance.services import plans
from jingzhun.assistance.tests.helpers import confirmed_case
from jingzhun.assistance.workbench import todos_for

pytestmark = pytest.mark.django_db


def _todos(college, persona):
    return [(t.label, t.value, t.url) for t in todos_for(college.personas[persona])]


def test_each_role_is_asked_for_its_own_step(college):
    owner = college.personas["counsellor_a"]
    waiting = confirmed_case(college, signal=False)
    assert _todos(college, "counsellor_a") == [
        ("待制定计划的帮扶对象", 1, "/assistance/plans/"),
        ("超过 14 天未审批的计划", 0, "/assistance/plans/"),
    ]
    plan = plans.plan_draft(actor=owner, case=waiting)
    plans.plan_submit(actor=owner, plan=plan)
    assert ("待审批的帮扶计划", 1, "/assistance/approvals/") in _todos(college, "school_officer_a")
    plans.plan_approve(actor=college.personas["school_officer_a"], plan=plan)
    Action.objects.filter(measure__code="aid").update(due_date=dt.date(2026, 1, 1))
    assert _todos(college, "aid_staff")[:2] == [
        ("本部门未办结任务", 2, "/assistance/queue/"),
        ("逾期任务", 1, "/assistance/queue/?due=overdue"),
    ]
    assert _todos(college, "student_a") == [] and _todos(college, "assessor") == []


def test_subsidy_approvers_are_asked_for_their_step_and_finance_for_payments(college):
    from jingzhun.assistance.tests.helpers import subsidy_application

    subsidy_application(college, status="office_approved")

    def subsidy_tiles(persona):
        return [(value, url) for _label, value, url in _todos(college, persona)
                if url.startswith("/assistance/subsidies/")]  # fmt: skip

    assert subsidy_tiles("school_officer_a") == [(0, "/assistance/subsidies/?status=submitted")]
    assert subsidy_tiles("employment_officer") == [
        (0, "/assistance/subsidies/?status=school_approved")
    ]
    assert subsidy_tiles("aid_staff") == [
        (1, "/assistance/subsidies/?status=office_approved"),
        (0, "/assistance/subsidies/?status=finance_approved"),
    ]
    assert subsidy_tiles("counsellor_a") == [] and subsidy_tiles("student_a") == []
