"""Cross-validated evaluation of the hardship model on DataCastle-format files.

The metric is the competition's: Σ over aid classes c of (n_c / N) · F1_c, N counting every
student (class 0 included). A standardised logistic regression on the same features and the
same folds is printed beside it, so that the number says how much the trees add.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
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
    class_weights,
    fit_hardship,
    make_estimator,
    top_candidates,
)

AID_CLASSES: tuple[int, ...] = tuple(c for c in SUBSIDY_CLASSES if c != 0)
MIN_FOLDS = 2
BASELINE_MAX_ITER = 2000
NON_FEATURES = ("period",)


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


@dataclass(frozen=True)
class Evaluation:
    n_students: int
    n_with_card: int
    folds: int
    features: tuple[str, ...]
    model: ModelScores
    baseline: ModelScores
    notes: tuple[str, ...]


def competition_metric(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Σ_{c ∈ 1000,1500,2000} (n_c / N) · F1_c."""
    _, _, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=list(AID_CLASSES), zero_division=0
    )
    return float(np.sum(support / len(y_true) * f1))


def class_scores(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[ClassScores, ...]:
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=list(SUBSIDY_CLASSES), zero_division=0
    )
    return tuple(
        ClassScores(int(c), int(s), float(p), float(r), float(f))
        for c, p, r, f, s in zip(SUBSIDY_CLASSES, precision, recall, f1, support, strict=True)
    )


def scores(name: str, y_true: np.ndarray, y_pred: np.ndarray) -> ModelScores:
    return ModelScores(name, class_scores(y_true, y_pred), competition_metric(y_true, y_pred))


def baseline_model(y: pd.Series, params: HardshipParams) -> Pipeline:
    """Logistic regression on standardised features; missing values imputed by the median
    with an indicator column, since a linear model cannot route them itself."""
    return make_pipeline(
        SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
        StandardScaler(),
        LogisticRegression(
            max_iter=BASELINE_MAX_ITER, class_weight=class_weights(y, params.class_weight_power)
        ),
    )


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
    """Out-of-fold predictions of the model and the baseline on the same stratified folds."""
    params = params or HardshipParams()
    y = labels.loc[features.index].astype(int)
    folds, notes = usable_folds(y, folds)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=params.seed)
    # One BLAS thread: on thousands of rows threading gains nothing, and OpenBLAS threads
    # spinning against other busy processes made one logistic fit take 1 s or 13 s.
    with threadpool_limits(limits=1):
        model_pred, baseline_pred = _out_of_fold(features, y, splitter, params)
    truth = y.to_numpy()
    return (
        scores("LightGBM", truth, model_pred),
        scores("logistic regression (baseline)", truth, baseline_pred),
        folds,
        notes,
    )


def _out_of_fold(
    features: pd.DataFrame, y: pd.Series, splitter: StratifiedKFold, params: HardshipParams
) -> tuple[np.ndarray, np.ndarray]:
    model_pred = np.zeros(len(y), dtype=int)
    baseline_pred = np.zeros(len(y), dtype=int)
    for train, test in splitter.split(features, y):
        x_train, y_train = features.iloc[train], y.iloc[train]
        model_pred[test] = (
            make_estimator(y_train, params).fit(x_train, y_train).predict(features.iloc[test])
        )
        baseline = baseline_model(y_train, params).fit(x_train.to_numpy(float), y_train)
        baseline_pred[test] = baseline.predict(features.iloc[test].to_numpy(float))
    return model_pred, baseline_pred


def evaluation_frame(
    features: pd.DataFrame, labels: pd.Series, rank_pct: pd.Series | None
) -> pd.DataFrame:
    """One row per labelled student. Students without card rows keep NaN features — missing,
    not zero: zero meals would read as extreme hardship. LightGBM routes NaN natively."""
    frame = features.drop(columns=[c for c in NON_FEATURES if c in features.columns])
    frame = frame.set_index(ID).reindex(labels.index.astype(str))
    if rank_pct is not None:
        frame["rank_pct"] = rank_pct.reindex(frame.index)
    return frame.astype(float)


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
    )
    return EvaluationRun(ingest, evaluation, tuple(candidates), seconds)
