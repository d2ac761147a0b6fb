"""Hidden assistance: a psychological-counselling measure names a psychological difficulty, so
next to a student it is shown only to roles that may open psychological fields, and never in
a notification title (group robots post titles)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jingzhun.assistance.models import Action, Measure
from jingzhun.assistance.notices import ACTION_CLOSED
from jingzhun.assistance.sensitivity import shown_measure
from jingzhun.assistance.services import actions, plans
from jingzhun.assistance.tests.helpers import confirmed_case
from jingzhun.assistance.timeline import entries_for
from jingzhun.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kinds", "allowed", "shown"),
    [
        (("psych",), frozenset({"psychological"}), "心理咨询"),
        (("psych",), frozenset({"family_finance"}), "受限措施"),
        (("employment", "psych"), frozenset(), "受限措施"),
        (("aid",), frozenset(), "心理咨询"),
    ],
)
def test_shown_measure(kinds, allowed, shown):
    assert shown_measure("心理咨询", *kinds, allowed=allowed) == shown


def _approved(college):
    owner = college.personas["counsellor_a"]
    plan = plans.plan_draft(actor=owner, case=confirmed_case(college, types=("psychological",)))
    plans.plan_submit(actor=owner, plan=plan)
    return plans.plan_approve(actor=college.personas["school_officer_a"], plan=plan)


def test_the_plan_page_hides_the_counselling_measure_from_the_school_officer(college, client):
    plan = _approved(college)
    url = reverse("assistance:plan-detail", args=[plan.pk])
    client.force_login(college.user("counsellor_a"))
    assert "心理咨询" in client.get(url).content.decode()
    client.force_login(college.user("school_officer_a"))
    page = client.get(url).content.decode()
    assert "心理咨询" not in page and "心理健康教育中心" not in page
    assert "受限措施" in page


def test_the_queue_and_timeline_hide_it_from_the_employment_office(college, client):
    _approved(college)
    client.force_login(college.user("employment_officer"))
    queue = client.get(reverse("assistance:action-queue"))
    assert "心理咨询" not in queue.content.decode() and "受限措施" in queue.content.decode()
    counselling = Measure.objects.get(code="psych_counselling")
    filtered = client.get(reverse("assistance:action-queue"), {"measure": counselling.pk})
    assert filtered.context["filters"].measure is None  # not a way to list who gets counselling
    titles = [
        e.title
        for e in entries_for(
            actor=college.personas["employment_officer"], student=college.student_a
        )
    ]
    assert "受限措施已派发至受限部门" in titles
    psych = [
        e.title
        for e in entries_for(actor=college.personas["psych_staff"], student=college.student_a)
    ]
    assert psych == ["心理咨询已派发至心理健康教育中心"]


def test_the_owners_notification_title_does_not_name_it(college):
    plan = _approved(college)
    action = plan.actions.get(measure__code="psych_counselling")
    actions.action_close(actor=college.personas["psych_staff"], action=action, status="done",
                         outcome="helped", note="已完成三次咨询")  # fmt: skip
    told = Notification.objects.get(kind=ACTION_CLOSED)
    assert told.title == "王小明的一项帮扶任务已完成"
    assert "心理" not in told.title + told.body
    assert Action.objects.get(pk=action.pk).outcome == "helped"
