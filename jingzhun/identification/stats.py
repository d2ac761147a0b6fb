"""Aggregate counts over identification for dashboards: set-based, one query each.

Every function takes the population (a `Student` queryset the caller has already scoped) and
returns plain rows, never a student. Counts are of distinct students: a student with two
closed cases in the history counts once per status, a case with two difficulty types counts
once under each type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from jingzhun.identification.models import Case, DifficultyType, IdentificationRun, Signal
from jingzhun.students.models import Student

# Every open case: candidates, confirmed, in assistance, exit proposed.
OPEN = (
    Case.Status.CANDIDATE,
    Case.Status.CONFIRMED,
    Case.Status.IN_ASSISTANCE,
    Case.Status.EXIT_PROPOSED,
)


class Dimension(StrEnum):
    """What a case count can be broken down by (the value is the row key)."""

    STATUS = "status"
    INSTITUTION = "institution"
    SCHOOL = "school"
    TYPE = "type"
    LEVEL = "level"
    COHORT = "cohort"


_CASE_PATH = {
    Dimension.STATUS: "status",
    Dimension.INSTITUTION: "student__institution_id",
    Dimension.SCHOOL: "student__school_id",
    Dimension.TYPE: "types",
    Dimension.LEVEL: "level",
    Dimension.COHORT: "student__cohort",
}


def _cases(students: QuerySet[Student], statuses: Iterable[str] | None) -> QuerySet[Case]:
    qs = Case.objects.filter(student__in=students.values("pk"))
    return qs if statuses is None else qs.filter(status__in=list(statuses))


def case_counts(
    *,
    students: QuerySet[Student],
    by: tuple[Dimension, ...],
    statuses: Iterable[str] | None = OPEN,
) -> list[dict[str, Any]]:
    """Distinct students with a case in `statuses`, per combination of `by` (keys are the
    dimension values, a type by its id; a case without a type or level has None there),
    the count under "n"."""
    paths = {str(d): _CASE_PATH[d] for d in by}
    rows = (
        _cases(students, statuses)
        .values(*paths.values())
        .annotate(n=Count("student_id", distinct=True))
        .order_by()
    )
    return [{**{d: row[p] for d, p in paths.items()}, "n": row["n"]} for row in rows]


def case_total(*, students: QuerySet[Student], statuses: Iterable[str] = OPEN) -> int:
    result = _cases(students, statuses).aggregate(n=Count("student_id", distinct=True))
    return int(result["n"])


def flagged_total(*, students: QuerySet[Student]) -> int:
    """Students with at least one signal (a rule hit or a model flag) in any run."""
    signals = Signal.objects.filter(student__in=students.values("pk"))
    return int(signals.aggregate(n=Count("student_id", distinct=True))["n"])


def population_by_cohort(*, students: QuerySet[Student]) -> dict[int, int]:
    rows = students.order_by().values("cohort").annotate(n=Count("pk"))
    return {row["cohort"]: row["n"] for row in rows}


@dataclass(frozen=True)
class TrendPoint:
    key: str
    label: str
    flagged: int  # distinct students with a signal
    new_cases: int  # candidates the run (or the month's runs) opened


def trend_by_run(*, students: QuerySet[Student], limit: int = 12) -> list[TrendPoint]:
    """The newest finished runs that touched the population, oldest first."""
    runs = list(
        IdentificationRun.objects.filter(
            status=IdentificationRun.Status.FINISHED,
            signals__student__in=students.values("pk"),
        )
        .distinct()
        .order_by("-as_of", "-pk")
        .values("pk", "as_of")[:limit]
    )
    ids = [r["pk"] for r in runs]
    flagged = _per(
        Signal.objects.filter(run_id__in=ids, student__in=students.values("pk")), "run_id"
    )
    opened = _per(
        Case.objects.filter(opened_run_id__in=ids, student__in=students.values("pk")),
        "opened_run_id",
    )
    return [
        TrendPoint(
            key=str(r["pk"]),
            label=f"{r['as_of']:%Y-%m-%d} #{r['pk']}",
            flagged=flagged.get(r["pk"], 0),
            new_cases=opened.get(r["pk"], 0),
        )
        for r in reversed(runs)
    ]


def trend_by_month(*, students: QuerySet[Student], limit: int = 12) -> list[TrendPoint]:
    """Runs of many institutions, gathered by the month of their as-of date."""
    in_scope = students.values("pk")
    flagged = _per(
        Signal.objects.filter(
            student__in=in_scope, run__status=IdentificationRun.Status.FINISHED
        ).annotate(month=TruncMonth("run__as_of")),
        "month",
    )
    opened = _per(
        Case.objects.filter(student__in=in_scope, opened_run__isnull=False).annotate(
            month=TruncMonth("opened_run__as_of")
        ),
        "month",
    )
    months: list[dt.date] = sorted(set(flagged) | set(opened))[-limit:]
    return [
        TrendPoint(
            key=f"{m:%Y-%m}",
            label=f"{m:%Y-%m}",
            flagged=flagged.get(m, 0),
            new_cases=opened.get(m, 0),
        )
        for m in months
    ]


def _per(qs: QuerySet[Any], key: str) -> dict[Any, int]:
    rows = qs.order_by().values(key).annotate(n=Count("student_id", distinct=True))
    return {_day(row[key]): row["n"] for row in rows}


def _day(value: Any) -> Any:
    """TruncMonth of a date gives a date on PostgreSQL and SQLite alike; a datetime, if a
    backend returns one, becomes its date."""
    return value.date() if isinstance(value, dt.datetime) else value


def difficulty_types() -> list[tuple[int, str]]:
    """(id, name) of every difficulty type, in the office's order."""
    return list(DifficultyType.objects.order_by("pk").values_list("pk", "name"))
