"""Build the feature table of a population: one row per student, columns of the catalogue.

Each registry table is read once for the whole population (set-based) and reduced with
pandas; nothing here loops over students in Python.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from django.db.models import QuerySet

from jingzhun.students.models import (
    AcademicResult,
    Certificate,
    DisabilityRecord,
    FamilyEconomicStatus,
    Internship,
    JobIntention,
    PriorityGroupEvidence,
    PsychScreening,
    Student,
)


def _frame(qs: QuerySet, columns: list[str]) -> pd.DataFrame:  # type: ignore[type-arg]
    return pd.DataFrame.from_records(list(qs.values_list(*columns)), columns=columns)


def _latest(frame: pd.DataFrame, order: str, value: str) -> pd.Series:
    if frame.empty:
        return pd.Series(dtype=object)
    return frame.sort_values(order).groupby("student_id")[value].last()


def _academic(population: QuerySet) -> pd.DataFrame:  # type: ignore[type-arg]
    cols = ["student_id", "term", "failed_courses", "gpa", "credits_owed", "academic_warning"]
    frame = _frame(AcademicResult.objects.filter(student__in=population), cols)
    if frame.empty:
        return pd.DataFrame(
            columns=[
                "failed_courses_last2",
                "failed_courses_total",
                "gpa_latest",
                "credits_owed",
                "academic_warning",
            ]
        )
    frame = frame.sort_values(["student_id", "term"])
    grouped = frame.groupby("student_id")
    return pd.DataFrame({
        "failed_courses_last2": grouped["failed_courses"].apply(lambda s: s.tail(2).sum()),
        "failed_courses_total": grouped["failed_courses"].sum(),
        "gpa_latest": grouped["gpa"].last().astype(float),
        "credits_owed": grouped["credits_owed"].last().astype(float),
        "academic_warning": grouped["academic_warning"].max(),
    })  # fmt: skip


def _counts(model: type, population: QuerySet) -> pd.Series:  # type: ignore[type-arg]
    frame = _frame(model.objects.filter(student__in=population), ["student_id"])  # type: ignore[attr-defined]
    return frame.groupby("student_id").size() if not frame.empty else pd.Series(dtype=int)


def feature_frame(population: QuerySet[Student], *, as_of: dt.date) -> pd.DataFrame:
    """The catalogue's columns for every student of `population`, indexed by student id."""
    base = _frame(population, ["id", "cohort", "hukou_type"]).set_index("id")
    frame = pd.DataFrame(index=base.index)
    frame = frame.join(_academic(population))
    economic = _frame(
        FamilyEconomicStatus.objects.filter(student__in=population),
        ["student_id", "academic_year", "level"],
    )
    frame["economic_level"] = _latest(economic, "academic_year", "level")
    psych = _frame(
        PsychScreening.objects.filter(student__in=population),
        ["student_id", "screened_on", "level"],
    )
    frame["psych_level"] = _latest(psych, "screened_on", "level")
    intentions = _frame(
        JobIntention.objects.filter(student__in=population), ["student_id", "recorded_on", "plan"]
    )
    frame["intention_plan"] = _latest(intentions, "recorded_on", "plan")
    frame["intention_plan"] = frame["intention_plan"].fillna("")
    for name, model in (
        ("priority_groups", PriorityGroupEvidence),
        ("internships", Internship),
        ("certificates", Certificate),
    ):
        frame[name] = _counts(model, population).reindex(frame.index).fillna(0).astype(int)
    frame["has_disability"] = (
        _counts(DisabilityRecord, population).reindex(frame.index).fillna(0) > 0
    )
    # A cohort graduates in June; "years to graduation" counts from the run date.
    frame["years_to_graduation"] = (
        base["cohort"] - as_of.year - (1 if as_of.month >= 7 else 0)
    ).clip(lower=0)
    frame["rural"] = base["hukou_type"] == Student.HukouType.RURAL
    frame["failed_courses_last2"] = frame["failed_courses_last2"].fillna(0)
    frame["failed_courses_total"] = frame["failed_courses_total"].fillna(0)
    return frame
