from __future__ import annotations

import pytest

from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.org.models import ClassGroup
from jingzhun.org.tests.factories import ClassGroupFactory, MajorFactory
from jingzhun.students.models import Student
from jingzhun.students.services import student_move, student_register, student_update
from jingzhun.students.tests.factories import valid_id_number

pytestmark = pytest.mark.django_db


def test_register_normalises_and_places_from_the_class(college):
    officer = college.user("employment_officer")
    student = student_register(
        acting_user=officer,
        class_group=college.class_b,
        student_number="2024020099",
        name="赵六",
        gender="M",
        id_number=valid_id_number(sequence=135)[:-1] + valid_id_number(sequence=135)[-1].lower(),
        phone="139-0000 1111",
    )
    student.refresh_from_db()
    assert (student.school, student.major, student.cohort) == (
        college.school_b,
        college.class_b.major,
        2027,
    )
    assert student.institution == college.institution
    assert student.entry_year == 2024
    assert student.phone == "13900001111"
    assert student.id_number == valid_id_number(sequence=135)
    entry = AuditLog.objects.get(action=AuditLog.Action.CREATE)
    assert (entry.actor, entry.object_id) == (officer, str(student.pk))
    assert entry.fields == [
        "education_level", "entry_year", "gender", "id_number", "name", "phone", "student_number",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"id_number": "110105194912310021"}, "student.invalid_id_number", "id_number"),
        (
            {"id_number": valid_id_number(sequence=124), "gender": "M"},
            "student.gender_mismatch",
            "gender",
        ),
        ({"phone": "0371-1234"}, "student.invalid_phone", "phone"),
        ({"password": "x"}, "student.unknown_field", None),
    ],
)
def test_register_rejects_bad_fields_and_writes_nothing(college, fields, code, field):
    with pytest.raises(DomainError) as exc:
        student_register(
            acting_user=college.user("employment_officer"),
            class_group=college.class_a,
            student_number="2024010099",
            name="某某",
            **fields,
        )
    assert (exc.value.code, exc.value.field) == (code, field)
    assert not Student.objects.filter(student_number="2024010099").exists()
    assert not AuditLog.objects.filter(action=AuditLog.Action.CREATE).exists()


def test_register_refuses_a_duplicate_number(college):
    with pytest.raises(DomainError) as exc:
        student_register(
            acting_user=college.user("employment_officer"),
            class_group=college.class_b,
            student_number=college.student_a.student_number,
            name="重复",
        )
    assert exc.value.code == "student.duplicate_number"


def test_update_audits_only_changed_fields(college):
    student = college.student_b
    student_update(
        acting_user=college.user("counsellor_a"),
        student=student,
        name=student.name,
        phone="13700000000",
    )
    entry = AuditLog.objects.get(action=AuditLog.Action.UPDATE)
    assert entry.fields == ["phone"]
    student_update(acting_user=college.user("counsellor_a"), student=student, phone="137 0000 0000")
    assert AuditLog.objects.filter(action=AuditLog.Action.UPDATE).count() == 1


def test_move_keeps_placement_consistent(college):
    target: ClassGroup = ClassGroupFactory(  # type: ignore[assignment]
        major=MajorFactory(school=college.school_b), name="会计2601", cohort=2029
    )
    student = student_move(
        acting_user=college.user("employment_officer"),
        student=college.student_a,
        class_group=target,
    )
    student.refresh_from_db()
    assert (student.class_group, student.major, student.school, student.cohort) == (
        target, target.major, college.school_b, 2029,
    )  # fmt: skip
