"""Library-loan and job-platform features, and joining sources per student."""

from __future__ import annotations

from typing import Any

import ibis
import pandas as pd

from jingzhun.data.features import combine_features, job_features, library_features
from jingzhun.data.periods import TermCalendar


def events(rows: list[tuple[str, str, str]], column: str) -> Any:
    frame = pd.DataFrame(rows, columns=["student_id", "ts", column])
    frame["ts"] = pd.to_datetime(frame["ts"])
    return ibis.memtable(frame)


LOANS = events(
    [
        ("s1", "2014-09-01 10:00:00", "B1"),
        ("s1", "2014-09-01 11:00:00", "B2"),
        ("s1", "2014-10-01 10:00:00", "B1"),
        ("s2", "2015-03-01 10:00:00", "B3"),
    ],
    "book_id",
)
ACTIVITY = events(
    [
        ("s1", "2014-09-01 10:00:00", "login"),
        ("s1", "2014-09-01 10:05:00", "resume_update"),
        ("s1", "2014-09-02 10:00:00", "application"),
        ("s1", "2014-09-02 10:01:00", "application"),
        ("s3", "2014-09-03 09:00:00", "login"),
    ],
    "action",
)


def test_library_loans_count_books_and_days(duckdb_con: Any) -> None:
    result = duckdb_con.execute(library_features(LOANS, TermCalendar())).sort_values("student_id")

    assert result.to_dict("records") == [
        {"student_id": "s1", "period": "2014-2015-1", "library_loans": 3,
         "library_distinct_books": 2, "library_loan_days": 2},
        {"student_id": "s2", "period": "2014-2015-2", "library_loans": 1,
         "library_distinct_books": 1, "library_loan_days": 1},
    ]  # fmt: skip


def test_job_platform_actions_are_counted_by_kind(duckdb_con: Any) -> None:
    result = duckdb_con.execute(job_features(ACTIVITY)).sort_values("student_id")

    assert result.to_dict("records") == [
        {"student_id": "s1", "period": "all", "job_logins": 1, "job_resume_updates": 1,
         "job_applications": 2, "job_active_days": 2},
        {"student_id": "s3", "period": "all", "job_logins": 1, "job_resume_updates": 0,
         "job_applications": 0, "job_active_days": 1},
    ]  # fmt: skip


def test_combining_sources_keeps_students_seen_by_one_source_only(duckdb_con: Any) -> None:
    combined = combine_features([library_features(LOANS), job_features(ACTIVITY)])

    result = duckdb_con.execute(combined).sort_values("student_id").set_index("student_id")

    assert list(result.index) == ["s1", "s2", "s3"]
    assert result.loc["s1", "library_loans"] == 3
    assert result.loc["s1", "job_applications"] == 2
    assert pd.isna(result.loc["s2", "job_logins"])
    assert pd.isna(result.loc["s3", "library_loans"])
