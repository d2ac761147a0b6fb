"""A small graduated registry for the risk-model tests: three cohorts whose destinations
depend on failed courses, written with bulk inserts (a few hundred rows, milliseconds)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jingzhun.org.models import ClassGroup
from jingzhun.students.models import AcademicResult, GraduateDestination, Student

COHORTS = (2024, 2025, 2026)
PER_COHORT = 60
AS_OF = dt.date(2026, 11, 26)


def failed_courses(position: int) -> int:
    """0–5 failed courses, in equal shares."""
    return position % 6


def not_placed(position: int) -> bool:
    """Four or more failed courses in a term: no destination (a third of each cohort)."""
    return failed_courses(position) >= 4


def build_graduates(college: Any, per_cohort: int = PER_COHORT) -> list[Student]:
    """`per_cohort` graduates a cohort in school A. Each fails `failed_courses(i)` courses in
    the second term of the first and of the second year, so the failures are on record in
    the final year's autumn and a year before; outcome: `not_placed(i)`."""
    major = college.class_a.major
    students: list[Student] = []
    for cohort in COHORTS:
        entry = cohort - 3
        class_group = ClassGroup.objects.create(
            major=major, name=f"计应{entry % 100:02d}01", cohort=cohort
        )
        batch = Student.objects.bulk_create([
            Student(
                institution=college.institution, school=major.school, major=major, class_group=class_group,
                student_number=f"{entry}01{i:04d}", name=f"毕业生{cohort}-{i}", gender="MF"[i % 2],
                ethnicity="01" if i % 10 else "03", hukou_type="rural" if i % 3 else "urban",
                cohort=cohort, entry_year=entry, education_level=Student.EducationLevel.VOCATIONAL,
                status=Student.Status.GRADUATED,
            )
            for i in range(per_cohort)
        ])  # fmt: skip
        AcademicResult.objects.bulk_create([
            AcademicResult(student=s, term=f"{entry + year}-{entry + year + 1}-2", failed_courses=failed_courses(i))
            for i, s in enumerate(batch) for year in (0, 1)
        ])  # fmt: skip
        GraduateDestination.objects.bulk_create([
            GraduateDestination(
                student=s, code_id="70" if not_placed(i) else "11",
                recorded_on=dt.date(cohort, 8 if not_placed(i) else 5, 20),
            )
            for i, s in enumerate(batch)
        ])  # fmt: skip
        students += batch
    return students
