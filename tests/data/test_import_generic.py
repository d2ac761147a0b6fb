"""Importing other sources from headed CSV, Excel and Parquet files with a column mapping."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from jingzhun.data.events import JOBS, LIBRARY, Lake, MappingError, import_events

LOAN_MAPPING = {"student_id": "学号", "ts": "借阅时间", "book_id": "条码号"}
LOANS = pd.DataFrame(
    {
        "学号": ["2024010001", "2024010002", "2024010003"],
        "借阅时间": ["2014-09-01 10:00:00", "2014/10/02 11:30", "not a date"],
        "条码号": ["B1", "B2", "B3"],
        "备注": ["", "", ""],
    }
)


def stored(lake: Lake, source: str) -> list[tuple[object, ...]]:
    files = [str(p) for p in lake.part_files(source)]
    query = f"SELECT * FROM read_parquet({files}, hive_partitioning=false) ORDER BY ts"  # noqa: S608
    return duckdb.connect().execute(query).fetchall()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_with_a_header_and_a_mapping(lake: Lake, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "loans.csv"
    LOANS.to_csv(path, index=False, encoding=encoding)

    report = import_events(path, lake, LIBRARY, LOAN_MAPPING)

    assert (report.imported, report.rejected) == (2, 1)
    assert [(r.line, r.reason) for r in report.rejected_examples] == [(4, "bad_timestamp_ts")]
    assert stored(lake, "library") == [
        ("2024010001", datetime(2014, 9, 1, 10, 0), "B1"),
        ("2024010002", datetime(2014, 10, 2, 11, 30), "B2"),
    ]


def test_excel_rows_keep_student_numbers_as_text(lake: Lake, tmp_path: Path) -> None:
    path = tmp_path / "loans.xlsx"
    excel = LOANS.assign(学号=[2024010001, 2024010002, 2024010003])  # numeric cells
    excel.loc[0, "借阅时间"] = datetime(2014, 9, 1, 10, 0)
    excel.to_excel(path, index=False, engine="xlsxwriter")

    report = import_events(path, lake, LIBRARY, LOAN_MAPPING)

    assert [(r.line, r.reason) for r in report.rejected_examples] == [(4, "bad_timestamp_ts")]
    assert [row[0] for row in stored(lake, "library")] == ["2024010001", "2024010002"]


def test_parquet_rows_are_numbered_from_one(lake: Lake, tmp_path: Path) -> None:
    path = tmp_path / "jobs.parquet"
    pd.DataFrame(
        {
            "uid": ["s1", "s2", None],
            "when": pd.to_datetime(["2015-03-01 09:00", "2015-03-02 10:00", "2015-03-03 11:00"]),
            "what": ["login", "application", "login"],
        }
    ).to_parquet(path)

    report = import_events(path, lake, JOBS, {"student_id": "uid", "ts": "when", "action": "what"})

    assert report.imported == 2
    assert [(r.line, r.reason) for r in report.rejected_examples] == [(3, "missing_student_id")]


def test_a_mapping_that_does_not_fit_is_refused_before_anything_is_written(
    lake: Lake, tmp_path: Path
) -> None:
    path = tmp_path / "loans.csv"
    LOANS.to_csv(path, index=False)

    with pytest.raises(MappingError, match="借书时间"):
        import_events(path, lake, LIBRARY, {**LOAN_MAPPING, "ts": "借书时间"})
    with pytest.raises(MappingError, match="not mapped"):
        import_events(path, lake, LIBRARY, {"student_id": "学号"})
    assert lake.part_files("library") == []
    assert lake.entries() == []
