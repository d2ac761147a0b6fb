"""The model page's words: each figure as a sentence for the office, trainings kept whole."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from jingzhun.identification.model_figures import plain_figures, trainings
from jingzhun.identification.models import RiskModel

VALIDATION = {
    "rows": 180, "positives": 60, "prevalence": 1 / 3, "k": 18, "capacity": 0.1,
    "precision_at_k": 16 / 18, "recall_at_k": 16 / 60, "pr_auc": 0.8671, "roc_auc": 0.9444,
    "brier": 0.07412,
}  # fmt: skip


def test_each_figure_reads_as_a_sentence_with_the_metric_small_beside_it():
    with translation.override("zh-hans"):
        figures = plain_figures(VALIDATION)
    assert [(f.testid, f.words, f.metric, f.value) for f in figures] == [
        ("figure-precision", "在风险最高的前 10%（18 人）名单中，有 16 人后来未落实去向。",
         "precision@18", "0.889"),
        ("figure-recall", "全部未落实去向的学生中，有 27% 在这份名单里。", "recall@18", "0.267"),
        ("figure-pr-auc", "名单逐步加长时仍能找准这些学生的程度：0.867（随机抽人约为 0.333）。",
         "PR-AUC", "0.867"),
        ("figure-roc-auc", "任取一名未落实去向和一名已落实去向的学生，前者排在前面的比例为 94%"
         "（随机猜测为 50%）。", "ROC-AUC", "0.944"),
        ("figure-brier", "预测概率与实际结果的差距：0.0741（越小越好；给每人相同概率时为 0.2222）。",
         "Brier", "0.0741"),
    ]  # fmt: skip


def test_a_figure_that_could_not_be_measured_is_left_out():
    only_one_outcome = {**VALIDATION, "roc_auc": None, "pr_auc": None, "recall_at_k": None}
    assert [f.testid for f in plain_figures(only_one_outcome)] == [
        "figure-precision", "figure-brier",
    ]  # fmt: skip
    assert plain_figures({}) == []


def model(version: str, kind: str, training: str) -> RiskModel:
    return RiskModel(version=version, kind=kind, training=training, as_of=dt.date(2026, 11, 26))


def test_trainings_group_both_rows_trees_first_and_drop_one_cut_by_the_limit():
    rows = [  # newest first, as the page reads them
        model("a-linear", "linear", "a"), model("a", "lightgbm", "a"),
        model("old", "lightgbm", ""),  # trained before there were two kinds
        model("c-linear", "linear", "c"),  # its trees fell beyond the limit
    ]  # fmt: skip
    shown = trainings(rows, cut=True)
    assert [(t.key, [m.version for m in t.models]) for t in shown] == [
        ("a", ["a", "a-linear"]), ("old", ["old"]),
    ]  # fmt: skip
    # Not cut: a training missing a row (deleted in the admin) is still shown.
    assert [t.key for t in trainings(rows)] == ["a", "old", "c"]
