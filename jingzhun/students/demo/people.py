"""One demo student as latent traits, drawn before any record is written.

The traits (aptitude, job-search drive, family hardship, psychological concern) are the
hidden truth; the record builders turn them into what a college would actually hold, and
the graduate outcome is drawn from both. That is what lets a risk model trained on the
records find a real signal.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from jingzhun.core.idcard import check_character
from jingzhun.students.demo import names
from jingzhun.students.demo.cohorts import ClassPlan
from jingzhun.students.demo.regions import COUNTIES, COUNTY_CUM_WEIGHTS, County

# Age on 1 September of the entry year, with its share of the intake.
_ENTRY_AGES = (17, 18, 19, 20)
_ENTRY_AGE_CUM_WEIGHTS = tuple(accumulate((0.08, 0.62, 0.24, 0.06)))


@dataclass(slots=True)
class Profile:
    """Latent traits of one generated student, plus what their records came to show."""

    cohort: int
    entry_year: int
    graduated: bool
    family: str  # the major's family in the catalogue
    gender: str
    county: County
    rural: bool
    name: str
    ethnicity: str
    id_number: str
    phone: str
    ability: float  # academic aptitude, standard normal
    drive: float  # job-search engagement, standard normal
    groups: list[str] = field(default_factory=list)
    hardship: int = 0  # 0 none, 1 somewhat, 2 difficult, 3 especially difficult
    disabled: bool = False
    psych: int = 0  # 0 no concern, 1 needs attention, 2 key concern
    suspended: bool = False
    failed_total: int = 0
    max_warning: int = 0
    certificates: int = 0
    internship: bool = False
    internship_employer: str = ""
    internship_city: str = ""
    plan: str = ""


class IdNumberAllocator:
    """Hands out unique, valid ID numbers.

    Real numbers are unique because each registration office counts up a sequence per birth
    date; doing the same per (region, birth date, gender) avoids remembering every number.
    """

    def __init__(self, rng: random.Random) -> None:
        odd, even = list(range(1, 1000, 2)), list(range(2, 1000, 2))
        rng.shuffle(odd)
        rng.shuffle(even)
        self._sequences = {"M": odd, "F": even}
        self._issued: dict[str, int] = {}

    def allocate(self, region: str, birth: date, gender: str) -> str | None:
        cell = f"{region}{birth:%Y%m%d}{gender}"
        issued = self._issued.get(cell, 0)
        sequences = self._sequences[gender]
        if issued >= len(sequences):
            return None
        self._issued[cell] = issued + 1
        first17 = f"{region}{birth:%Y%m%d}{sequences[issued]:03d}"
        return first17 + check_character(first17)


def draw_birth_date(rng: random.Random, entry_year: int) -> date:
    age = rng.choices(_ENTRY_AGES, cum_weights=_ENTRY_AGE_CUM_WEIGHTS)[0]
    return date(entry_year - age, 9, 1) - timedelta(days=rng.randrange(365))


def draw_id_number(
    rng: random.Random, ids: IdNumberAllocator, region: str, entry_year: int, gender: str
) -> str:
    while True:
        number = ids.allocate(region, draw_birth_date(rng, entry_year), gender)
        if number is not None:
            return number


def draw_profile(
    rng: random.Random, plan: ClassPlan, ids: IdNumberAllocator, *, graduated: bool
) -> Profile:
    gender = "M" if rng.random() < plan.major.male_share else "F"
    county = rng.choices(COUNTIES, cum_weights=COUNTY_CUM_WEIGHTS)[0]
    rural = rng.random() < county.rural_share
    profile = Profile(
        cohort=plan.cohort,
        entry_year=plan.entry_year,
        graduated=graduated,
        family=plan.major.family,
        gender=gender,
        county=county,
        rural=rural,
        name=names.chinese_name(rng, gender),
        ethnicity=names.ethnicity(rng),
        id_number=draw_id_number(rng, ids, county.code, plan.entry_year, gender),
        phone=names.mobile_number(rng),
        ability=rng.gauss(0.0, 1.0),
        drive=rng.gauss(0.0, 1.0),
    )
    _draw_family(rng, profile)
    _draw_wellbeing(rng, profile)
    return profile


def _draw_family(rng: random.Random, p: Profile) -> None:
    """Priority groups first (they come with evidence), then the hardship level they imply."""
    rural = p.rural
    odds = (
        ("poverty_alleviated", 0.105 if rural else 0.02),
        ("minimum_living", 0.032 if rural else 0.025),
        ("zero_employment", 0.001 if rural else 0.014),
        ("extreme_poverty", 0.003),
        ("disabled_family", 0.01),
    )
    p.groups = [group for group, chance in odds if rng.random() < chance]
    p.disabled = rng.random() < 0.005
    if p.disabled:
        p.groups.append("disabled_student")
    p.hardship = _hardship_level(rng, p.groups, rural)
    # Hardship costs study time (part-time jobs, no tutoring): a small, real penalty.
    p.ability -= 0.12 * (p.hardship >= 2)


def _hardship_level(rng: random.Random, groups: list[str], rural: bool) -> int:
    roll = rng.random()
    if "extreme_poverty" in groups or {"poverty_alleviated", "minimum_living"} <= set(groups):
        return 3
    if "minimum_living" in groups:
        return 3 if roll < 0.45 else 2
    if "poverty_alleviated" in groups:
        return 3 if roll < 0.35 else 2 if roll < 0.9 else 1
    if groups:
        return 3 if roll < 0.1 else 2 if roll < 0.7 else 1
    if roll >= (0.21 if rural else 0.07):
        return 0
    level_roll = rng.random()
    return 3 if level_roll < 0.12 else 2 if level_roll < 0.57 else 1


def _draw_wellbeing(rng: random.Random, p: Profile) -> None:
    strained = p.hardship >= 2
    key = 0.035 + 0.02 * strained + 0.04 * p.disabled
    attention = key + 0.10 + 0.03 * strained
    roll = rng.random()
    p.psych = 2 if roll < key else 1 if roll < attention else 0
    # 休学: illness (mostly psychological) and enlistment while keeping one's place.
    if not p.graduated:
        chance = 0.004 + 0.03 * (p.psych == 2) + 0.004 * (p.gender == "M")
        p.suspended = rng.random() < chance
