"""Named personas shared by the whole suite: one small college and the people who use it.

`college` builds an institution with two schools (A and B), a class in each, functional
departments, a student per class, and one user per role; `other_college` is a second
institution whose staff must never see the first one's students.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest

from jingzhun.org.models import ClassGroup, Department, Institution, RoleAssignment, School, User
from jingzhun.org.roles import DepartmentKind, Role
from jingzhun.org.tests.factories import (
    ClassGroupFactory,
    DepartmentFactory,
    InstitutionFactory,
    MajorFactory,
    RoleAssignmentFactory,
    SchoolFactory,
    UserFactory,
)
from jingzhun.students.models import MentorAssignment, Student
from jingzhun.students.tests.factories import StudentFactory, valid_id_number


@dataclass
class College:
    institution: Institution
    school_a: School
    school_b: School
    class_a: ClassGroup
    class_b: ClassGroup
    departments: dict[str, Department]
    student_a: Student  # in class A, has a login
    student_b: Student  # in class B
    personas: dict[str, RoleAssignment]

    def user(self, persona: str) -> User:
        return self.personas[persona].user


PERSONAS = (
    "leader",
    "employment_officer",
    "assessor",
    "aid_staff",
    "psych_staff",
    "academic_staff",
    "school_officer_a",
    "counsellor_a",
    "mentor_a",
    "student_a",
    "supervisor",
    "outsider",
)


def _create(factory: Any, **fields: Any) -> Any:
    """A factory's instance, typed as what it builds (factory_boy's types name the factory)."""
    return factory.create(**fields)


def build_college() -> College:
    institution = _create(InstitutionFactory, code="4141010001", name="中原职业技术学院")
    school_a = _create(SchoolFactory, institution=institution, code="S01", name="信息工程学院")
    school_b = _create(SchoolFactory, institution=institution, code="S02", name="财经商贸学院")
    class_a = _create(
        ClassGroupFactory,
        major=_create(MajorFactory, school=school_a, moe_code="510201", name="计算机应用技术"),
        name="计应2401",
        cohort=2027,
    )
    class_b = _create(
        ClassGroupFactory,
        major=_create(MajorFactory, school=school_b, moe_code="530302", name="大数据与会计"),
        name="会计2401",
        cohort=2027,
    )
    departments: dict[str, Any] = {
        kind: _create(
            DepartmentFactory, institution=institution, code=kind.upper()[:8], name=label, kind=kind
        )
        for kind, label in [
            (DepartmentKind.EMPLOYMENT, "招生就业处"),
            (DepartmentKind.AID, "学生资助中心"),
            (DepartmentKind.PSYCH, "心理健康教育中心"),
            (DepartmentKind.ACADEMIC, "教务处"),
        ]
    }
    student_user = _create(UserFactory, username="2024010001", display_name="王小明")
    student_a = _create(
        StudentFactory,
        class_group=class_a,
        student_number="2024010001",
        name="王小明",
        gender="M",
        id_number=valid_id_number(),
        phone="13812345678",
        user=student_user,
    )
    student_b = _create(
        StudentFactory, class_group=class_b, student_number="2024020001", name="李小红"
    )

    def role(username: str, name: str, role: str, **kwargs: Any) -> RoleAssignment:
        return _create(
            RoleAssignmentFactory,
            user=_create(UserFactory, username=username, display_name=name),
            role=role,
            institution=kwargs.pop("institution", institution),
            **kwargs,
        )

    other = _create(InstitutionFactory, code="4141010002", name="另一所职业学院")
    personas = {
        "leader": role("T0001", "校领导", Role.LEADERSHIP),
        "employment_officer": role("T0002", "就业处干事", Role.EMPLOYMENT_OFFICE,
                                   department=departments[DepartmentKind.EMPLOYMENT]),
        "assessor": role("T0003", "考核办干事", Role.ASSESSMENT_OFFICE),
        "aid_staff": role("T0004", "资助中心老师", Role.DEPARTMENT_STAFF,
                          department=departments[DepartmentKind.AID]),
        "psych_staff": role("T0005", "心理中心老师", Role.DEPARTMENT_STAFF,
                            department=departments[DepartmentKind.PSYCH]),
        "academic_staff": role("T0006", "教务处老师", Role.DEPARTMENT_STAFF,
                               department=departments[DepartmentKind.ACADEMIC]),
        "school_officer_a": role("T0007", "信息学院就业专干", Role.SCHOOL_OFFICER, school=school_a),
        "counsellor_a": role("T0008", "张辅导员", Role.COUNSELLOR, school=school_a, classes=[class_a]),
        "mentor_a": role("T0009", "刘老师", Role.MENTOR),
        "student_a": _create(RoleAssignmentFactory, user=student_user, role=Role.STUDENT, institution=institution),
        "supervisor": role("T0010", "省教育厅", Role.PROVINCIAL_SUPERVISOR, institution=None),
        "outsider": role("T0011", "外校就业处", Role.EMPLOYMENT_OFFICE, institution=other),
    }  # fmt: skip
    MentorAssignment.objects.create(student=student_a, mentor=personas["mentor_a"].user)
    return College(
        institution=institution,
        school_a=school_a,
        school_b=school_b,
        class_a=class_a,
        class_b=class_b,
        departments=departments,
        student_a=student_a,
        student_b=student_b,
        personas=personas,
    )


@pytest.fixture
def college(db: Any) -> College:
    return build_college()


@pytest.fixture
def realdata_dir() -> Any:
    from pathlib import Path

    root = os.environ.get("JINGZHUN_REALDATA_DIR")
    if not root or not Path(root).is_dir():
        pytest.skip("JINGZHUN_REALDATA_DIR is not set to the public data folder")
    return Path(root)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded files and the event lake of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVENT_LAKE_DIR = tmp_path / "lake"


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in the default language: a request in English (a test's language
    cookie) leaves English active in the thread, which would leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
