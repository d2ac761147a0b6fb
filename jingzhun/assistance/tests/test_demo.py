"""The assistance demo on a small generated college: plans in every state, actions worked,
some overdue and escalated; a second seeding does nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jingzhun.assistance.demo import seed_assistance_demo
from jingzhun.assistance.models import Action, AssistancePlan, AssistanceRecord
from jingzhun.identification.demo import seed_identification_demo
from jingzhun.students.demo.catalogue import INSTITUTION_CODE
from jingzhun.students.demo.cohorts import DEMO_TODAY
from jingzhun.students.demo.generator import seed_demo_college

pytestmark = pytest.mark.django_db


def test_the_demo_has_plans_in_every_state_and_worked_actions(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed_demo_college(students=300, seed=1)
    seed_identification_demo(institution_code=INSTITUTION_CODE, as_of=DEMO_TODAY)

    result = seed_assistance_demo(institution_code=INSTITUTION_CODE)

    assert result is not None
    # Acknowledging is the student's own step: only the demo student has a login, and their
    # plan (if they have a confirmed case) is left approved for them to acknowledge.
    states = set(AssistancePlan.objects.values_list("status", flat=True))
    assert states == {"draft", "submitted", "approved"}
    assert AssistancePlan.objects.exclude(return_reason="").count() == 1
    assert result.plans == AssistancePlan.objects.count() == 10
    assert result.actions == Action.objects.count() > 0
    assert set(Action.objects.values_list("status", flat=True)) >= {"todo", "doing", "done"}
    assert result.records == AssistanceRecord.objects.count() > 0
    # Counselling records appear once a psychological case is among the planned ones.
    assert set(AssistanceRecord.objects.values_list("kind", flat=True)) >= {"payment", "talk"}
    assert result.escalated == Action.objects.filter(escalated_at__isnull=False).count() >= 1
    from jingzhun.assistance.notices import ACTIONS_DUE
    from jingzhun.notifications.models import Notification

    today = timezone.localdate()
    soon = Action.objects.filter(status__in=["todo", "doing"], due_date__gte=today)
    reminded = Notification.objects.filter(kind=ACTIONS_DUE).values_list("recipient_id", flat=True)
    assert set(reminded) == set(soon.filter(due_date__lte=today + dt.timedelta(days=3))
                                .values_list("assignee_id", flat=True)) != set()  # fmt: skip
    assert seed_assistance_demo(institution_code=INSTITUTION_CODE) is None


def test_the_subsidy_demo_has_a_batch_half_way_and_the_demo_student_may_apply(settings, tmp_path):
    from jingzhun.assistance.services.subsidies import budget_of, eligibility_of
    from jingzhun.assistance.subsidy_demo import STOPS, seed_subsidy_demo
    from jingzhun.assistance.subsidy_models import SubsidyApplication
    from jingzhun.students.demo.cohorts import current_cohorts
    from jingzhun.students.models import Student

    settings.MEDIA_ROOT = tmp_path
    seed_demo_college(students=300, seed=1)
    cohort = current_cohorts()[0]

    result = seed_subsidy_demo(institution_code=INSTITUTION_CODE, cohort=cohort)

    demo_student = Student.objects.get(user__isnull=False)
    assert result is not None and result.applications == len(STOPS) + 1
    staff_batch = SubsidyApplication.objects.exclude(student=demo_student)
    assert sorted(staff_batch.values_list("status", flat=True)) == sorted(STOPS)
    assert SubsidyApplication.objects.get(status="paid").payment_reference.startswith("ZZZX-")
    figures = budget_of(result.policy)
    assert (figures.committed, figures.paid) == (5 * result.policy.amount, result.policy.amount)
    assert demo_student.cohort == cohort
    assert eligibility_of(result.policy, demo_student).eligible
    own = SubsidyApplication.objects.get(student=demo_student)
    assert (own.status, own.applied_by_id) == ("submitted", demo_student.user_id)
    assert seed_subsidy_demo(institution_code=INSTITUTION_CODE, cohort=cohort) is None


def test_the_demo_aid_centre_shares_its_actions_between_its_two_members(settings, tmp_path):
    """Routing to the person with the fewest open actions, reassigning and the workload need
    a department of more than one: the demo's aid centre has two."""
    from jingzhun.org.roles import DepartmentKind

    settings.MEDIA_ROOT = tmp_path
    seed_demo_college(students=300, seed=1)
    seed_identification_demo(institution_code=INSTITUTION_CODE, as_of=DEMO_TODAY)
    seed_assistance_demo(institution_code=INSTITUTION_CODE)

    aid = Action.objects.filter(department__kind=DepartmentKind.AID)
    assert set(aid.values_list("assignee__username", flat=True)) == {"T1004", "T1011"}
