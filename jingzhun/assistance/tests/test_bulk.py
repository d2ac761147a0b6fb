"""Drafting the plans of every waiting case at once: all of them, or none with the reasons."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jingzhun.assistance.models import AssistancePlan
from jingzhun.assistance.services.bulk import plans_draft_bulk
from jingzhun.assistance.tests.helpers import confirmed_case
from jingzhun.identification.models import Case
from jingzhun.students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_every_waiting_case_gets_its_plan(college, client):
    cases = [confirmed_case(college, signal=False),
             *[confirmed_case(college, student=s, signal=False)
               for s in StudentFactory.create_batch(2, class_group=college.class_a)]]  # fmt: skip
    client.force_login(college.user("counsellor_a"))
    response = client.post(reverse("assistance:plan-draft-all"), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["已按措施方案生成 3 份帮扶计划。"]
    assert AssistancePlan.objects.count() == 3
    assert set(
        Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("status", flat=True)
    ) == {"in_assistance"}


def test_one_refusal_keeps_every_case_as_it_was(college):
    ok = confirmed_case(college, signal=False)
    other = StudentFactory.create(class_group=college.class_a)
    theirs = confirmed_case(college, student=other, responsible="school_officer_a", signal=False)
    result = plans_draft_bulk(actor=college.personas["counsellor_a"], case_ids=[ok.pk, theirs.pk])
    assert result.drafted == 0
    assert [(f.student, f.message) for f in result.failures] == [
        (
            f"{other.name}（{other.student_number}）",
            "只有该帮扶对象的帮扶责任人可以编辑其帮扶计划。",
        )
    ]
    assert not AssistancePlan.objects.exists()
    assert set(Case.objects.values_list("status", flat=True)) == {"confirmed"}


def test_more_waiting_cases_than_one_press_drafts_draft_the_first_and_say_how_many_wait(
    college, client, monkeypatch
):
    from jingzhun.assistance.services import bulk

    monkeypatch.setattr(bulk, "BULK_MAX", 2)
    for student in [
        college.student_a,
        *StudentFactory.create_batch(2, class_group=college.class_a),
    ]:
        confirmed_case(college, student=student, signal=False)
    client.force_login(college.user("counsellor_a"))
    assert (
        "为前 2 个待制定计划的帮扶对象生成帮扶计划"
        in client.get(reverse("assistance:plan-list")).content.decode()
    )

    first = client.post(reverse("assistance:plan-draft-all"), follow=True)
    assert [str(m) for m in first.context["messages"]] == [
        "已按措施方案生成 2 份帮扶计划。还有 1 个帮扶对象在等待：请再点一次。"
    ]
    second = client.post(reverse("assistance:plan-draft-all"), follow=True)
    assert [str(m) for m in second.context["messages"]] == ["已按措施方案生成 1 份帮扶计划。"]
    assert AssistancePlan.objects.count() == 3
