"""Cross-validated evaluation of the hardship model on DataCastle-format files.

The metric is the competition's: Σ over aid classes c of (n_c / N) · F1_c, N counting every
student (class 0 included). A standardised logistic regression on the same features and the
same folds is printed beside it, so that the number says how much the trees add.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, precision_recall_fscore_support, roc_auc_score
from sklearn.model_selection import BaseCrossValidator, StratifiedKFold
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from jingzhun.data.backends import connect
from jingzhun.data.datacastle import ID, read_rank_pct, read_subsidies
from jingzhun.data.events import CARD, Lake, import_datacastle_card, read_events
from jingzhun.data.events.report import ImportReport
from jingzhun.data.features import CardFeatureParams, card_features
from jingzhun.data.hardship import (
    SUBSIDY_CLASSES,
    HardshipCandidate,
    HardshipParams,
    fit_hardship,
    hardship_probability,
    linear_model,
    predict_class,
    top_candidates,
)
from jingzhun.data.hardship_rule import competition_metric

__all__ = ["competition_metric", "cross_validate", "evaluate_card_file", "repeated_cv"]

AID_CLASSES: tuple[int, ...] = tuple(c for c in SUBSIDY_CLASSES if c != 0)
MIN_FOLDS = 2
NON_FEATURES = ("period",)
FEATURE_DECIMALS = 9
TOP_SHARE = 0.05
"""The share of students a counsellor's list holds: precision is measured at the top 5 %."""
SEEDS: tuple[int, ...] = (0, 1, 2, 3, 4)
"""Seeds of the fold split: 2,000 students make one split's figure noisy (sd ≈ 0.002)."""


@dataclass(frozen=True)
class ClassScores:
    label: int
    support: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class ModelScores:
    name: str
    per_class: tuple[ClassScores, ...]
    metric: float
    roc_auc: float = 0.0
    """ROC-AUC of P(any aid) against "receives aid"; the product ranks by that probability."""
    pr_auc: float = 0.0
    """Average precision of the same ranking (what the rare positives make hard)."""
    precision_at_top: float = 0.0
    """Share of aid receivers among the top TOP_SHARE of the ranking: the counsellor's list."""


@dataclass(frozen=True)
class Spread:
    mean: float
    sd: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        return cls(
            float(np.mean(values)), float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
        )


@dataclass(frozen=True)
class RepeatedScores:
    """One model's figures over several seeds of the fold split: mean and sample sd."""

    name: str
    metric: Spread
    roc_auc: Spread
    pr_auc: Spread
    precision_at_top: Spread


@dataclass(frozen=True)
class Evaluation:
    n_students: int
    n_with_card: int
    folds: int
    features: tuple[str, ...]
    model: ModelScores
    baseline: ModelScores
    notes: tuple[str, ...]
    repeated: tuple[RepeatedScores, RepeatedScores] | None = None
    """Model and baseline over `seeds` (None when only one split was run)."""
    seeds: tuple[int, ...] = ()


def class_scores(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[ClassScores, ...]:
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=list(SUBSIDY_CLASSES), zero_division=0
    )
    return tuple(
        ClassScores(int(c), int(s), float(p), float(r), float(f))
        for c, p, r, f, s in zip(SUBSIDY_CLASSES, precision, recall, f1, support, strict=True)
    )


def precision_at_top(aid: np.ndarray, score: np.ndarray, share: float = TOP_SHARE) -> float:
    """Share of aid receivers among the `share` highest scores (at least one student)."""
    top = max(1, round(share * len(score)))
    return float(np.asarray(aid)[np.argsort(-np.asarray(score), kind="stable")[:top]].mean())


