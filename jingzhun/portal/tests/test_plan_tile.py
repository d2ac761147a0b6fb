"""The student's home says when their approved plan waits for them to acknowledge it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import College
from jingzhun.assistance.services import plans
from jingzhun.assistance.tests.helpers import confirmed_case

pytestmark = pytest.mark.django_db


def _plan_badge(client) -> int | None:
    tiles = client.get(reverse("portal:home")).context["tiles"]
    return next(t.badge for t in tiles if t.key == "plan")


def test_the_plan_tile_counts_a_plan_waiting_for_the_students_acknowledgement(
    client, college: College
):
    owner = college.personas["counsellor_a"]
    plan = plans.plan_draft(
        actor=owner, case=confirmed_case(college, types=("economic",), signal=False)
    )
    client.force_login(college.user("student_a"))
    assert _plan_badge(client) is None  # a draft is staff work

    plans.plan_submit(actor=owner, plan=plan)
    plan = plans.plan_approve(actor=college.personas["school_officer_a"], plan=plan)
    assert _plan_badge(client) == 1

    plans.plan_acknowledge(actor=college.personas["student_a"], plan=plan)
    assert _plan_badge(client) is None
