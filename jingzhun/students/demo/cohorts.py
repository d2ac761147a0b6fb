"""Cohorts, terms and classes of the demo college as plain values.

The demo is pinned to a fixed "today" so that a seed always yields the same college: with
today 2026-11-26 the current cohorts graduate in 2027–2029 and the three most recent
graduated cohorts (2024–2026) carry known destinations.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date

from jingzhun.students.demo.catalogue import MajorSpec

DEMO_TODAY = date(2026, 11, 26)
PROGRAMME_YEARS = 3
TERMS = 2 * PROGRAMME_YEARS
GRADUATED_COHORTS = 3
CLASS_SIZE = 45  # vocational classes run at 40–50
MAX_CLASS_SIZE = 55


def latest_entry_year(today: date = DEMO_TODAY) -> int:
    """The autumn intake most recently enrolled (the academic year starts in September)."""
    return today.year if today.month >= 9 else today.year - 1


def current_cohorts(today: date = DEMO_TODAY) -> tuple[int, ...]:
    # The oldest current intake entered PROGRAMME_YEARS - 1 years before the latest one.
    first = latest_entry_year(today) + 1
    return tuple(range(first, first + PROGRAMME_YEARS))


def graduated_cohorts(today: date = DEMO_TODAY) -> tuple[int, ...]:
    first_current = current_cohorts(today)[0]
    return tuple(range(first_current - GRADUATED_COHORTS, first_current))


def term_code(entry_year: int, term: int) -> str:
    """Term 1..6 of a programme as the registry writes it: `2024-2025-1`."""
    start = entry_year + (term - 1) // 2
    return f"{start}-{start + 1}-{(term - 1) % 2 + 1}"


def term_end(entry_year: int, term: int) -> date:
    start = entry_year + (term - 1) // 2
    return date(start + 1, 1, 15) if term % 2 else date(start + 1, 7, 5)


def finished_terms(entry_year: int, today: date = DEMO_TODAY) -> list[int]:
    return [t for t in range(1, TERMS + 1) if term_end(entry_year, t) <= today]


def academic_years(entry_year: int, cohort: int, today: date = DEMO_TODAY) -> list[str]:
    """Academic years the student was enrolled in that have started by `today`."""
    last = min(cohort - 1, latest_entry_year(today))
    return [f"{y}-{y + 1}" for y in range(entry_year, last + 1)]


def cohort_sizes(current_total: int) -> dict[int, int]:
    """Current intake grows a little each year; graduated cohorts were a bit smaller."""
    shares = (0.32, 0.33, 0.35)  # oldest current cohort first
    current = current_cohorts()
    sizes = {cohort: round(current_total * shares[i]) for i, cohort in enumerate(current)}
    sizes[current[-1]] += current_total - sum(sizes.values())
    average = current_total / len(current)
    for back, cohort in enumerate(reversed(graduated_cohorts()), start=1):
        sizes[cohort] = round(average * (1 - 0.02 * back))
    return dict(sorted(sizes.items()))


@dataclass(frozen=True)
class ClassPlan:
    major: MajorSpec
    cohort: int
    number: int  # 1-based within the major and cohort
    size: int

    @property
    def entry_year(self) -> int:
        return self.cohort - PROGRAMME_YEARS

    @property
    def name(self) -> str:
        return f"{self.major.abbreviation}{self.entry_year % 100:02d}{self.number:02d}"


def split_by_weight(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder apportionment: integer shares that add up to `total` exactly."""
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    counts = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def plan_classes(
    cohort: int, size: int, majors: tuple[MajorSpec, ...], rng: random.Random
) -> list[ClassPlan]:
    """Split a cohort over majors (popularity varies a little by year) and into classes."""
    weights = [m.popularity * rng.uniform(0.85, 1.15) for m in majors]
    plans: list[ClassPlan] = []
    for major, count in zip(majors, split_by_weight(size, weights), strict=True):
        if count == 0:
            continue
        n_classes = max(1, round(count / CLASS_SIZE), math.ceil(count / MAX_CLASS_SIZE))
        for number, class_size in enumerate(split_by_weight(count, [1.0] * n_classes), 1):
            plans.append(ClassPlan(major, cohort, number, class_size))
    return plans
