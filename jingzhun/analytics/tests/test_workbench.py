from __future__ import annotations

import pytest
from django.urls import reverse

from jingzhun.identification.models import Case

pytestmark = pytest.mark.django_db


def test_counsellor_sees_what_needs_review_in_her_scope_only(college, client):
    Case.objects.create(student=college.student_a)
    Case.objects.create(student=college.student_b)  # another school's class
    client.force_login(college.user("counsellor_a"))
    workbench = client.get(reverse("home")).context["workbench"]
    assert [(t.label, t.value) for t in workbench["todo"]] == [
        ("待审核", 1),
        ("建议退出", 0),
        ("待制定计划的帮扶对象", 0),
        ("超过 14 天未审批的计划", 0),
    ]
    assert [(t.label, t.value) for t in workbench["cohorts"]] == [("2027", 1)]


def test_the_exits_tile_opens_the_case_list_of_proposed_exits(college, client):
    """Exits are decided from the case list, not the review queue (candidates only)."""
    Case.objects.create(student=college.student_a, status=Case.Status.EXIT_PROPOSED)
    client.force_login(college.user("counsellor_a"))
    exits = client.get(reverse("home")).context["workbench"]["todo"][1]
    assert (exits.label, exits.value) == ("建议退出", 1)
    listed = client.get(exits.url).context["page"].object_list
    assert [c.student_id for c in listed] == [college.student_a.pk]


def test_roles_without_review_have_no_todo(college, client):
    client.force_login(college.user("leader"))
    assert client.get(reverse("home")).context["workbench"]["todo"] == []


def test_a_confirmed_case_waiting_for_a_plan_is_on_its_counsellors_workbench(college, client):
    """Assistance's to-dos sit beside identification's, each opening its page."""
    Case.objects.create(student=college.student_a, status=Case.Status.CONFIRMED,
                        responsible=college.user("counsellor_a"))  # fmt: skip
    client.force_login(college.user("counsellor_a"))
    todo = {t.label: t for t in client.get(reverse("home")).context["workbench"]["todo"]}
    waiting = todo["待制定计划的帮扶对象"]
    assert (waiting.value, waiting.url) == (1, reverse("assistance:plan-list"))


def test_leadership_sees_the_key_numbers_linking_to_the_overview(college, client):
    from jingzhun.analytics.tests.data import populate

    populate(college)
    client.force_login(college.user("leader"))
    response = client.get(reverse("home"))
    tiles = response.context["workbench"]["overview"]
    overview = reverse("analytics:overview")
    assert [(t.value, t.url) for t in tiles] == [
        (10, overview),
        (12, overview),
        (8, f"{overview}?status=confirmed"),
        (2, f"{overview}?status=in_assistance"),
    ]
    assert 'data-testid="overview-link"' in response.content.decode()


def test_the_supervisor_is_pointed_to_the_provincial_overview(college, client):
    client.force_login(college.user("supervisor"))
    response = client.get(reverse("home"))
    assert response.context["workbench"]["overview"] == []
    assert reverse("analytics:provincial") in response.content.decode()
