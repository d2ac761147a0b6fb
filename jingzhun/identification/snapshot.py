"""Build the feature table of a population: one row per student, columns of the catalogue,
as the registry stood at a point in time.

Each registry table is read once for the whole population (set-based) and reduced with
pandas; nothing here loops over students in Python. A record counts only from the day it was
known (`known_on`), so a run dated in the past, or a graduated cohort seen at the same point
of its own studies for training, sees what a counsellor could have seen then.

When a record was known is read from its own dates; where the registry keeps none, the
snapshot approximates:
- a term's results are known from 1 February (first term) or 15 July (second term) of the
  term's second calendar year, whatever day the college actually published them;
- a family economic assessment is known from its `assessed_on`, else from 1 October of its
  academic year;
- disability records, priority-group evidence without `valid_from` and certificates without
  an issue date count as always known; expired evidence still counts;
- the registry keeps only the latest value of a record, so a grade corrected after the point
  (a resit entered over the original row) is seen corrected.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from django.db import connections
from django.db.models import CharField, FloatField, QuerySet
from django.db.models.functions import Cast

from jingzhun.behaviour.selectors import behaviour_frame, behaviour_latest
from jingzhun.data.periods import term_labels
from jingzhun.identification.catalogue import BEHAVIOUR_FEATURES, POINT
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

STUDENT = "student_id"
KNOWN_ON = "known_on"
_ROW = "_row"
ACADEMIC_COLUMNS = [
    "failed_courses_last2",
    "failed_courses_total",
    "gpa_latest",
    "credits_owed",
    "academic_warning",
]


def _read(
    qs: QuerySet,  # type: ignore[type-arg]
    columns: list[str],
    *,
    floats: tuple[str, ...] = (),
    dates: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Rows of `qs` as a frame, straight from the cursor. Decimals come as floats and dates as
    ISO text, cast in SQL: per-value conversion to Decimal and date objects (the ORM's, and
    the converters Django registers with sqlite3) costs more than the query on a million
    rows. No ORDER BY: the model's default ordering would sort millions of rows for nothing."""
    casts = {f"{name}_v": Cast(name, FloatField()) for name in floats} | {
        f"{name}_v": Cast(name, CharField()) for name in dates
    }
    selected = [f"{name}_v" if name in floats or name in dates else name for name in columns]
    query = qs.order_by().annotate(**casts).values_list(*selected).query
    sql, params = query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    frame = pd.DataFrame.from_records(rows, columns=names)
    return frame.rename(columns=dict(zip(selected, columns, strict=True)))[columns]


def _dates(values: pd.Series) -> pd.Series:
    """ISO date text (None for no date) as datetime64; NaT where there is no date."""
    return pd.to_datetime(values, format="ISO8601", errors="coerce")


def _term_known_on(code: str) -> dt.date:
    """`2024-2025-1` → 2025-02-01, `2024-2025-2` → 2025-07-15; unreadable codes always count."""
    try:
        year = int(code[:4]) + 1
    except ValueError:
        return dt.date.min
    return dt.date(year, 2, 1) if code.endswith("-1") else dt.date(year, 7, 15)


