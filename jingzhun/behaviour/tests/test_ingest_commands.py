"""The operator commands over the data platform: evaluate_hardship and ingest_card."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from jingzhun.data.features import CARD_FEATURES
from jingzhun.data.synthetic import write_datacastle_csv, write_subsidy_labels

STUDENTS = 200


@pytest.fixture(scope="module")
def datacastle_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("datacastle")
    written = write_datacastle_csv(folder / "card.csv", 30_000, STUDENTS, seed=21)
    write_subsidy_labels(folder / "subsidy.txt", written.population)
    ranks = (f"{sid},{int(sid) % 3},{int(sid) // 3 + 1}" for sid in written.population.student_ids)
    (folder / "score.txt").write_text("\n".join(ranks) + "\n", encoding="utf-8")
    # A labelled subset with three students per aid class: too few for five folds.
    few = ["id,subsidy"] + [
        f"{n},{(0, 1000, 1500, 2000)[n % 4] if n < 12 else 0}" for n in range(40)
    ]
    (folder / "few.csv").write_text("\n".join(few) + "\n", encoding="utf-8")
    return {
        "card": folder / "card.csv",
        "labels": folder / "subsidy.txt",
        "scores": folder / "score.txt",
        "few": folder / "few.csv",
    }


def run(*args: str, **options: Any) -> str:
    """The command's output in the English source language (translations change wording)."""
    out = StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_evaluate_hardship_prints_scores_metric_baseline_and_candidates(
    datacastle_files: dict[str, Path],
) -> None:
    output = run(
        "evaluate_hardship",
        card=str(datacastle_files["card"]),
        labels=str(datacastle_files["labels"]),
        scores=str(datacastle_files["scores"]),
        folds=3,
        explain=2,
    )

    assert f"students: {STUDENTS} labelled, {STUDENTS} with card rows; 3-fold" in output
    assert f"{len(CARD_FEATURES) + 1} features" in output  # the card features and the rank
    assert output.count("metric Σ (n_c/N)·F1_c over 1000/1500/2000:") == 2
    assert "logistic regression (baseline)" in output
    assert output.count(" P(aid)=") == 2
    assert "，低于全校" in output or "，高于全校" in output


def test_evaluate_hardship_reduces_folds_to_the_smallest_class_and_says_so(
    datacastle_files: dict[str, Path],
) -> None:
    output = run(
        "evaluate_hardship",
        card=str(datacastle_files["card"]),
        labels=str(datacastle_files["few"]),
        folds=5,
        explain=0,
    )

    assert "students: 40 labelled, 40 with card rows; 3-fold" in output
    assert "note: folds reduced from 5 to 3: the smallest class has 3 students" in output


def test_evaluate_hardship_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        run("evaluate_hardship", card=str(tmp_path / "nope.csv"), labels=str(tmp_path / "x"))


def test_ingest_card_imports_once_and_lists_rejected_lines(tmp_path: Path) -> None:
    card = tmp_path / "card.csv"
    card.write_text(
        "576,POS消费,地点1,食堂,2014/09/01 07:00:00,2.4,90.1\n"
        "576,POS消费,地点1,食堂,2014/09/01 99:00:00,2.4,90.1\n",
        encoding="utf-8",
    )
    lake = tmp_path / "lake"

    first = run("ingest_card", str(card), lake=str(lake))
    second = run("ingest_card", str(card), lake=str(lake))

    assert "card.csv: 1 rows imported, 1 rejected, 1 months, utf-8" in first
    assert (
        "  line 2: bad_timestamp_ts: 576,POS消费,地点1,食堂,2014/09/01 99:00:00,2.4,90.1" in first
    )
    assert "already in the lake" in second
    assert len(list(lake.glob("source=card/month=2014-09/*.parquet"))) == 1


