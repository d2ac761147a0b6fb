"""Campus behaviour in the demo college: synthetic card and dorm events for the enrolled
students in the event lake, then the first behaviour snapshot (identification's demo seeder
calls this before its run, so the run finds the hidden-hardship candidates)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from jingzhun.behaviour.lake import event_lake
from jingzhun.behaviour.services import behaviour_snapshot_build
from jingzhun.data.periods import DEFAULT_CALENDAR
from jingzhun.data.synthetic import Population, SyntheticParams, write_card_lake
from jingzhun.data.synthetic_sources import write_dorm_lake
from jingzhun.org.models import Institution, RoleAssignment
from jingzhun.students.models import BehaviourSnapshot, FamilyEconomicStatus, Student

# Hidden poverty (0–1) by assessed level; unassessed students draw from the general spread, and
# a few of them are as poor as the aided ones: the "hidden" poor the card data should surface.
LEVEL_POVERTY = {"special": 0.78, "difficult": 0.66, "somewhat": 0.55}
HIDDEN_POOR_SHARE = 0.04
CARD_ROWS_PER_STUDENT = 280  # September to late November


def seed_behaviour_demo(
    *, institution: Institution, as_of: dt.date, actor: RoleAssignment | None, seed: int
) -> BehaviourSnapshot | None:
    """Synthetic campus-card events for the enrolled demo students in the event lake (this
    term so far), then the first behaviour snapshot. Skipped when one exists."""
    if BehaviourSnapshot.objects.filter(institution=institution).exists():
        return None
    students = Student.objects.filter(institution=institution, status=Student.Status.ENROLLED)
    numbers = list(students.order_by("student_number").values_list("student_number", flat=True))
    if not numbers:
        return None
    levels = dict(
        FamilyEconomicStatus.objects.filter(student__in=students)
        .order_by("academic_year").values_list("student__student_number", "level")
    )  # fmt: skip
    rng = np.random.default_rng(seed)
    poverty = rng.beta(2.0, 5.0, len(numbers))
    for i, number in enumerate(numbers):
        if levels.get(number) in LEVEL_POVERTY:
            poverty[i] = min(0.98, LEVEL_POVERTY[levels[number]] + rng.normal(0, 0.08))
        elif number not in levels and rng.random() < HIDDEN_POOR_SHARE:
            poverty[i] = min(0.98, 0.72 + rng.normal(0, 0.08))
    population = Population(student_ids=np.array(numbers), poverty=poverty,
                            subsidy=np.zeros(len(numbers), dtype=int))  # fmt: skip
    year_start = DEFAULT_CALENDAR.academic_year_start(as_of)
    params = SyntheticParams(start=year_start, end=as_of - dt.timedelta(days=1))
    lake = event_lake()
    write_card_lake(
        lake, len(numbers) * CARD_ROWS_PER_STUDENT, len(numbers), seed, params, population
    )
    write_dorm_lake(lake, population, seed, params)
    return behaviour_snapshot_build(actor=actor, institution=institution, as_of=as_of)
