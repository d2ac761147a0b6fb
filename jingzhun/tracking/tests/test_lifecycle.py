"""The lifecycle stage: one table, run on the pure function and on the queryset annotation."""

from __future__ import annotations

import datetime as dt

import pytest

from jingzhun.tracking.lifecycle import (
    Stage,
    add_months,
    cohorts_in_window,
    stage_filter,
    stage_of,
    window_end,
    with_stage,
    year_of_study,
)

D = dt.date
# (cohort, day, window months, stage)
CASES = [
    (2027, D(2024, 9, 1), 6, Stage.FOUNDATION),  # first day of a 3-year programme
    (2027, D(2026, 8, 31), 6, Stage.FOUNDATION),  # last day of year 2
    (2027, D(2026, 9, 1), 6, Stage.FINAL_YEAR),  # the final year begins
    (2027, D(2027, 6, 30), 6, Stage.FINAL_YEAR),  # graduation day itself
    (2027, D(2027, 7, 1), 6, Stage.AFTER_LEAVING),
    (2027, D(2027, 12, 30), 6, Stage.AFTER_LEAVING),  # window ends Dec 30 (June 30 + 6)
    (2027, D(2027, 12, 31), 6, Stage.BEYOND_WINDOW),
    (2027, D(2028, 3, 31), 12, Stage.AFTER_LEAVING),  # a longer window
    (2026, D(2026, 11, 26), 6, Stage.AFTER_LEAVING),  # the demo's newest graduates
    (2025, D(2026, 11, 26), 6, Stage.BEYOND_WINDOW),
    (2028, D(2026, 11, 26), 6, Stage.FOUNDATION),  # year 2 of 3
    (2030, D(2026, 11, 26), 6, Stage.FOUNDATION),  # a 4-year 本科 in year 1
]


@pytest.mark.parametrize(("cohort", "day", "months", "stage"), CASES)
def test_stage_of(cohort: int, day: dt.date, months: int, stage: Stage) -> None:
    assert stage_of(cohort=cohort, on=day, months=months) == stage


@pytest.mark.django_db
@pytest.mark.parametrize(("cohort", "day", "months", "stage"), CASES)
def test_annotation_agrees(cohort: int, day: dt.date, months: int, stage: Stage) -> None:
    from jingzhun.students.tests.factories import StudentFactory

    student = StudentFactory.create(cohort=cohort, entry_year=cohort - 3)
    annotated = with_stage(type(student).objects.filter(pk=student.pk), on=day, months=months)
    assert annotated.get().stage == stage.value


@pytest.mark.parametrize(
    ("day", "months", "end"),
    [
        (D(2026, 6, 30), 6, D(2026, 12, 30)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2027, 8, 31), 6, D(2028, 2, 29)),  # leap year
        (D(2026, 6, 30), 18, D(2027, 12, 30)),
    ],
)
def test_add_months_keeps_within_the_month(day: dt.date, months: int, end: dt.date) -> None:
    assert add_months(day, months) == end


def test_window_and_cohorts_in_it() -> None:
    assert window_end(2026, 6) == D(2026, 12, 30)
    assert list(cohorts_in_window(on=D(2026, 11, 26), months=6)) == [2026]
    assert list(cohorts_in_window(on=D(2026, 11, 26), months=18)) == [2025, 2026]
    assert list(cohorts_in_window(on=D(2026, 6, 1), months=6)) == []


@pytest.mark.parametrize(
    ("entry", "cohort", "day", "year"),
    [
        (2024, 2027, D(2024, 9, 1), 1),
        (2024, 2027, D(2026, 8, 31), 2),
        (2024, 2027, D(2026, 9, 1), 3),
        (2023, 2027, D(2026, 9, 1), 4),  # 本科: the fourth year is its final one
        (2024, 2027, D(2027, 9, 1), None),
        (2024, 2027, D(2024, 8, 31), None),
    ],
)
def test_year_of_study(entry: int, cohort: int, day: dt.date, year: int | None) -> None:
    assert year_of_study(entry_year=entry, cohort=cohort, on=day) == year


@pytest.mark.django_db
@pytest.mark.parametrize(("cohort", "day", "months", "stage"), CASES)
def test_the_cohort_range_filter_agrees(
    cohort: int, day: dt.date, months: int, stage: Stage
) -> None:
    from jingzhun.students.tests.factories import StudentFactory

    student = StudentFactory.create(cohort=cohort, entry_year=cohort - 3)
    rows = type(student).objects.filter(pk=student.pk)
    found = {s for s in Stage if rows.filter(stage_filter(s, on=day, months=months)).exists()}
    assert found == {stage}