def _mapping(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mapping.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_ingest_events_imports_a_gb18030_library_export_once(tmp_path: Path) -> None:
    export = tmp_path / "借阅.csv"
    export.write_bytes(
        "学号,借阅时间,条码号,书名\n"
        "2023010101,2026-10-08 09:15:00,B001,高等数学\n"
        "2023010102,2026-10-09 25:00:00,B002,大学英语\n"
        "2023010101,2026/11/02 14:00,B003,数据结构\n".encode("gb18030")
    )
    mapping = _mapping(tmp_path, '{"student_id": "学号", "ts": "借阅时间", "book_id": "条码号"}')
    lake = tmp_path / "lake"

    first = run(
        "ingest_events", str(export), source="library", mapping=str(mapping), lake=str(lake)
    )
    again = run(
        "ingest_events", str(export), source="library", mapping=str(mapping), lake=str(lake)
    )

    assert "借阅.csv: 2 rows imported, 1 rejected, 2 months, gb18030" in first
    # the rejected row as the mapped columns read it, at its line in the file (header = 1)
    assert "  line 3: bad_timestamp_ts: 2023010102,2026-10-09 25:00:00,B002\n" in first
    assert "already in the lake" in again
    months = sorted(p.parent.name for p in lake.glob("source=library/month=*/*.parquet"))
    assert months == ["month=2026-10", "month=2026-11"]


def test_without_lake_the_imports_go_to_the_event_lake_setting(tmp_path: Path, settings) -> None:
    settings.EVENT_LAKE_DIR = tmp_path / "default-lake"
    export = tmp_path / "loans.csv"
    export.write_text("学号,借阅时间\n2023010101,2026-10-08 09:15:00\n", encoding="utf-8")
    mapping = _mapping(tmp_path, '{"student_id": "学号", "ts": "借阅时间"}')
    card = tmp_path / "card.csv"
    card.write_text("576,POS消费,地点1,食堂,2014/09/01 07:00:00,2.4,90.1\n", encoding="utf-8")

    events = run("ingest_events", str(export), source="library", mapping=str(mapping))
    cards = run("ingest_card", str(card))

    assert "loans.csv: 1 rows imported, 0 rejected, 1 months" in events
    assert "card.csv: 1 rows imported, 0 rejected, 1 months" in cards
    lake = settings.EVENT_LAKE_DIR
    assert len(list(lake.glob("source=library/month=2026-10/*.parquet"))) == 1
    assert len(list(lake.glob("source=card/month=2014-09/*.parquet"))) == 1
    assert not (tmp_path / "lake").exists()  # not the suite's per-test default


def test_ingest_events_reads_an_excel_sheet(tmp_path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(tmp_path / "dorm.xlsx"))
    sheet = book.add_worksheet("门禁")
    rows = [["学号", "通行时间", "方向", "门"], ["2023010101", "2026-11-20 23:40:00", "in", "北门"],
            ["2023010102", "2026-11-21 07:05:00", "out", "北门"]]  # fmt: skip
    for number, row in enumerate(rows):
        sheet.write_row(number, 0, row)
    book.close()
    mapping = _mapping(
        tmp_path, '{"student_id": "学号", "ts": "通行时间", "direction": "方向", "gate": "门"}'
    )

    output = run("ingest_events", str(tmp_path / "dorm.xlsx"), source="dorm", sheet="门禁",
                 mapping=str(mapping), lake=str(tmp_path / "lake"))  # fmt: skip

    assert "dorm.xlsx: 2 rows imported, 0 rejected, 1 months" in output


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ('{"student_id": "学号"}', "required columns not mapped ['ts']"),
        ('{"student_id": "学号", "ts": "时间"}', "'时间'"),  # no such header in the file
        ('["学号", "借阅时间"]', "must be one JSON object of column names to headers"),
        ("学号=student_id", "is not a JSON mapping"),
    ],
)
def test_ingest_events_refuses_a_mapping_that_does_not_fit(
    tmp_path: Path, mapping, message
) -> None:
    export = tmp_path / "loans.csv"
    export.write_text("学号,借阅时间\n2023010101,2026-10-08 09:15:00\n", encoding="utf-8")
    lake = tmp_path / "lake"

    with pytest.raises(CommandError, match=re.escape(message)):
        run("ingest_events", str(export), source="library",
            mapping=str(_mapping(tmp_path, mapping)), lake=str(lake))  # fmt: skip
    assert not list(lake.glob("source=*/**/*.parquet"))  # nothing written
