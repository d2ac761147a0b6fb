"""The operator commands over the data platform: evaluate_hardship and ingest_card."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

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
    assert "19 features" in output  # 18 card features and the rank in college
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