def _at_points(records: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """Each record joined to every point of its student, kept only if known by that point."""
    if points[STUDENT].is_unique:
        keyed = _at_only_point(records, points)
    else:
        keyed = records.merge(points, on=STUDENT, how="inner")
    known = keyed[KNOWN_ON]
    return keyed[known.isna() | (known <= keyed[POINT])]


def _at_only_point(records: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """The inner join of `_at_points` when each student has one point (a run): a position
    lookup instead of a join of millions of rows. Same rows, order and columns as the join."""
    position = pd.Index(points[STUDENT]).get_indexer(records[STUDENT])
    matched = position >= 0
    keyed = records[matched].reset_index(drop=True)
    for name in points.columns.drop(STUDENT):
        keyed[name] = points[name].to_numpy()[position[matched]]
    return keyed


def _latest(records: pd.DataFrame, order: str, value: str) -> pd.Series:
    if records.empty:
        return pd.Series(dtype=object)
    return records.sort_values(order, kind="stable").groupby(_ROW)[value].last()


def _count(records: pd.DataFrame, index: pd.Index) -> pd.Series:
    counts = records.groupby(_ROW).size() if not records.empty else pd.Series(dtype=int)
    return counts.reindex(index).fillna(0).astype(int)


def _academic(population: QuerySet, points: pd.DataFrame) -> pd.DataFrame:  # type: ignore[type-arg]
    cols = [STUDENT, "term", "failed_courses", "gpa", "credits_owed", "academic_warning"]
    frame = _read(
        AcademicResult.objects.filter(student__in=population), cols, floats=("gpa", "credits_owed")
    )
    if frame.empty:
        return pd.DataFrame(columns=ACADEMIC_COLUMNS, dtype="float64")
    # Converted once per distinct term (a few dozen), not once per row (millions).
    codes, terms = pd.factorize(frame["term"])
    known = np.array([_term_known_on(t) for t in terms], dtype="datetime64[D]")
    frame[KNOWN_ON] = pd.to_datetime(known[codes])
    frame["term_rank"] = np.argsort(np.argsort(terms))[codes]  # terms sort as text
    frame = _at_points(frame, points)
    if frame.empty:
        return pd.DataFrame(columns=ACADEMIC_COLUMNS, dtype="float64")
    frame = frame.sort_values("term_rank", kind="stable")
    grouped = frame.groupby(_ROW)
    # The last two known terms of each row: count positions from the end within the row.
    last_two = frame["failed_courses"].where(grouped.cumcount(ascending=False) < 2, 0)
    return pd.DataFrame({
        "failed_courses_last2": last_two.groupby(frame[_ROW]).sum(),
        "failed_courses_total": grouped["failed_courses"].sum(),
        "gpa_latest": grouped["gpa"].last().astype(float),
        "credits_owed": grouped["credits_owed"].last().astype(float),
        "academic_warning": grouped["academic_warning"].max(),
    })  # fmt: skip


def _economic(population: QuerySet, points: pd.DataFrame) -> pd.Series:  # type: ignore[type-arg]
    cols = [STUDENT, "academic_year", "level", "assessed_on"]
    frame = _read(
        FamilyEconomicStatus.objects.filter(student__in=population), cols, dates=("assessed_on",)
    )
    if frame.empty:
        return pd.Series(dtype=object)
    codes, years = pd.factorize(frame["academic_year"])
    autumn = np.array([f"{y[:4]}-10-01" if y[:4].isdigit() else None for y in years])
    fallback = _dates(pd.Series(autumn[codes], index=frame.index))
    frame[KNOWN_ON] = _dates(frame["assessed_on"]).fillna(fallback)
    return _latest(_at_points(frame, points), "academic_year", "level")


def _dated(
    model: type, population: QuerySet, points: pd.DataFrame, date: str | None, *values: str
) -> pd.DataFrame:  # type: ignore[type-arg]
    """A record table with `known_on` from its own date column (None: always known)."""
    cols = [STUDENT, *([date] if date else []), *values]
    records = model.objects.filter(student__in=population)  # type: ignore[attr-defined]
    frame = _read(records, cols, dates=(date,) if date else ())
    frame[KNOWN_ON] = _dates(frame[date]) if date else pd.Series(pd.NaT, index=frame.index)
    return _at_points(frame, points)


def _behaviour(population: QuerySet, points: pd.DataFrame) -> pd.DataFrame:  # type: ignore[type-arg]
    """Each point's behaviour features: from the institution's newest snapshot, the row of
    the point's term or, failing that, of the latest term before it."""
    institution = population.order_by().values_list("institution_id", flat=True).first()
    snapshot = behaviour_latest(institution_id=institution) if institution else None
    rows = behaviour_frame(snapshot, population)
    if rows.empty:
        return pd.DataFrame()
    keyed = rows.merge(
        points.assign(point_term=term_labels(points[POINT])), on=STUDENT, how="inner"
    )
    keyed = keyed[keyed["term"] <= keyed["point_term"]]
    # The whole row of the newest term (GroupBy.last would fill a missing value of that term
    # from an older one).
    return (
        keyed.sort_values("term", kind="stable").drop_duplicates(_ROW, keep="last").set_index(_ROW)
    )


def feature_frame(population: QuerySet[Student], *, as_of: dt.date) -> pd.DataFrame:
    """The catalogue's columns for every student of `population` at `as_of`, by student id."""
    base = _students(population)
    ids = base.index.to_numpy()
    points = pd.DataFrame({STUDENT: ids, POINT: as_of}, index=pd.Index(ids, name="id"))
    return feature_frame_at(population, points, students=base)


STUDENT_COLUMNS = ["id", "cohort", "hukou_type", "hukou_region_code", "major__name"]


def _students(population: QuerySet[Student]) -> pd.DataFrame:
    return _read(population, STUDENT_COLUMNS).set_index("id")


def feature_frame_at(
    population: QuerySet[Student], points: pd.DataFrame, *, students: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per point, keeping `points`' (unique) index: the features of `student_id` as
    known on `as_of`. A student may have several points (one per year of study). `students`:
    the population's STUDENT_COLUMNS by id, when the caller has already read them."""
    points = pd.DataFrame(
        {STUDENT: points[STUDENT].to_numpy(), POINT: pd.to_datetime(points[POINT]).to_numpy()},
        index=points.index,
    )
    keyed = points.rename_axis(_ROW).reset_index()
    base = _students(population) if students is None else students
    frame = pd.DataFrame(index=points.index).join(_academic(population, keyed))
    frame["economic_level"] = _economic(population, keyed)
    psych = _dated(PsychScreening, population, keyed, "screened_on", "level")
    frame["psych_level"] = _latest(psych, "screened_on", "level")
    intentions = _dated(JobIntention, population, keyed, "recorded_on", "plan")
    frame["intention_plan"] = _latest(intentions, "recorded_on", "plan")
    frame["intention_plan"] = frame["intention_plan"].fillna("")
    frame["intention_recorded_on"] = _latest(intentions, KNOWN_ON, KNOWN_ON)
    for name, model, date in (
        ("priority_groups", PriorityGroupEvidence, "valid_from"),
        ("internships", Internship, "start_date"),
        ("certificates", Certificate, "issued_on"),
    ):
        frame[name] = _count(_dated(model, population, keyed, date), frame.index)
    frame["has_disability"] = (
        _count(_dated(DisabilityRecord, population, keyed, None), frame.index) > 0
    )
    frame["years_to_graduation"] = years_to_graduation(
        points[STUDENT].map(base["cohort"]), points[POINT]
    )
    frame["rural"] = points[STUDENT].map(base["hukou_type"]) == Student.HukouType.RURAL
    frame["major_name"] = points[STUDENT].map(base["major__name"]).fillna("")
    frame["hukou_region_code"] = points[STUDENT].map(base["hukou_region_code"]).fillna("")
    frame[POINT] = points[POINT]
    behaviour = _behaviour(population, keyed)
    for name in BEHAVIOUR_FEATURES:
        frame[name] = behaviour.get(name, np.nan)
    frame["failed_courses_last2"] = frame["failed_courses_last2"].fillna(0)
    frame["failed_courses_total"] = frame["failed_courses_total"].fillna(0)
    return frame


def years_to_graduation(cohort: pd.Series, as_of: pd.Series) -> pd.Series:
    """A cohort graduates in June: from July on, the final year counts as behind it."""
    dates = pd.to_datetime(as_of)
    return (cohort - dates.dt.year - (dates.dt.month >= 7).astype(int)).clip(lower=0)
