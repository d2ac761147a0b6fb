"""Dismissals stick (有进有出 without churn): a student a reviewer dismissed is not reopened
as a new candidate by the next run on the same evidence. A new signal type, a higher level,
or the end of the dismissal's hold (by default the start of the next term; a number of days
when the office sets one on the run schedule) reopens them, and the review card shows the
earlier decision."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from django.db.models import QuerySet
from django.utils import timezone

from jingzhun.data.periods import DEFAULT_CALENDAR, next_term
from jingzhun.identification.models import Case, CaseEvent, IdentificationRun, Level, RunSchedule
from jingzhun.identification.transitions import CLOSED
from jingzhun.students.models import Student


def dismissal_holds_until(dismissed_on: dt.date, days: int | None) -> dt.date:
    """The first day a dismissal no longer holds by itself: `days` after it, or by default
    the first day of the next term (a new term's run may reopen on the same evidence)."""
    if days is not None:
        return dismissed_on + dt.timedelta(days=days)
    return DEFAULT_CALENDAR.term_start(next_term(DEFAULT_CALENDAR.term_on(dismissed_on)))


def dismissals_kept(
    run: IdentificationRun, signals: pd.DataFrame, new: pd.Series, population: QuerySet[Student]
) -> set[int]:
    """Flagged students who stay dismissed: their latest closed case was dismissed, it still
    holds (`dismissal_holds_until`), and the evidence has not changed materially — no signal
    of a type the dismissed case did not have, no level higher (a smaller number) than its.

    Set-based: three queries over the population's closed cases, the rest in pandas."""
    if new.empty:
        return set()
    closed = pd.DataFrame.from_records(
        list(Case.objects.filter(student__in=population, status__in=CLOSED)
             .values_list("pk", "student_id", "status", "level", "created_at")),
        columns=["case_id", "student_id", "status", "level", "created_at"],
    )  # fmt: skip
    if closed.empty:
        return set()
    latest = closed.sort_values(["created_at", "case_id"]).drop_duplicates(
        "student_id", keep="last"
    )
    dismissed = latest[
        (latest["status"] == Case.Status.DISMISSED) & latest["student_id"].isin(new.index)
    ]
    if dismissed.empty:
        return set()
    at = pd.DataFrame.from_records(
        list(CaseEvent.objects.filter(case__student__in=population, to_status=Case.Status.DISMISSED)
             .values_list("case_id", "at")), columns=["case_id", "at"],
    )  # fmt: skip
    dismissed = dismissed.merge(at.groupby("case_id", as_index=False)["at"].max(), on="case_id")
    days = (
        RunSchedule.objects.filter(institution_id=run.institution_id)
        .values_list("dismissal_days", flat=True)
        .first()
    )
    dates = dismissed["at"].map(lambda t: timezone.localdate(t))
    until = dates.map({d: dismissal_holds_until(d, days) for d in set(dates)})
    holding = dismissed[(until > run.as_of).to_numpy()]
    level = holding["level"].fillna(int(Level.GENERAL)).astype("int64").to_numpy()
    higher = new.reindex(holding["student_id"]).to_numpy() < level
    holding = holding[~higher]
    if holding.empty:
        return set()
    before = pd.DataFrame.from_records(
        list(Case.types.through.objects.filter(case_id__in=holding["case_id"].tolist())
             .values_list("case_id", "difficultytype_id")), columns=["case_id", "difficulty_type_id"],
    ).merge(holding[["case_id", "student_id"]], on="case_id")[["student_id", "difficulty_type_id"]]  # fmt: skip
    now = signals.loc[
        signals["student_id"].isin(holding["student_id"]), ["student_id", "difficulty_type_id"]
    ]
    now = now.astype("int64").drop_duplicates()
    merged = now.merge(before.astype("int64"), how="left", indicator=True)
    new_type = set(merged.loc[merged["_merge"] == "left_only", "student_id"].tolist())
    return set(holding["student_id"].tolist()) - new_type
