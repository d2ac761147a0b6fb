"""The student list filters by lifecycle stage (a cohort range, so the list's index serves it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jingzhun.students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_the_student_list_filters_by_stage(college, client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2026, 11, 26))
    left = StudentFactory.create(class_group=college.class_a, cohort=2026, name="已离校")
    client.force_login(college.user("employment_officer"))

    after = client.get(reverse("students:list"), {"stage": "after_leaving"})
    final = client.get(reverse("students:list"), {"stage": "final_year"})
    ignored = client.get(reverse("students:list"), {"stage": "nonsense"})

    assert [s.pk for s in after.context["page"].object_list] == [left.pk]
    assert {s.pk for s in final.context["page"].object_list} == {
        college.student_a.pk,
        college.student_b.pk,
    }  # the class of 2027, in its final year
    assert ignored.context["page"].paginator.count == 3
