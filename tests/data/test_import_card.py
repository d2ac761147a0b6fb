"""The DataCastle card importer: nulls, rejects with line numbers, encodings, idempotence."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from jingzhun.data.events import Lake, import_datacastle_card
from jingzhun.data.events.encoding import EncodingError
from jingzhun.data.events.lake import part_name
from tests.data.conftest import datacastle_line

T0 = datetime(2014, 9, 1, 7, 0, 0)
GOOD = datacastle_line("576", "POS消费", "食堂", T0, 2.4)


def write(path: Path, lines: list[str], encoding: str = "utf-8", newline: str = "\n") -> Path:
    path.write_bytes(newline.join(lines).encode(encoding) + newline.encode())
    return path


def lake_rows(lake: Lake) -> list[dict[str, object]]:
    files = [str(p) for p in lake.part_files("card")]
    query = f"SELECT * FROM read_parquet({files}, hive_partitioning=false) ORDER BY ts, student_id"  # noqa: S608
    relation = duckdb.sql(query)
    assert relation is not None
    return relation.to_arrow_table().to_pylist()


def test_a_clean_file_lands_in_month_partitions_named_by_its_hash(
    lake: Lake, tmp_path: Path
) -> None:
    lines = [GOOD, datacastle_line("576", "POS消费", "开水", datetime(2014, 10, 2, 8, 0), 0.3)]
    path = write(tmp_path / "card.csv", lines)

    report = import_datacastle_card(path, lake)

    assert (report.imported, report.rejected, report.months) == (2, 0, ("2014-09", "2014-10"))
    name = part_name(report.sha256)
    assert [p.relative_to(lake.root).as_posix() for p in lake.part_files("card")] == [
        f"source=card/month=2014-09/{name}",
        f"source=card/month=2014-10/{name}",
    ]
    assert lake.entries()[0].rows == 2
    assert pq.read_schema(lake.part_files("card")[0]).names == [
        "student_id", "category", "place", "kind", "ts", "amount", "balance",
    ]  # fmt: skip


def test_empty_fields_become_null(lake: Lake, tmp_path: Path) -> None:
    path = write(tmp_path / "card.csv", ["959,,,,2014/12/31 22:32:41,20.0,", GOOD])

    report = import_datacastle_card(path, lake)

    assert report.rejected == 0
    topup = next(row for row in lake_rows(lake) if row["student_id"] == "959")
    assert topup == {
        "student_id": "959", "category": None, "place": None, "kind": None,
        "ts": datetime(2014, 12, 31, 22, 32, 41), "amount": 20.0, "balance": None,
    }  # fmt: skip


def test_unreadable_rows_are_rejected_with_their_line_numbers(lake: Lake, tmp_path: Path) -> None:
    lines = [
        GOOD,
        "576,POS消费,地点1,食堂,2014/13/45 25:61:00,2.4,90.1",
        GOOD,
        "576,POS消费,地点1,食堂,yesterday,2.4,90.1",
        "576,POS消费,地点1,食堂,,2.4,90.1",
        ",POS消费,地点1,食堂,2014/09/01 07:00:00,2.4,90.1",
        "576,POS消费,地点1,食堂,2014/09/01 07:00:00,two,90.1",
        "576,POS消费,地点1,食堂,2014/09/01 07:00:00,2.4",
    ]
    path = write(tmp_path / "card.csv", lines)

    report = import_datacastle_card(path, lake)

    assert (report.imported, report.rejected) == (2, 6)
    assert [(r.line, r.reason) for r in report.rejected_examples] == [
        (2, "bad_timestamp_ts"),
        (4, "bad_timestamp_ts"),
        (5, "missing_ts"),
        (6, "missing_student_id"),
        (7, "bad_number_amount"),
        (8, "wrong_field_count"),
    ]
    assert report.rejected_examples[1].text == lines[3]
    assert report.rejects_file is not None
    assert report.rejects_file.read_text(encoding="utf-8").splitlines()[1].startswith("2,")


def test_line_numbers_hold_in_a_file_read_in_parallel(lake: Lake, tmp_path: Path) -> None:
    """DuckDB splits files above ~32 MB between threads; row order must still be file order."""
    count, bad = 600_000, set(range(7, 600_000, 7919))
    body = "".join(
        f"{n},POS消费,地点1,食堂,{'bad' if n in bad else '2014/09/01 07:00:00'},1.0,2.0\n"
        for n in range(1, count + 1)
    )
    path = tmp_path / "big.csv"
    path.write_text(body, encoding="utf-8")

    report = import_datacastle_card(path, lake, max_reported=len(bad))

    assert [r.line for r in report.rejected_examples] == sorted(bad)
    assert all(
        r.text is not None and r.text.startswith(f"{r.line},") for r in report.rejected_examples
    )


def test_reimporting_the_same_content_is_a_no_op(lake: Lake, tmp_path: Path) -> None:
    path = write(tmp_path / "card.csv", [GOOD])
    first = import_datacastle_card(path, lake)
    files_before = {p: p.stat().st_mtime_ns for p in lake.part_files("card")}
    renamed = write(tmp_path / "copy-of-card.csv", [GOOD])

    again = import_datacastle_card(path, lake)
    copy = import_datacastle_card(renamed, lake)

    assert first.imported == 1
    assert again.already_imported and copy.already_imported
    assert {p: p.stat().st_mtime_ns for p in lake.part_files("card")} == files_before
    assert len(lake.entries()) == 1


def test_an_interrupted_import_is_cleaned_up_before_it_runs_again(
    lake: Lake, tmp_path: Path
) -> None:
    path = write(tmp_path / "card.csv", [GOOD])
    report = import_datacastle_card(path, lake)
    (lake.root / "_manifest.json").unlink()  # as if the process died before recording it

    again = import_datacastle_card(path, lake)

    assert again.imported == 1
    assert [p.name for p in lake.part_files("card")] == [part_name(report.sha256)]
    assert len(lake_rows(lake)) == 1


def test_gb18030_files_are_transcoded(lake: Lake, tmp_path: Path) -> None:
    path = write(tmp_path / "card.csv", [GOOD, GOOD.replace("食堂", "淋浴")], encoding="gb18030")

    report = import_datacastle_card(path, lake)

    assert (report.encoding, report.imported) == ("gb18030", 2)
    assert sorted(str(row["kind"]) for row in lake_rows(lake)) == ["淋浴", "食堂"]


def test_a_file_that_turns_to_gb18030_after_the_sniffed_head_is_reread(
    lake: Lake, tmp_path: Path
) -> None:
    ascii_head = [datacastle_line(str(n), "POS", "x", T0, 1.0) for n in range(40_000)]
    path = write(tmp_path / "card.csv", [*ascii_head, GOOD], encoding="gb18030")

    report = import_datacastle_card(path, lake)

    assert (report.encoding, report.imported) == ("gb18030", 40_001)


def test_bom_crlf_and_blank_lines_keep_line_numbers(lake: Lake, tmp_path: Path) -> None:
    lines = [GOOD, "", "576,POS消费,地点1,食堂,not a time,2.4,90.1"]
    path = write(tmp_path / "card.csv", lines, encoding="utf-8-sig", newline="\r\n")

    report = import_datacastle_card(path, lake)

    assert report.imported == 1
    assert [(r.line, r.reason) for r in report.rejected_examples] == [(3, "bad_timestamp_ts")]
    assert lake_rows(lake)[0]["student_id"] == "576"


def test_undecodable_files_fail_clearly(lake: Lake, tmp_path: Path) -> None:
    path = tmp_path / "card.csv"
    path.write_bytes(b"\xff\xfe\x00\x01garbage\x81\x30")

    with pytest.raises(EncodingError, match=r"card\.csv"):
        import_datacastle_card(path, lake)
    assert lake.part_files("card") == []
