"""What a role without identifier access sees of a demo student — masked ID number, place of
household registration, cohort and gender — must leave many ID numbers possible.

The profile used to show the region prefix and the last four characters beside the county
code: only the birth date was left to guess, about 230 numbers per student. The candidates
are counted exactly (`jingzhun.core.reidentification`); `benchmarks/id_candidates.py` reports
the figures over a seeded demo college.
"""

from __future__ import annotations

import random
import statistics
from functools import cache

from jingzhun.core.reidentification import birth_dates_for_entry, id_numbers_matching
from jingzhun.students.demo.catalogue import MAJORS
from jingzhun.students.demo.cohorts import cohort_sizes, graduated_cohorts, plan_classes
from jingzhun.students.demo.people import IdNumberAllocator, Profile, draw_profile
from jingzhun.students.demo.regions import COUNTIES
from jingzhun.students.models import Student
from jingzhun.students.profile import identifiers_for

# Students enter a vocational college at 16 to 22 (the demo draws 17 to 20).
YOUNGEST, OLDEST = 16, 22


def demo_profiles(students: int) -> list[Profile]:
    rng = random.Random(2026)
    plans = [p for c, n in cohort_sizes(students).items() for p in plan_classes(c, n, MAJORS, rng)]
    ids, graduated = IdNumberAllocator(rng), set(graduated_cohorts())
    return [
        draw_profile(rng, plan, ids, graduated=plan.cohort in graduated)
        for plan in plans
        for _seat in range(plan.size)
    ]


@cache
def shown_places() -> dict[str, str]:
    """Each demo county's code → the place a masked profile shows for it."""
    return {
        c.code: identifiers_for(Student(hukou_region_code=c.code), revealed=False)["hukou_region"]
        for c in COUNTIES
    }


def candidates(profile: Profile) -> int:
    """ID numbers that agree with the masked profile; the regions an observer considers are
    every demo county whose code the profile's place could stand for."""
    student = Student(id_number=profile.id_number, hukou_region_code=profile.county.code)
    shown = identifiers_for(student, revealed=False)
    regions = [code for code, place in shown_places().items() if place == shown["hukou_region"]]
    return id_numbers_matching(
        shown["id_number"], regions=regions, male=profile.gender == "M",
        birth_dates=birth_dates_for_entry(profile.entry_year, youngest=YOUNGEST, oldest=OLDEST),
    )  # fmt: skip


def test_a_masked_demo_profile_leaves_over_a_hundred_thousand_id_numbers():
    counts = sorted(candidates(p) for p in demo_profiles(200))

    assert counts[0] > 100_000
    assert statistics.median(counts) > 400_000
