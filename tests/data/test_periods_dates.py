"""Date-level term helpers: the label of a day, a term's first day, the next term, and the
vectorised labels for pandas, all under one calendar."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from jingzhun.data.periods import (
    DEFAULT_CALENDAR,
    TermCalendar,
    next_term,
    parse_term,
    term_labels,
    term_of,
)

# (day, term under the default calendar, first day of that term, first day of its academic year)
DAYS = [
    (date(2027, 1, 15), "2026-2027-1", date(2026, 9, 1), date(2026, 9, 1)),  # January: autumn
    (date(2027, 1, 31), "2026-2027-1", date(2026, 9, 1), date(2026, 9, 1)),
    (date(2027, 2, 1), "2026-2027-2", date(2027, 2, 1), date(2026, 9, 1)),
    (date(2027, 8, 31), "2026-2027-2", date(2027, 2, 1), date(2026, 9, 1)),  # summer: spring
    (date(2027, 9, 1), "2027-2028-1", date(2027, 9, 1), date(2027, 9, 1)),
    (date(2026, 12, 31), "2026-2027-1", date(2026, 9, 1), date(2026, 9, 1)),
]


@pytest.mark.parametrize(("day", "term", "start", "year_start"), DAYS)
def test_default_calendar(day: date, term: str, start: date, year_start: date) -> None:
    assert DEFAULT_CALENDAR.term_on(day) == term
    assert DEFAULT_CALENDAR.term_on(datetime(day.year, day.month, day.day, 23, 59)) == term
    assert term_of(datetime.combine(day, datetime.min.time()), DEFAULT_CALENDAR) == term
    assert DEFAULT_CALENDAR.term_start(term) == start
    assert DEFAULT_CALENDAR.academic_year_start(day) == year_start


@pytest.mark.parametrize(
    ("calendar", "day", "term", "start"),
    [
        (TermCalendar(spring_start_month=3), date(2027, 2, 15), "2026-2027-1", date(2026, 9, 1)),
        (TermCalendar(spring_start_month=3), date(2027, 3, 1), "2026-2027-2", date(2027, 3, 1)),
        (TermCalendar(autumn_start_month=8), date(2027, 8, 15), "2027-2028-1", date(2027, 8, 1)),
    ],
)
def test_shifted_calendar(calendar: TermCalendar, day: date, term: str, start: date) -> None:
    assert calendar.term_on(day) == term
    assert calendar.term_start(term) == start


@pytest.mark.parametrize(
    ("term", "following"),
    [("2026-2027-1", "2026-2027-2"), ("2026-2027-2", "2027-2028-1")],
)
def test_next_term(term: str, following: str) -> None:
    assert next_term(term) == following
    assert DEFAULT_CALENDAR.term_start(following) > DEFAULT_CALENDAR.term_start(term)


@pytest.mark.parametrize(
    "label", ["2026-2027-3", "2026-2028-1", "2026-2027", "all", " 2026-2027-1"]
)
def test_malformed_labels_fail_loudly(label: str) -> None:
    with pytest.raises(ValueError, match="term label"):
        parse_term(label)


def test_term_labels_agree_with_term_on() -> None:
    days = [day for day, *_ in DAYS]
    dates = pd.Series(pd.to_datetime(days), index=[10 * i for i in range(len(days))])
    labels = term_labels(dates)
    assert labels.index.equals(dates.index)
    assert labels.tolist() == [DEFAULT_CALENDAR.term_on(day) for day in days]
    shifted = TermCalendar(spring_start_month=3)
    assert term_labels(dates, shifted).tolist() == [shifted.term_on(day) for day in days]


def test_term_labels_of_missing_dates() -> None:
    labels = term_labels(pd.Series([pd.Timestamp(2027, 1, 5), pd.NaT, pd.Timestamp(2027, 3, 5)]))
    assert labels[0] == "2026-2027-1" and pd.isna(labels[1]) and labels[2] == "2026-2027-2"
    assert term_labels(pd.Series([], dtype="datetime64[ns]")).empty