def scores(
    name: str, y_true: np.ndarray, y_pred: np.ndarray, p_aid: np.ndarray | None = None
) -> ModelScores:
    """Per-class scores and the metric of the decisions; ranking figures of P(any aid)."""
    ranking: dict[str, float] = {}
    aid = np.asarray(y_true) > 0
    if p_aid is not None and 0 < aid.sum() < len(aid):
        ranking = {
            "roc_auc": float(roc_auc_score(aid, p_aid)),
            "pr_auc": float(average_precision_score(aid, p_aid)),
            "precision_at_top": precision_at_top(aid, p_aid),
        }
    return ModelScores(
        name, class_scores(y_true, y_pred), competition_metric(y_true, y_pred), **ranking
    )


def baseline_model(y: pd.Series, params: HardshipParams) -> Pipeline:
    """The obvious method: the logistic regression alone (`hardship.linear_model`, balanced
    class weights) with plain argmax, no tuned decision rule."""
    return linear_model(y)


def usable_folds(y: pd.Series, wanted: int) -> tuple[int, list[str]]:
    """Stratified folds need every class in every fold: at most the smallest class count."""
    smallest = int(y.value_counts().min())
    if smallest < MIN_FOLDS:
        raise ValueError(
            f"a class has only {smallest} student(s); cross-validation needs {MIN_FOLDS}"
        )
    if wanted <= smallest:
        return wanted, []
    return smallest, [
        f"folds reduced from {wanted} to {smallest}: the smallest class has {smallest} students"
    ]


def cross_validate(
    features: pd.DataFrame, labels: pd.Series, folds: int, params: HardshipParams | None = None
) -> tuple[ModelScores, ModelScores, int, list[str]]:
    """Out-of-fold predictions of the model and the baseline on the same stratified folds
    (split by `params.seed`). Each fold's model chooses its decision rule on its own
    training students (nested), so no test-fold label reaches a test-fold decision."""
    params = params or HardshipParams()
    y = labels.loc[features.index].astype(int)
    folds, notes = usable_folds(y, folds)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=params.seed)
    # One BLAS thread: on thousands of rows threading gains nothing, and OpenBLAS threads
    # spinning against other busy processes made one logistic fit take 1 s or 13 s.
    with threadpool_limits(limits=1):
        model, baseline = out_of_fold(features, y, splitter, params)
    truth = y.to_numpy()
    return (
        scores("LightGBM + logistic", truth, *model),
        scores("logistic regression (baseline)", truth, *baseline),
        folds,
        notes,
    )


Predictions = tuple[np.ndarray, np.ndarray]
"""Decided class and P(any aid) per student."""


def out_of_fold(
    features: pd.DataFrame, y: pd.Series, splitter: BaseCrossValidator, params: HardshipParams
) -> tuple[Predictions, Predictions]:
    """Each student's prediction from the model and the baseline trained without its fold."""
    model_pred, model_aid = np.zeros(len(y), dtype=int), np.zeros(len(y))
    baseline_pred, baseline_aid = np.zeros(len(y), dtype=int), np.zeros(len(y))
    for train, test in splitter.split(features, y):
        x_train, y_train, x_test = features.iloc[train], y.iloc[train], features.iloc[test]
        model = fit_hardship(x_train, y_train, params)
        model_pred[test] = predict_class(model, x_test)
        model_aid[test] = hardship_probability(model, x_test).to_numpy()
        # The model's own logistic regression is the baseline fitted on the same students.
        baseline = model.linear
        if baseline is None:
            baseline = baseline_model(y_train, params).fit(x_train.to_numpy(float), y_train)
        baseline_pred[test] = baseline.predict(x_test.to_numpy(float))
        no_aid = list(baseline.classes_).index(0)
        baseline_aid[test] = 1.0 - baseline.predict_proba(x_test.to_numpy(float))[:, no_aid]
    return (model_pred, model_aid), (baseline_pred, baseline_aid)


