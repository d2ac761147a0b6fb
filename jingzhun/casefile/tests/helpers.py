"""Cases written straight to the tables, as the identification services leave them, so the
case file's tests do not depend on how a case got there."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.utils import timezone

from jingzhun.identification.models import (
    Case,
    CaseEvent,
    DifficultyType,
    IdentificationRun,
    Signal,
)
from jingzhun.identification.services import difficulty_types_ensure
from jingzhun.students.models import Student
from jingzhun.students.tests.factories import StudentFactory


def new_student(**fields: Any) -> Student:
    return cast(Student, StudentFactory.create(**fields))


def types() -> dict[str, DifficultyType]:
    return difficulty_types_ensure()


def run_of(college: Any, *, as_of: dt.date = dt.date(2026, 9, 15)) -> IdentificationRun:
    return IdentificationRun.objects.create(
        institution=college.institution, as_of=as_of, status=IdentificationRun.Status.FINISHED,
        started_by=college.user("employment_officer"),
    )  # fmt: skip


def case_of(
    student: Student, *, status: str = Case.Status.CONFIRMED, codes: tuple[str, ...] = ("employability",),
    level: int | None = 2, responsible: Any = None, origin: str = Case.Origin.RUN,
    run: IdentificationRun | None = None, by: Any = None, days_ago: int = 0, note: str = "",
) -> Case:  # fmt: skip
    """A case whose history is one candidate event and, past candidate, one move to `status`,
    the last of them `days_ago` days ago."""
    case = Case.objects.create(student=student, status=status, origin=origin, level=level,
                               responsible=responsible, opened_run=run)  # fmt: skip
    by_code = types()
    case.types.set([by_code[c] for c in codes])
    at = timezone.now() - dt.timedelta(days=days_ago)
    first = CaseEvent.objects.create(
        case=case, actor=by, to_status=Case.Status.CANDIDATE, note=note
    )
    CaseEvent.objects.filter(pk=first.pk).update(at=at - dt.timedelta(days=1))
    if status != Case.Status.CANDIDATE:
        last = CaseEvent.objects.create(case=case, actor=responsible, from_status="candidate",
                                        to_status=status, note="、".join(t.name for t in case.types.all()))  # fmt: skip
        CaseEvent.objects.filter(pk=last.pk).update(at=at)
    return case


def signal_of(student: Student, run: IdentificationRun, code: str, *, level: int = 2,
              explanation: str = "", sensitivity: str = "") -> Signal:  # fmt: skip
    return Signal.objects.create(run=run, student=student, difficulty_type=types()[code],
                                 level=level, explanation=explanation, sensitivity=sensitivity)  # fmt: skip
