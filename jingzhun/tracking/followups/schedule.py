"""Scheduling follow-ups for the graduates in their monitoring window: set-based, idempotent.

`followups_schedule` is what the daily `jingzhun schedule_followups` runs. It reads every
graduate of the cohorts in the window once, with annotations (placed by the registry or by
the last follow-up's answer, the last answer, an open follow-up), closes the open follow-ups
that no longer apply, and adds the next one for every graduate who has none — with
`ignore_conflicts` on the two unique constraints, so two runs at once add nothing twice.

Who is followed up:
- a graduate without a placed destination: every `JINGZHUN_FOLLOWUP_UNPLACED_DAYS` days, counted
  from the last follow-up (or from graduation), until the window ends;
- a graduate placed after leaving school (a destination recorded after graduation day, or a
  follow-up whose answer was "placed" / "further study"): once per entry of
  `JINGZHUN_FOLLOWUP_PLACED_DAYS` (30 and 90 days after the placement by default);
- no one who declined help at the last follow-up (PIPL: contact stops when refused), no one
  placed before leaving, no one beyond the window.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet, Subquery

from jingzhun.students.models import DestinationCode, GraduateDestination, Student
from jingzhun.tracking.followups.models import FollowUp
from jingzhun.tracking.lifecycle import (
    cohort_thresholds,
    cohorts_in_window,
    graduation_day,
    window_end,
    window_months,
)

ROW_FIELDS = ("pk", "cohort", "placed_on", "last_outcome", "last_done_on", "answered_placed_on")
PLACED_OUTCOMES = (FollowUp.Outcome.PLACED, FollowUp.Outcome.FURTHER_STUDY)


def unplaced_days() -> int:
    return max(1, int(getattr(settings, "JINGZHUN_FOLLOWUP_UNPLACED_DAYS", 30)))


def placed_days() -> tuple[int, ...]:
    days = getattr(settings, "JINGZHUN_FOLLOWUP_PLACED_DAYS", (30, 90))
    return tuple(sorted(int(d) for d in days if int(d) > 0))


@dataclass(frozen=True)
class ScheduleResult:
    created: int
    cancelled: int


def _done(field: str, **filters: object) -> Subquery:
    latest = FollowUp.objects.filter(
        student=OuterRef("pk"), status=FollowUp.Status.DONE, **filters
    ).order_by("-done_on", "-pk")
    return Subquery(latest.values(field)[:1])


def graduates_annotated(students: QuerySet[Student]) -> QuerySet[Student]:
    """`students` with what scheduling needs (one query): the day a placed destination was
    recorded, the last answer, its day, and the day of the last "placed" answer."""
    placed = GraduateDestination.objects.filter(student=OuterRef("pk")).exclude(
        code__category=DestinationCode.Category.NOT_PLACED
    )
    return students.annotate(
        placed_on=Subquery(placed.values("recorded_on")[:1]),
        last_outcome=_done("outcome"),
        last_done_on=_done("done_on"),
        answered_placed_on=_done("done_on", outcome__in=PLACED_OUTCOMES),
    )


def next_followup(
    *, cohort: int, placed_on: dt.date | None, last_outcome: str | None,
    last_done_on: dt.date | None, answered_placed_on: dt.date | None,
    rounds: dict[tuple[str, dt.date], int], months: int,
) -> tuple[str, dt.date, int, dt.date] | None:  # fmt: skip
    """(kind, anchor, round, due) of a graduate's next follow-up, or None. Pure."""
    if last_outcome == FollowUp.Outcome.DECLINED:
        return None
    left = graduation_day(cohort)
    if placed_on is not None and placed_on > left:
        anchor: dt.date | None = placed_on
    elif last_outcome in PLACED_OUTCOMES:
        anchor = answered_placed_on
    elif placed_on is not None:
        return None  # placed before leaving school: nothing to follow up
    else:
        anchor = None
    end = window_end(cohort, months)
    if anchor is not None:
        kind, intervals = FollowUp.Kind.NEWLY_PLACED, placed_days()
        number = rounds.get((kind, anchor), 0) + 1
        if number > len(intervals):
            return None
        due = anchor + dt.timedelta(days=intervals[number - 1])
    else:
        kind, anchor = FollowUp.Kind.UNPLACED, left
        number = rounds.get((kind, anchor), 0) + 1
        due = max(last_done_on or left, left) + dt.timedelta(days=unplaced_days())
    return (kind, anchor, number, due) if due <= end else None


def _rounds(student_ids: list[int]) -> dict[int, dict[tuple[str, dt.date], int]]:
    rows = (
        FollowUp.objects.filter(student_id__in=student_ids)
        .values("student_id", "kind", "anchor_on")
        .annotate(top=Max("round"))
    )
    rounds: dict[int, dict[tuple[str, dt.date], int]] = defaultdict(dict)
    for row in rows:
        rounds[row["student_id"]][(row["kind"], row["anchor_on"])] = row["top"]
    return rounds


def _cancel_stale(*, today: dt.date, months: int, students: QuerySet[Student]) -> int:
    """Close open follow-ups past the window, and unplaced ones of graduates now placed."""
    beyond, _after, _final = cohort_thresholds(on=today, months=months)
    past = FollowUp.objects.filter(status="open", student__in=students.filter(cohort__lte=beyond))
    placed = GraduateDestination.objects.filter(student=OuterRef("student_id")).exclude(
        code__category=DestinationCode.Category.NOT_PLACED
    )
    unplaced = FollowUp.objects.filter(
        status="open", kind=FollowUp.Kind.UNPLACED, student__in=students
    ).filter(Exists(placed))
    cancelled = FollowUp.Status.CANCELLED
    return past.update(status=cancelled) + unplaced.update(status=cancelled)


@transaction.atomic
def followups_schedule(*, today: dt.date, institution_id: int | None = None) -> ScheduleResult:
    """Add each in-window graduate's next follow-up when they have none open; safe to re-run."""
    months = window_months()
    students = Student.objects.exclude(status=Student.Status.WITHDRAWN)
    if institution_id is not None:
        students = students.filter(institution_id=institution_id)
    cancelled = _cancel_stale(today=today, months=months, students=students)
    cohorts = list(cohorts_in_window(on=today, months=months))
    rows = list(
        graduates_annotated(students.filter(cohort__in=cohorts))
        .exclude(Exists(FollowUp.objects.filter(student=OuterRef("pk"), status="open")))
        .values(*ROW_FIELDS)
    )
    rounds = _rounds([row["pk"] for row in rows])
    new = []
    for row in rows:
        planned = next_followup(
            cohort=row["cohort"], placed_on=row["placed_on"], last_outcome=row["last_outcome"],
            last_done_on=row["last_done_on"], answered_placed_on=row["answered_placed_on"],
            rounds=rounds.get(row["pk"], {}), months=months,
        )  # fmt: skip
        if planned is not None:
            kind, anchor, number, due = planned
            new.append(FollowUp(student_id=row["pk"], kind=kind, anchor_on=anchor, round=number,
                                due_on=due))  # fmt: skip
    before = FollowUp.objects.filter(status="open").count()
    FollowUp.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    created = FollowUp.objects.filter(status="open").count() - before
    return ScheduleResult(created=created, cancelled=cancelled)