def repeated_cv(
    features: pd.DataFrame,
    labels: pd.Series,
    folds: int,
    params: HardshipParams | None = None,
    seeds: tuple[int, ...] = SEEDS,
) -> tuple[RepeatedScores, RepeatedScores]:
    """`cross_validate` once per seed of the fold split; mean and sd of every figure."""
    params = params or HardshipParams()
    runs = [cross_validate(features, labels, folds, replace(params, seed=s))[:2] for s in seeds]
    return tuple(  # type: ignore[return-value]
        RepeatedScores(
            name=runs[0][which].name,
            metric=Spread.of([r[which].metric for r in runs]),
            roc_auc=Spread.of([r[which].roc_auc for r in runs]),
            pr_auc=Spread.of([r[which].pr_auc for r in runs]),
            precision_at_top=Spread.of([r[which].precision_at_top for r in runs]),
        )
        for which in (0, 1)
    )


def evaluation_frame(
    features: pd.DataFrame, labels: pd.Series, rank_pct: pd.Series | None
) -> pd.DataFrame:
    """One row per labelled student. Students without card rows keep NaN features — missing,
    not zero: zero meals would read as extreme hardship. LightGBM routes NaN natively."""
    frame = features.drop(columns=[c for c in NON_FEATURES if c in features.columns])
    frame = frame.set_index(ID).reindex(labels.index.astype(str))
    if rank_pct is not None:
        frame["rank_pct"] = rank_pct.reindex(frame.index)
    # DuckDB sums in parallel in no fixed order, so float features differ in the last bits
    # from run to run, and a tree split can fall between them (the figures then moved by up
    # to 0.001 between runs). Rounding makes the evaluation repeat exactly.
    return frame.astype(float).round(FEATURE_DECIMALS)


@dataclass(frozen=True)
class EvaluationRun:
    ingest: ImportReport
    evaluation: Evaluation
    candidates: tuple[HardshipCandidate, ...]
    seconds: dict[str, float]


def student_card_features(
    card: Path, workdir: Path, params: CardFeatureParams
) -> tuple[ImportReport, pd.DataFrame]:
    """Ingest a DataCastle card file into a scratch lake and compute whole-period features."""
    lake = Lake.at(workdir / "lake")
    report = import_datacastle_card(card, lake)
    con = connect("duckdb", workdir / "features.duckdb")
    features = con.execute(card_features(read_events(con, lake, CARD), params, calendar=None))
    con.disconnect()
    return report, features


def evaluate_card_file(
    card: Path,
    labels_path: Path,
    scores_path: Path | None = None,
    *,
    folds: int = 5,
    explain: int = 5,
    params: HardshipParams | None = None,
    card_params: CardFeatureParams | None = None,
    seeds: tuple[int, ...] = SEEDS,
) -> EvaluationRun:
    """Ingest, featurise, cross-validate and explain the top candidates of a DataCastle file."""
    params, card_params = params or HardshipParams(), card_params or CardFeatureParams()
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="jingzhun-hardship-") as scratch:
        ingest, features = student_card_features(card, Path(scratch), card_params)
    seconds["ingest and features"] = time.perf_counter() - started
    labels = read_subsidies(labels_path)
    ranks = read_rank_pct(scores_path) if scores_path is not None else None
    frame = evaluation_frame(features, labels, ranks)
    with_card = int(frame.index.isin(features[ID]).sum())
    started = time.perf_counter()
    model_scores, baseline_scores, used_folds, notes = cross_validate(frame, labels, folds, params)
    repeated = repeated_cv(frame, labels, used_folds, params, seeds) if seeds else None
    seconds["cross-validation"] = time.perf_counter() - started
    if with_card < len(frame):
        notes.append(
            f"{len(frame) - with_card} of {len(frame)} labelled students have no card rows; "
            "their card features are missing (NaN), not zero"
        )
    model = fit_hardship(frame, labels, params, card_params=card_params)
    candidates = top_candidates(
        model, frame.loc[frame.index.isin(features[ID])], explain, params.top_reasons
    )
    evaluation = Evaluation(
        n_students=len(frame),
        n_with_card=with_card,
        folds=used_folds,
        features=tuple(frame.columns),
        model=model_scores,
        baseline=baseline_scores,
        notes=tuple(notes),
        repeated=repeated,
        seeds=seeds,
    )
    return EvaluationRun(ingest, evaluation, tuple(candidates), seconds)
