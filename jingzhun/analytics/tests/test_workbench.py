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
    assert [(t.label, t.value) for t in workbench["todo"]] == [("待审核", 1), ("建议退出", 0)]
    assert [(t.label, t.value) for t in workbench["cohorts"]] == [("2027", 1)]


def test_roles_without_review_have_no_todo(college, client):
    client.force_login(college.user("leader"))
    assert client.get(reverse("home")).context["workbench"]["todo"] == []
