"""Terms (学期) as a typed calendar, in plain Python and as an Ibis expression.

Chinese colleges run an autumn term from September to January and a spring term from February
to August (the summer holiday counts with the spring term, so every day belongs to a term).
Colleges shift these months, so the boundaries are a parameter rather than constants;
`DEFAULT_CALENDAR` is the common one. A term is labelled ``"<year>-<year+1>-<1|2>"`` everywhere
(plain dates: `TermCalendar.term_on`; pandas: `term_labels`; Ibis: `term_expr`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

ALL_PERIOD = "all"
"""The period label when features are computed over the whole time span instead of per term."""

ALL_PERIOD_CODE = 0
FIRST_MONTH, LAST_MONTH = 1, 12
TERM_CODE_BASE = 10
AUTUMN_TERM, SPRING_TERM = 1, 2
"""The last part of a term label: the autumn term opens the academic year."""
_TERM_LABEL = re.compile(r"(\d{4})-(\d{4})-([12])")


def term_label(start_year: int, half: int) -> str:
    """``term_label(2026, 1) == "2026-2027-1"``."""
    return f"{start_year}-{start_year + 1}-{half}"


def parse_term(label: str) -> tuple[int, int]:
    """``"2026-2027-2"`` → ``(2026, 2)``: the academic year's first calendar year and the half."""
    match = _TERM_LABEL.fullmatch(label)
    if match is None or int(match[2]) != int(match[1]) + 1:
        raise ValueError(f"not a term label like 2026-2027-1: {label!r}")
    return int(match[1]), int(match[3])


def next_term(label: str) -> str:
    """The term after `label`: the spring term of the same academic year, or the next autumn
    term (``2026-2027-1`` → ``2026-2027-2`` → ``2027-2028-1``)."""
    start_year, half = parse_term(label)
    if half == AUTUMN_TERM:
        return term_label(start_year, SPRING_TERM)
    return term_label(start_year + 1, AUTUMN_TERM)


@dataclass(frozen=True)
class TermCalendar:
    """Months on which the two terms of an academic year start.

    The academic year starts with the autumn term; its label is ``"<year>-<year+1>-<1|2>"``,
    e.g. September 2014 and January 2015 are ``2014-2015-1``, March 2015 is ``2014-2015-2``.
    """

    autumn_start_month: int = 9
    spring_start_month: int = 2

    def __post_init__(self) -> None:
        if not FIRST_MONTH < self.spring_start_month < self.autumn_start_month <= LAST_MONTH:
            raise ValueError(
                "need 1 < spring_start_month < autumn_start_month <= 12, got "
                f"{self.spring_start_month} and {self.autumn_start_month}"
            )

    def academic_year_of(self, day: date) -> int:
        """The first calendar year of the academic year `day` falls in (January 2027 → 2026)."""
        return day.year if day.month >= self.autumn_start_month else day.year - 1

    def term_on(self, day: date) -> str:
        """The label of the term `day` falls in; a `datetime` counts by its date."""
        spring = self.spring_start_month <= day.month < self.autumn_start_month
        return term_label(self.academic_year_of(day), SPRING_TERM if spring else AUTUMN_TERM)

    def term_start(self, label: str) -> date:
        """The first day of a term: ``2026-2027-1`` → 2026-09-01, ``2026-2027-2`` → 2027-02-01
        (with the default months)."""
        start_year, half = parse_term(label)
        if half == AUTUMN_TERM:
            return date(start_year, self.autumn_start_month, 1)
        return date(start_year + 1, self.spring_start_month, 1)

    def academic_year_start(self, day: date) -> date:
        """The first day of the academic year (its autumn term) `day` falls in."""
        return date(self.academic_year_of(day), self.autumn_start_month, 1)


DEFAULT_CALENDAR = TermCalendar()
"""The autumn term from September, the spring term from February."""


def term_of(moment: datetime, calendar: TermCalendar) -> str:
    """The term label of one moment (the reference the Ibis expression is tested against)."""
    return calendar.term_on(moment)


def term_labels(dates: pd.Series, calendar: TermCalendar = DEFAULT_CALENDAR) -> pd.Series:
    """`TermCalendar.term_on` over a column of dates or timestamps, on the same index; a
    missing date (NaT) has no term (NaN)."""
    dates = pd.to_datetime(dates)
    known = dates.notna()
    year = dates.dt.year.where(known, 0).astype("int64")
    month = dates.dt.month.where(known, 0).astype("int64")
    start = year - (month < calendar.autumn_start_month).astype("int64")
    spring = (month >= calendar.spring_start_month) & (month < calendar.autumn_start_month)
    half = pd.Series(
        np.where(spring, f"-{SPRING_TERM}", f"-{AUTUMN_TERM}"), index=dates.index, dtype=object
    )
    return (start.astype(str) + "-" + (start + 1).astype(str) + half).where(known)


def term_code_expr(ts: ir.TimestampValue | ir.DateValue, calendar: TermCalendar) -> ir.IntegerValue:
    """The term as the integer ``start_year * 10 + half`` (2014-2015-2 → 20142).

    Grouping on this integer instead of the label is several times cheaper on hundreds of
    millions of rows; the label is formatted once per result row by `term_label_expr`.
    """
    month, year = ts.month(), ts.year()
    start_year = ibis.ifelse(month >= calendar.autumn_start_month, year, year - 1)
    spring = (month >= calendar.spring_start_month) & (month < calendar.autumn_start_month)
    half = ibis.ifelse(spring, SPRING_TERM, AUTUMN_TERM)
    return (start_year * TERM_CODE_BASE + half).cast("int64")


def term_label_expr(code: ir.IntegerValue) -> ir.StringValue:
    start_year = (code // TERM_CODE_BASE).cast("int64")
    half = (code % TERM_CODE_BASE).cast("int64")
    return (
        start_year.cast("string")
        + "-"
        + (start_year + 1).cast("string")
        + "-"
        + half.cast("string")
    )


def term_expr(ts: ir.TimestampValue, calendar: TermCalendar) -> ir.StringValue:
    """`term_of` as a column expression, the same on DuckDB and Spark."""
    return term_label_expr(term_code_expr(ts, calendar))


def period_code_expr(
    ts: ir.TimestampValue | ir.DateValue, calendar: TermCalendar | None
) -> ir.IntegerValue:
    """Per-term code, or one constant period (`ALL_PERIOD_CODE`) without a calendar."""
    if calendar is None:
        return ibis.literal(ALL_PERIOD_CODE, "int64")
    return term_code_expr(ts, calendar)


def period_label_expr(code: ir.IntegerValue, calendar: TermCalendar | None) -> ir.StringValue:
    if calendar is None:
        return ibis.literal(ALL_PERIOD)
    return term_label_expr(code)


def period_expr(ts: ir.TimestampValue, calendar: TermCalendar | None) -> ir.StringValue:
    """Per-term label, or one constant period when `calendar` is None (whole-span features)."""
    return period_label_expr(period_code_expr(ts, calendar), calendar)
