"""The real DataCastle sample (40 students, 10 per subsidy class) through the pipeline."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from jingzhun.data.datacastle import read_rank_pct, read_subsidies
from jingzhun.data.events import CARD, Lake, import_datacastle_card, read_events
from jingzhun.data.features import card_features
from jingzhun.data.hardship_evaluation import evaluate_card_file
from jingzhun.data.periods import TermCalendar

pytestmark = pytest.mark.realdata
SAMPLE = "card_train_sample_40students.csv"
SAMPLE_LABELS = "card_train_sample_40students.ids_subsidy.csv"
DEV = "card_train_dev_2000students.csv.gz"
DEV_LABELS = "subsidy_dev_2000students.txt"


@pytest.fixture
def datacastle(realdata_dir: Path) -> Path:
    return realdata_dir / "datacastle_card"


def test_the_sample_imports_completely(datacastle: Path, tmp_path: Path, duckdb_con: Any) -> None:
    lake = Lake.at(tmp_path / "lake")

    report = import_datacastle_card(datacastle / SAMPLE, lake)

    assert (report.imported, report.rejected, report.encoding) == (50_602, 0, "utf-8")
    assert (report.months[0], report.months[-1], len(report.months)) == ("2013-09", "2015-08", 24)
    events = read_events(duckdb_con, lake, CARD)
    missing_kind = duckdb_con.execute(events.filter(events.kind.isnull()).count())
    assert missing_kind == 1_700  # top-ups and card-office rows have no 消费方式


def test_top_ups_per_student_match_a_plain_count_of_the_file(
    datacastle: Path, tmp_path: Path, duckdb_con: Any
) -> None:
    lake = Lake.at(tmp_path / "lake")
    import_datacastle_card(datacastle / SAMPLE, lake)
    raw = pd.read_csv(datacastle / SAMPLE, header=None, dtype=str, keep_default_na=False)
    expected = raw[raw[1] == "卡充值"].groupby(0).size()

    features = duckdb_con.execute(card_features(read_events(duckdb_con, lake, CARD)))
    counted = features.set_index("student_id").eval("topups_per_window * span_days / 30").round()

    assert counted.reindex(expected.index).astype(int).to_dict() == expected.to_dict()
    assert set(features["student_id"]) == set(read_subsidies(datacastle / SAMPLE_LABELS).index)


def test_per_term_features_cover_every_student(
    datacastle: Path, tmp_path: Path, duckdb_con: Any
) -> None:
    lake = Lake.at(tmp_path / "lake")
    import_datacastle_card(datacastle / SAMPLE, lake)

    terms = duckdb_con.execute(
        card_features(read_events(duckdb_con, lake, CARD), calendar=TermCalendar())
    )

    assert terms["student_id"].nunique() == 40
    assert set(terms["period"]) <= {"2013-2014-1", "2013-2014-2", "2014-2015-1", "2014-2015-2"}
    assert terms["meal_cost_mean"].dropna().between(1, 30).all()


def test_label_files_with_and_without_header(datacastle: Path) -> None:
    sample = read_subsidies(datacastle / SAMPLE_LABELS)
    full = read_subsidies(datacastle / "subsidy_train.txt")
    ranks = read_rank_pct(datacastle / "score_train.txt")

    assert sample.value_counts().to_dict() == {0: 10, 1000: 10, 1500: 10, 2000: 10}
    assert len(full) == 10_885
    assert ranks.between(0, 1).all() and len(ranks) == 9_130


def test_the_evaluation_runs_on_the_sample(datacastle: Path) -> None:
    run = evaluate_card_file(datacastle / SAMPLE, datacastle / SAMPLE_LABELS, folds=5, explain=3)

    assert run.evaluation.n_students == run.evaluation.n_with_card == 40
    assert run.evaluation.folds == 5
    assert 0.0 <= run.evaluation.model.metric <= 0.75  # three aid classes of 10/40 each
    assert len(run.candidates) == 3
    assert all(c.reasons for c in run.candidates)


def test_on_the_development_split_the_model_beats_its_baseline(
    datacastle: Path, tmp_path: Path
) -> None:
    """One split (seed 2026) of the 2,000 real students, about half a minute; the five-seed
    figures are the command's (docs/data-platform.md). Before the nested decision rule,
    balanced weights and the meal/top-up features this split scored 0.0133; with the
    time-of-day, top-up and balance features, the score averaged with the logistic
    regression and a cut on it deciding aid, 0.0251 and ROC-AUC 0.823 (baseline 0.0197 and
    0.808)."""
    card = tmp_path / "card.csv"
    with gzip.open(datacastle / DEV, "rb") as packed, card.open("wb") as plain:
        shutil.copyfileobj(packed, plain)

    run = evaluate_card_file(
        card, datacastle / DEV_LABELS, datacastle / "score_train.txt", explain=3, seeds=()
    )

    evaluation = run.evaluation
    assert (evaluation.n_students, evaluation.n_with_card) == (1_999, 1_993)
    assert evaluation.model.metric > max(0.02, evaluation.baseline.metric)
    assert evaluation.model.roc_auc > max(0.75, evaluation.baseline.roc_auc)
    assert evaluation.model.pr_auc > evaluation.baseline.pr_auc
    assert evaluation.model.precision_at_top > 0.3  # chance is 0.14
    texts = [r.text for c in run.candidates for r in c.reasons]
    assert not [t for t in texts if "排名位次" in t]  # the rank reads 成绩位于本学院前/后 N%
