"""The assistance demo on a small generated college: plans in every state, actions worked,
some overdue and escalated; a second seeding does nothing."""

from __future__ import annotations

import pytest

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
    assert seed_assistance_demo(institution_code=INSTITUTION_CODE) is None
