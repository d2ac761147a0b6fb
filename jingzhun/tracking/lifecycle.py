"""A student's lifecycle stage (生命周期阶段), derived from the cohort and a date.

The stages follow the paper's complaint that help came only in the job-hunting months:
foundation years (基础阶段, every year before the final one), the final year and job season
(毕业年级 / 求职季, from September of the year before graduation), after leaving school (离校后,
the post-graduation monitoring window, `JINGZHUN_FOLLOWUP_WINDOW_MONTHS`) and beyond that
window (监测期后). The registry stores the cohort (graduation year) and the entry year, so the
programme's length (3 years for 专科, 4 for 本科) is `cohort - entry_year`; the final year is
always the last of them, whatever the length.

Graduation is taken as June 30 of the cohort year (毕业离校, the national graduation season)
and the final year begins on September 1 before it. The pure functions below take plain
values; `with_stage` turns the same thresholds into one CASE expression over a queryset, so a
list of a million students is staged by the database, not by a loop.
"""

from __future__ import annotations

import calendar
import datetime as dt
from enum import StrEnum
from typing import TypeVar, cast

from django.conf import settings
from django.db.models import Case, CharField, Model, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

GRADUATION_MONTH, GRADUATION_DAY = 6, 30
FINAL_YEAR_MONTH = 9
DEFAULT_WINDOW_MONTHS = 6


class Stage(StrEnum):
    FOUNDATION = "foundation"
    FINAL_YEAR = "final_year"
    AFTER_LEAVING = "after_leaving"
    BEYOND_WINDOW = "beyond_window"


STAGE_LABELS = {
    Stage.FOUNDATION: _("Foundation years"),
    Stage.FINAL_YEAR: _("Final year and job season"),
    Stage.AFTER_LEAVING: _("After leaving school"),
    Stage.BEYOND_WINDOW: _("Beyond the monitoring window"),
}
STAGE_CHOICES = [(stage.value, label) for stage, label in STAGE_LABELS.items()]


def window_months() -> int:
    """The post-graduation monitoring window in months (a setting, at least 1)."""
    return max(1, int(getattr(settings, "JINGZHUN_FOLLOWUP_WINDOW_MONTHS", DEFAULT_WINDOW_MONTHS)))


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, kept within the month (Aug 31 + 6 → Feb 28/29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def graduation_day(cohort: int) -> dt.date:
    return dt.date(cohort, GRADUATION_MONTH, GRADUATION_DAY)


def final_year_start(cohort: int) -> dt.date:
    return dt.date(cohort - 1, FINAL_YEAR_MONTH, 1)


def window_end(cohort: int, months: int) -> dt.date:
    """The last day of the cohort's post-graduation monitoring window."""
    return add_months(graduation_day(cohort), months)


def stage_of(*, cohort: int, on: dt.date, months: int) -> Stage:
    """The stage of a student of `cohort` on the day `on`."""
    if on > window_end(cohort, months):
        return Stage.BEYOND_WINDOW
    if on > graduation_day(cohort):
        return Stage.AFTER_LEAVING
    if on >= final_year_start(cohort):
        return Stage.FINAL_YEAR
    return Stage.FOUNDATION


def year_of_study(*, entry_year: int, cohort: int, on: dt.date) -> int | None:
    """Which year of the programme `on` falls in (1 = first), None before entry or after it."""
    year = on.year - entry_year + (1 if on.month >= FINAL_YEAR_MONTH else 0)
    return year if 1 <= year <= cohort - entry_year else None


def cohort_thresholds(*, on: dt.date, months: int) -> tuple[int, int, int]:
    """(beyond, after, final): the newest cohort that is beyond the window, that has left,
    and that is in its final year on `on`. Every stage is monotonic in the cohort, so these
    three numbers stage any cohort (and `with_stage` needs no per-row date arithmetic)."""
    final = on.year + 1 if on >= dt.date(on.year, FINAL_YEAR_MONTH, 1) else on.year
    after = on.year if on > graduation_day(on.year) else on.year - 1
    beyond = after
    while on <= window_end(beyond, months):
        beyond -= 1
    return beyond, after, final


def cohorts_in_window(*, on: dt.date, months: int) -> range:
    """The cohorts whose graduates are in their monitoring window on `on`."""
    beyond, after, _final = cohort_thresholds(on=on, months=months)
    return range(beyond + 1, after + 1)


M = TypeVar("M", bound=Model)


def stage_expression(*, on: dt.date, months: int, field: str = "cohort") -> Case:
    beyond, after, final = cohort_thresholds(on=on, months=months)
    return Case(
        When(**{f"{field}__lte": beyond}, then=Value(Stage.BEYOND_WINDOW.value)),
        When(**{f"{field}__lte": after}, then=Value(Stage.AFTER_LEAVING.value)),
        When(**{f"{field}__lte": final}, then=Value(Stage.FINAL_YEAR.value)),
        default=Value(Stage.FOUNDATION.value),
        output_field=CharField(),
    )


def with_stage(
    students: QuerySet[M], *, on: dt.date, months: int | None = None, field: str = "cohort"
) -> QuerySet[M]:
    """`students` annotated with `stage` (a `Stage` value) on the day `on`."""
    expression = stage_expression(on=on, months=months or window_months(), field=field)
    return cast("QuerySet[M]", students.annotate(stage=expression))


def stage_filter(stage: str, *, on: dt.date, months: int | None = None, field: str = "cohort") -> Q:
    """The rows of `stage` on `on` as a range of cohorts (an index can serve it); unknown
    stages filter nothing."""
    beyond, after, final = cohort_thresholds(on=on, months=months or window_months())
    ranges: dict[str, Q] = {
        Stage.BEYOND_WINDOW: Q(**{f"{field}__lte": beyond}),
        Stage.AFTER_LEAVING: Q(**{f"{field}__gt": beyond, f"{field}__lte": after}),
        Stage.FINAL_YEAR: Q(**{f"{field}__gt": after, f"{field}__lte": final}),
        Stage.FOUNDATION: Q(**{f"{field}__gt": final}),
    }
    return ranges.get(stage, Q())
