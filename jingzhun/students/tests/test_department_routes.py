"""The department-routed data scope (org) as the registry applies it: department staff see
only the students something open is routed to their department for (ready for assistance
actions and subsidy applications)."""

from __future__ import annotations

from typing import cast

import pytest
from django.core.exceptions import ValidationError

from jingzhun.org.models import DepartmentRoute, RoleAssignment
from jingzhun.org.roles import DataScope, DepartmentKind, Role
from jingzhun.org.services import department_route_close, department_route_open
from jingzhun.students.selectors import student_queryset

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed_aid(college) -> RoleAssignment:
    aid = college.personas["aid_staff"]
    aid.data_scope = DataScope.DEPARTMENT_ROUTED
    aid.save()
    return aid


def test_nothing_routed_nothing_seen(routed_aid):
    assert list(student_queryset(actor=routed_aid)) == []


def test_an_open_route_brings_the_student_in_scope_until_closed(college, routed_aid):
    aid_dept = college.departments[DepartmentKind.AID]
    department_route_open(department_id=aid_dept.pk, student_id=college.student_b.pk,
                          source="assistance.action", source_id=7)  # fmt: skip
    department_route_open(department_id=aid_dept.pk, student_id=college.student_b.pk,
                          source="assistance.action", source_id=7)  # idempotent  # fmt: skip
    assert DepartmentRoute.objects.count() == 1
    assert list(student_queryset(actor=routed_aid)) == [college.student_b]
    psych = college.personas["psych_staff"]
    psych.data_scope = DataScope.DEPARTMENT_ROUTED
    assert list(student_queryset(actor=psych)) == []  # routed to the aid centre, not to psych
    assert department_route_close(source="assistance.action", source_id=7) == 1
    assert list(student_queryset(actor=routed_aid)) == []


def test_a_route_of_another_institution_is_not_seen(college, routed_aid):
    from jingzhun.students.models import Student
    from jingzhun.students.tests.factories import StudentFactory

    stranger = cast(Student, StudentFactory())  # another institution
    department_route_open(department_id=college.departments[DepartmentKind.AID].pk,
                          student_id=stranger.pk, source="assistance.action", source_id=8)  # fmt: skip
    assert list(student_queryset(actor=routed_aid)) == []


def test_the_default_department_scope_is_unchanged(college):
    assert college.personas["aid_staff"].data_scope == DataScope.INSTITUTION
    assert student_queryset(actor=college.personas["aid_staff"]).count() == 2


def test_a_routed_scope_needs_a_department(college):
    assignment = RoleAssignment(user=college.user("leader"), role=Role.LEADERSHIP,
                                institution=college.institution,
                                data_scope=DataScope.DEPARTMENT_ROUTED)  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        assignment.clean()
    assert "department" in exc.value.message_dict
