"""Graduates for tracking tests: in class A (counsellor A's scope) unless told otherwise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jingzhun.students.models import GraduateDestination, Student
from jingzhun.students.tests.factories import StudentFactory

# The demo's today: the 2026 cohort left on June 30 and is in its six-month window.
TODAY = dt.date(2026, 11, 26)


def graduate(college: Any, *, cohort: int = 2026, code: str | None = None,
             recorded_on: dt.date | None = None, klass: Any = None, **fields: Any) -> Student:  # fmt: skip
    student: Student = StudentFactory.create(
        class_group=klass or college.class_a, cohort=cohort, status=Student.Status.GRADUATED,
        **fields,
    )  # fmt: skip
    if code is not None:
        GraduateDestination.objects.create(
            student=student, code_id=code, recorded_on=recorded_on or dt.date(cohort, 5, 1)
        )
    return student
