"""A seeded, invented population of graduating cohorts for tests and demonstrations.

The outcome depends only on the model's features; hukou and gender shift some features (rural
students have fewer internships) so the fairness report has something real to show. Nothing
here describes real students.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from jingzhun.data.ml.schema import FeatureKind, FeatureSchema, FeatureSpec
from jingzhun.data.ml.training import COHORT, LABEL

SYNTHETIC_SCHEMA = FeatureSchema(
    (
        FeatureSpec("gpa", FeatureKind.NUMERIC, "平均学分绩点"),
        FeatureSpec("failed_courses_last2", FeatureKind.NUMERIC, "近两学期不及格课程"),
        FeatureSpec("internship_months", FeatureKind.NUMERIC, "实习时长"),
        FeatureSpec("career_events", FeatureKind.NUMERIC, "就业指导活动参与"),
        FeatureSpec("attendance_rate", FeatureKind.NUMERIC, "出勤率"),
        FeatureSpec("school", FeatureKind.CATEGORICAL, "二级学院"),
    )
)
SCHOOLS = ("S01", "S02", "S03", "S04")
SCHOOL_EFFECT = {"S01": -0.3, "S02": 0.0, "S03": 0.3, "S04": 0.6}
BASE_LOGIT = -1.5
COHORT_DRIFT = 0.1  # each later cohort finds work a little harder
NO_EXPERIENCE_EFFECT = 1.2  # no internship and no guidance at all: an interaction trees can find


def _cohort(rng: np.random.Generator, cohort: int, offset: int, rows: int) -> pd.DataFrame:
    rural = rng.random(rows) < 0.45
    gpa = np.clip(rng.normal(2.9, 0.55, rows), 0.0, 4.0)
    failed = rng.poisson(np.clip(2.6 - gpa, 0.05, None) * 0.9)
    internship = np.clip(rng.poisson(np.where(rural, 2.0, 3.5)), 0, 12).astype(float)
    events = rng.poisson(2.0, rows).astype(float)
    attendance = np.round(np.clip(rng.normal(0.9, 0.06, rows), 0.5, 1.0), 2)
    school = rng.choice(SCHOOLS, rows, p=(0.3, 0.3, 0.2, 0.2))
    logit = (
        BASE_LOGIT
        + COHORT_DRIFT * offset
        + 0.8 * failed
        - 1.4 * (gpa - 2.9)
        - 0.3 * internship
        - 0.25 * events
        - 6.0 * (attendance - 0.9)
        + NO_EXPERIENCE_EFFECT * ((internship == 0) & (events == 0))
        + np.vectorize(SCHOOL_EFFECT.get)(school)
    )
    outcome = rng.random(rows) < 1.0 / (1.0 + np.exp(-logit))
    return pd.DataFrame(
        {
            "gpa": np.round(gpa, 2),
            "failed_courses_last2": failed.astype(float),
            "internship_months": internship,
            "career_events": events,
            "attendance_rate": attendance,
            "school": school,
            "gender": rng.choice(("男", "女"), rows),
            "ethnicity": np.where(rng.random(rows) < 0.1, "少数民族", "汉族"),
            "hukou_type": np.where(rural, "农村", "城镇"),
            COHORT: cohort,
            LABEL: outcome.astype(int),
        }
    )


def synthetic_cohorts(
    cohorts: Sequence[int] = (2021, 2022, 2023, 2024), rows_per_cohort: int = 500, seed: int = 7
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = [_cohort(rng, c, i, rows_per_cohort) for i, c in enumerate(cohorts)]
    return pd.concat(parts, ignore_index=True)
