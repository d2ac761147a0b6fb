"""A synthetic campus for behaviour tests (also used by identification's tests of what it
pulls from behaviour): card and dorm events of N holders, REGISTERED of them in the registry,
four in five of those assessed for hardship."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np

from jingzhun.data.events import Lake
from jingzhun.data.synthetic import Population, SyntheticParams, make_population, write_card_lake
from jingzhun.data.synthetic_sources import write_dorm_lake
from jingzhun.students.models import FamilyEconomicStatus, Student
from jingzhun.students.tests.factories import StudentFactory

N, REGISTERED = 300, 290  # ten card holders the registry does not know
YEAR = SyntheticParams(start=dt.date(2025, 9, 1), end=dt.date(2026, 6, 30))
LEVEL_OF = {1000: "somewhat", 1500: "difficult", 2000: "special"}


def campus_lake(college: Any, tmp_path: Path) -> tuple[Lake, Population, list[Student]]:
    base = make_population(N, seed=11)
    numbers = np.array([f"2025{i:06d}" for i in range(N)])
    population = Population(student_ids=numbers, poverty=base.poverty, subsidy=base.subsidy)
    lake = Lake.at(tmp_path / "lake")
    write_card_lake(lake, rows=N * 400, n_students=N, seed=11, params=YEAR, population=population)
    write_dorm_lake(lake, population, seed=11, params=YEAR)
    students = [
        StudentFactory.create(class_group=college.class_a, student_number=n)
        for n in numbers[:REGISTERED]
    ]
    for i, student in enumerate(students):
        if i % 5 == 0:
            continue  # a fifth never went through the hardship assessment
        level = LEVEL_OF.get(int(population.subsidy[i]), "none")
        FamilyEconomicStatus.objects.create(student=student, academic_year="2025-2026", level=level)
    return lake, population, students
