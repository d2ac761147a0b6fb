"""Test helpers of assistance: a confirmed case of the college's personas, a second school
officer and department staff member when a test needs them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jingzhun.identification.models import Case, CaseEvent, IdentificationRun, Signal
from jingzhun.identification.services import difficulty_types_ensure
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import DataScope, DepartmentKind, Role
from jingzhun.org.tests.factories import RoleAssignmentFactory, UserFactory
from jingzhun.students.models import Student


def confirmed_case(
    college: Any, *, student: Student | None = None, types: tuple[str, ...] = ("economic", "psychological"),
    level: int = 2, responsible: str = "counsellor_a", signal: bool = True,
) -> Case:  # fmt: skip
    student = student or college.student_a
    known = difficulty_types_ensure()
    case = Case.objects.create(student=student, status=Case.Status.CONFIRMED, level=level,
                               responsible=college.user(responsible))  # fmt: skip
    case.types.set([known[code] for code in types])
    CaseEvent.objects.create(case=case, to_status=Case.Status.CONFIRMED)
    if signal:
        run = IdentificationRun.objects.create(institution=college.institution, as_of=dt.date(2026, 11, 1),
                                               started_by=college.user("employment_officer"))  # fmt: skip
        Signal.objects.create(run=run, student=student, difficulty_type=known["economic"], level=level,
                              explanation="家庭经济困难（低保）", sensitivity="family_finance")  # fmt: skip
    return case


def school_officer_b(college: Any) -> RoleAssignment:
    return RoleAssignmentFactory.create(
        user=UserFactory.create(username="T0017", display_name="财经学院就业专干"),
        role=Role.SCHOOL_OFFICER, institution=college.institution, school=college.school_b,
    )  # fmt: skip


def department_staff(college: Any, kind: str = DepartmentKind.AID, *, username: str = "T0024",
                     scope: str = "") -> RoleAssignment:  # fmt: skip
    extra = {"data_scope": scope} if scope else {}
    return RoleAssignmentFactory.create(
        user=UserFactory.create(username=username, display_name=f"{username}老师"),
        role=Role.DEPARTMENT_STAFF, institution=college.institution,
        department=college.departments[kind], **extra,
    )  # fmt: skip


ROUTED = DataScope.DEPARTMENT_ROUTED
