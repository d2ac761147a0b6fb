"""Internships, job-search intentions and the graduate destination (the outcome label).

The destination is drawn last, from the traits and from what the other records show: failed
courses and academic warnings, a key psychological concern, no placement internship, no
certificate, hardship and disability all raise the chance of 70/71/72 (not placed). The
overall mix matches what Henan vocational colleges report: about 45% labour contracts (11),
18% upgrading to a bachelor's programme (80), 10% not placed.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from jingzhun.students.demo import employers
from jingzhun.students.demo.catalogue import INSTITUTION_NAME
from jingzhun.students.demo.cohorts import DEMO_TODAY, current_cohorts
from jingzhun.students.demo.people import Profile
from jingzhun.students.models import GraduateDestination, Internship, JobIntention, StudentRecord

_PLANS = (
    "employment",
    "upgrade",
    "civil_service",
    "military",
    "entrepreneurship",
    "abroad",
    "not_yet",
)
# Employment routes once a graduate takes a job: (code, share) before the aptitude tilt.
_JOB_CODES = (("11", 0.66), ("10", 0.14), ("12", 0.10), ("76", 0.065), ("75", 0.015),
              ("27", 0.01), ("50", 0.005), ("51", 0.005))  # fmt: skip


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def career_records(rng: random.Random, p: Profile) -> list[StudentRecord]:
    records: list[StudentRecord] = [*_internships(rng, p)]
    p.plan = _draw_plan(rng, p)
    intention = _intention(rng, p)
    if intention is not None:
        records.append(intention)
    if p.graduated:
        records.append(_destination(rng, p))
    return records


def _internships(rng: random.Random, p: Profile) -> list[Internship]:
    internships = []
    summer = date(p.entry_year + 2, 7, rng.randint(1, 20))
    if rng.random() < 0.1 and summer + timedelta(days=56) <= DEMO_TODAY:
        internships.append(
            _internship(rng, p, summer, summer + timedelta(days=rng.randint(28, 56)))
        )
    placement = _placement(rng, p)
    if placement is not None:
        internships.append(placement)
        p.internship = True
        p.internship_employer = placement.employer_name if placement.related_to_major else ""
        p.internship_city = placement.city
    return internships


def _placement(rng: random.Random, p: Profile) -> Internship | None:
    """岗位实习 in the final year: started by now for some current final-year students."""
    final_year = p.cohort - 1
    start = date(final_year, 9, 15) + timedelta(days=rng.randint(0, 180))
    if start > DEMO_TODAY or p.suspended:
        return None
    z = 2.3 + 0.6 * p.drive + 0.3 * p.ability - 0.9 * (p.psych == 2) - 0.5 * p.disabled
    if rng.random() >= _sigmoid(z):
        return None
    end = date(p.cohort, 5, 20) + timedelta(days=rng.randint(0, 36))
    if rng.random() < 0.1:  # left early
        end = start + timedelta(days=rng.randint(30, 90))
    return _internship(rng, p, start, end if end <= DEMO_TODAY else None)


def _internship(rng: random.Random, p: Profile, start: date, end: date | None) -> Internship:
    related = rng.random() < 0.72 + 0.08 * p.ability
    family = p.family if related else rng.choice(("commerce", "manufacturing", "it"))
    city = employers.work_city(rng, p.county.city)
    rating = None
    if end is not None:
        rating = min(5, max(1, round(3.6 + 0.5 * p.drive + 0.3 * p.ability + rng.gauss(0, 0.6))))
    return Internship(
        employer_name=employers.employer_name(rng, family, city),
        position=employers.occupation(rng, family),
        city=city,
        start_date=start,
        end_date=end,
        related_to_major=related,
        rating=rating,
    )


def _draw_plan(rng: random.Random, p: Profile) -> str:
    strained = p.hardship >= 2
    weights = (  # in the order of _PLANS
        60 * (1.2 if strained else 1.0),
        27 * math.exp(0.45 * p.ability) * (0.8 if strained else 1.0),
        3,
        5 if p.gender == "M" else 0.4,
        2 * math.exp(0.3 * p.drive),
        0.4 * (0.3 if p.hardship else 1.0),
        5 * math.exp(-0.6 * p.drive) * (1.5 if p.psych == 2 else 1.0),
    )
    return rng.choices(_PLANS, weights=weights)[0]


def _intention(rng: random.Random, p: Profile) -> JobIntention | None:
    """Surveyed in the autumn of the final year; some also in the spring of the second."""
    final_cohort = p.cohort if p.graduated else current_cohorts()[0]  # in its final year
    if p.cohort == final_cohort and rng.random() < 0.92:
        recorded = date(p.cohort - 1, 10, 10) + timedelta(days=rng.randint(0, 40))
    elif p.cohort == final_cohort + 1 and rng.random() < 0.25:
        recorded = date(p.cohort - 2, 5, rng.randint(6, 28))
    else:
        return None
    intention = JobIntention(
        recorded_on=recorded, plan=p.plan, city=employers.work_city(rng, p.county.city)
    )
    if p.plan in ("employment", "entrepreneurship", "not_yet"):
        base = employers.monthly_salary(rng, p.family, intention.city, p.ability)
        intention.occupation = employers.occupation(rng, p.family)
        intention.salary_min = round(base * rng.uniform(0.8, 1.0) / 500) * 500
        intention.salary_max = intention.salary_min + 500 * rng.randint(2, 6)
    return intention


def not_placed_chance(p: Profile) -> float:
    """The true chance of 70/71/72, public so a trained model can be checked against it."""
    z = (
        -3.6
        + 0.22 * min(p.failed_total, 12)
        + 0.45 * p.max_warning
        + 1.1 * (p.psych == 2)
        + 0.35 * (p.psych == 1)
        + 0.9 * (not p.internship)
        + 0.35 * (p.certificates == 0)
        + 0.35 * (p.hardship >= 2)
        + 0.7 * p.disabled
        - 0.45 * p.drive
        + 1.0 * (p.plan == "not_yet")
    )
    return _sigmoid(z)


def _destination_code(rng: random.Random, p: Profile) -> str:
    if rng.random() < not_placed_chance(p):
        if p.plan == "upgrade":
            return "71" if rng.random() < 0.8 else "70"
        return (
            "72"
            if rng.random() < (0.7 if p.plan in ("not_yet", "civil_service") else 0.15)
            else "70"
        )
    roll = rng.random()
    if p.plan == "upgrade" and roll < _sigmoid(0.9 + 1.1 * p.ability - 0.08 * p.failed_total):
        return "80"
    if p.plan == "military" and p.gender == "M" and roll < 0.75:
        return "46"
    if p.plan == "civil_service" and roll < 0.25:
        return "50" if roll < 0.12 else "51"
    if p.plan == "entrepreneurship" and roll < 0.75:
        return "75" if roll < 0.55 else "76"
    if p.plan == "abroad" and roll < 0.7:
        return "85"
    tilt = {
        "10": math.exp(0.35 * p.ability),
        "12": math.exp(-0.3 * p.ability),
        "76": math.exp(-0.2 * p.ability),
    }
    weights = [share * tilt.get(code, 1.0) for code, share in _JOB_CODES]
    return rng.choices([code for code, _ in _JOB_CODES], weights=weights)[0]


def _destination(rng: random.Random, p: Profile) -> GraduateDestination:
    code = _destination_code(rng, p)
    employer, city, salary = _destination_details(rng, p, code)
    placed = code not in ("70", "71", "72")
    recorded = date(p.cohort, 3, 1) + timedelta(
        days=rng.randint(0, 120) if placed else rng.randint(110, 183)
    )
    verified_rate = 0.7 if p.cohort == DEMO_TODAY.year else 0.9
    return GraduateDestination(
        code_id=code,
        employer_name=employer,
        city=city,
        monthly_salary=salary,
        recorded_on=recorded,
        verified=rng.random() < verified_rate,
    )


def _destination_details(rng: random.Random, p: Profile, code: str) -> tuple[str, str, int | None]:
    home = p.county.city
    if code in ("10", "11", "12"):
        city = (
            p.internship_city
            if p.internship_employer and rng.random() < 0.4
            else employers.work_city(rng, home)
        )
        employer = (
            p.internship_employer if city == p.internship_city and p.internship_employer else ""
        )
        employer = employer or employers.employer_name(rng, p.family, city)
        return employer, city, employers.monthly_salary(rng, p.family, city, p.ability)
    if code == "80":
        return (*rng.choice(employers.UPGRADE_UNIVERSITIES), None)
    if code == "85":
        return (*rng.choice(employers.ABROAD), None)
    if code == "46":
        return "中国人民解放军某部", "", None
    if code == "27":
        return INSTITUTION_NAME, "郑州市", rng.randrange(3000, 3600, 100)  # colleges keep a few
    if code in ("50", "51"):
        project = "三支一扶计划" if code == "50" else "社区工作者专项招聘"
        return f"{p.county.office_prefix}{project}", home, rng.randrange(2600, 3300, 100)
    if code in ("75", "76"):
        city = employers.work_city(rng, home)
        employer = employers.employer_name(rng, "commerce", city) if code == "75" else ""
        return employer, city, rng.randrange(employers.MINIMUM_WAGE + 300, 8000, 100)
    return "", "", None
