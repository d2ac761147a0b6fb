"""Family, health and wellbeing records: what the aid and psych centres hold on a student.

Rates follow what Henan vocational colleges report: a quarter to a third of students are
assessed as in hardship each year, about 8% come from families lifted out of poverty, and
the entry mental-health screening (UPI) flags about 15% for attention, 4% as key concern.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from jingzhun.students.demo.cohorts import DEMO_TODAY, academic_years
from jingzhun.students.demo.people import Profile
from jingzhun.students.models import (
    DisabilityRecord,
    FamilyEconomicStatus,
    PriorityGroupEvidence,
    PsychScreening,
    StudentRecord,
)

_LEVELS = ("none", "somewhat", "difficult", "special")
_INCOME_RANGES = {0: (13000, 30000), 1: (8000, 13000), 2: (4500, 8500), 3: (1800, 4500)}

# group → (certificate type, issuing office suffix, years valid)
_EVIDENCE = {
    "poverty_alleviated": ("脱贫户认定证明", "乡村振兴局", 3),
    "minimum_living": ("最低生活保障证", "民政局", 1),
    "zero_employment": ("零就业家庭认定证明", "人力资源和社会保障局", 1),
    "extreme_poverty": ("特困人员救助供养证", "民政局", 3),
    "disabled_family": ("残疾人证（家庭成员）", "残疾人联合会", 10),
    "disabled_student": ("残疾人证", "残疾人联合会", 10),
}
# Disability categories with the digit the second-generation certificate number uses.
_DISABILITY = (("visual", 1, 15), ("hearing", 2, 20), ("speech", 3, 5), ("physical", 4, 45),
               ("intellectual", 5, 3), ("mental", 6, 5), ("multiple", 7, 7))  # fmt: skip
_PSYCH_LEVELS = ("normal", "attention", "key")
_PSYCH_NOTES = ("", "辅导员跟踪关注，每月谈心一次", "已约谈，转介心理健康教育中心")


def family_records(rng: random.Random, p: Profile) -> list[StudentRecord]:
    records: list[StudentRecord] = []
    records += _economic_statuses(rng, p)
    disability = _disability(rng, p) if p.disabled else None
    if disability is not None:
        records.append(disability)
    number = disability.certificate_number if disability else ""
    records += _priority_evidence(rng, p, disability_certificate=number)
    records += _psych_screenings(rng, p)
    return records


def _economic_statuses(rng: random.Random, p: Profile) -> list[FamilyEconomicStatus]:
    """One assessment per academic year for students who applied; levels drift a little."""
    if p.hardship == 0 and rng.random() >= 0.06:
        return []
    level = p.hardship
    statuses = []
    for year in academic_years(p.entry_year, p.cohort):
        if p.hardship and rng.random() < 0.12:
            level = min(3, max(1, level + rng.choice((-1, 1))))
        low, high = _INCOME_RANGES[level]
        statuses.append(
            FamilyEconomicStatus(
                academic_year=year,
                level=_LEVELS[level],
                assessed_by="学生资助中心",
                assessed_on=date(int(year[:4]), 10, rng.randint(8, 28)),
                per_capita_income=Decimal(rng.randrange(low, high, 10)),
            )
        )
    return statuses


def _priority_evidence(
    rng: random.Random, p: Profile, *, disability_certificate: str
) -> list[PriorityGroupEvidence]:
    evidence = []
    for group in p.groups:
        certificate_type, office, years = _EVIDENCE[group]
        valid_from = date(p.entry_year, rng.randint(3, 8), rng.randint(1, 28))
        evidence.append(
            PriorityGroupEvidence(
                group=group,
                certificate_type=certificate_type,
                certificate_number=(
                    disability_certificate
                    if group == "disabled_student"
                    else f"{p.county.code}{valid_from.year}{rng.randrange(100000):05d}"
                ),
                issuer=f"{p.county.office_prefix}{office}",
                valid_from=valid_from,
                valid_to=valid_from.replace(year=valid_from.year + years) - timedelta(days=1),
            )
        )
    return evidence


def _disability(rng: random.Random, p: Profile) -> DisabilityRecord:
    """The second-generation certificate number is the ID number + category + grade."""
    category, digit, _ = rng.choices(_DISABILITY, weights=[w for *_, w in _DISABILITY])[0]
    grade = rng.choices((1, 2, 3, 4), weights=(5, 15, 35, 45))[0]
    number = f"{p.id_number}{digit}{grade}"
    issued = date(p.entry_year - rng.randint(1, 8), rng.randint(1, 12), rng.randint(1, 28))
    return DisabilityRecord(
        category=category,
        grade=grade,
        certificate_number=number,
        issuer=f"{p.county.office_prefix}残疾人联合会",
        valid_to=issued.replace(year=issued.year + 10),
    )


def _psych_screenings(rng: random.Random, p: Profile) -> list[PsychScreening]:
    """UPI for everyone at entry; key-concern students are re-assessed with SCL-90 in spring."""
    screenings = [
        PsychScreening(
            screened_on=date(p.entry_year, 9, rng.randint(18, 30)),
            instrument="UPI",
            level=_PSYCH_LEVELS[p.psych],
            note=_PSYCH_NOTES[p.psych],
        )
    ]
    follow_up = date(p.entry_year + 1, 4, rng.randint(8, 26))
    if p.psych == 2 and follow_up <= DEMO_TODAY:
        level = 2 if rng.random() < 0.5 else 1
        screenings.append(
            PsychScreening(
                screened_on=follow_up,
                instrument="SCL-90",
                level=_PSYCH_LEVELS[level],
                note=_PSYCH_NOTES[level],
            )
        )
    return screenings
