from __future__ import annotations

import pytest
from django import forms

from jingzhun.students.filters import StudentFilterForm

pytestmark = pytest.mark.django_db


def test_every_select_of_the_student_search_starts_with_all(college):
    form = StudentFilterForm(actor=college.personas["employment_officer"])
    firsts = {
        name: str(next(iter(field.widget.choices))[1])
        for name, field in form.fields.items()
        if isinstance(field.widget, forms.Select)
    }
    assert firsts == dict.fromkeys(
        ("school", "major", "class_group", "cohort", "status", "priority_group"), "全部"
    )
