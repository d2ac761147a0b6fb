from __future__ import annotations

import datetime as dt

import pytest

from jingzhun.identification.admin import RuleForm
from jingzhun.identification.services import difficulty_types_ensure

pytestmark = pytest.mark.django_db


def form_for(college, condition: object) -> RuleForm:
    academic = difficulty_types_ensure()["academic"]
    return RuleForm(
        data={
            "institution": college.institution.pk,
            "name": "挂科",
            "difficulty_type": academic.pk,
            "level": 2,
            "condition": condition,
            "version": 1,
            "effective_from": dt.date(2026, 9, 1),
            "author": college.user("employment_officer").pk,
            "is_active": True,
        }
    )


def test_rule_form_refuses_a_condition_the_engine_cannot_run(college):
    form = form_for(college, '{"field": "salary", "op": ">", "value": 3}')
    assert not form.is_valid()
    assert form.errors["condition"] == ["未知字段：salary"]


def test_rule_form_accepts_a_valid_condition(college):
    form = form_for(college, '{"field": "failed_courses_last2", "op": ">=", "value": 3}')
    assert form.is_valid(), form.errors
