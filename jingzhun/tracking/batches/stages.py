"""Where a cohort stands today (pure): years 1–2, final year, or graduated.

A cohort is its graduation year and the academic year turns on 1 September: from September
to August the final-year cohort is the one graduating next summer."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

TURN_MONTH = 9


class Stage(StrEnum):
    EARLY = "early"  # years 1–2 (and a third year of a four-year programme)
    FINAL = "final"  # the final year: the job-hunting year
    GRADUATED = "graduated"


def final_cohort(today: dt.date) -> int:
    """The cohort in its final year on `today`."""
    return today.year + 1 if today.month >= TURN_MONTH else today.year


def stage_of(cohort: int, today: dt.date) -> Stage:
    final = final_cohort(today)
    if cohort == final:
        return Stage.FINAL
    return Stage.GRADUATED if cohort < final else Stage.EARLY
