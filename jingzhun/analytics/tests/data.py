"""Cases, signals and runs for the overview tests, built from the shared college."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from conftest import College
from jingzhun.identification.models import Case, IdentificationRun, Signal
from jingzhun.identification.services import difficulty_types_ensure
from jingzhun.org.models import ClassGroup
from jingzhun.students.models import Student
from jingzhun.students.tests.factories import StudentFactory


def students(class_group: ClassGroup | Any, n: int) -> list[Student]:
    """`n` new students of a class (a model or a factory's result)."""
    return [cast(Student, StudentFactory(class_group=class_group)) for _ in range(n)]


def case(student: Student, status: str, types: list[str], level: int | None,
         run: IdentificationRun | None = None) -> Case:  # fmt: skip
    kinds = difficulty_types_ensure()
    made = Case.objects.create(student=student, status=status, level=level, opened_run=run)
    made.types.set([kinds[t] for t in types])
    return made


def run(college: College, as_of: dt.date, flagged: list[Student]) -> IdentificationRun:
    kinds = difficulty_types_ensure()
    made = IdentificationRun.objects.create(
        institution=flagged[0].institution, as_of=as_of, status=IdentificationRun.Status.FINISHED,
        started_by=college.user("employment_officer"),
    )  # fmt: skip
    Signal.objects.bulk_create(
        Signal(run=made, student=s, difficulty_type=kinds["economic"], level=2, explanation="x")
        for s in flagged
    )
    return made


def populate(college: College) -> dict[str, list[Student]]:
    """School A: 9 students in difficulty (6 economic level 1, 3 academic level 2, one of
    them also economic) and one candidate; school B: 2 economic level 3 and one exited."""
    a = [college.student_a, *students(college.class_a, 9)]
    b = [college.student_b, *students(college.class_b, 2)]
    first = run(college, dt.date(2026, 3, 1), a[:4])
    second = run(college, dt.date(2026, 9, 1), [*a[:8], *b[:2]])
    for s in a[:6]:
        case(s, "confirmed", ["economic"], 1, run=first if s in a[:4] else second)
    case(a[6], "in_assistance", ["academic"], 2, run=second)
    case(a[7], "in_assistance", ["academic", "economic"], 2, run=second)
    case(a[8], "exit_proposed", ["academic"], 2)
    case(a[9], "candidate", [], None)
    case(b[0], "confirmed", ["economic"], 3, run=second)
    case(b[1], "confirmed", ["economic"], 3, run=second)
    case(b[2], "exited", ["economic"], 3)
    return {"a": a, "b": b}
