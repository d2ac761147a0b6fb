"""Cross-validated comparison of the risk pipeline with the logistic baseline on the same folds.

With a cohort column the folds walk forward in time: each of the newest cohorts is predicted
by a model trained only on the cohorts before it. Without one (most public datasets) the folds
are stratified random splits, which is said in the report, since it flatters the figures.
Flags for the fairness report are the top `capacity` share within each test fold, pooled.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold

from jingzhun.data.ml.artifact import KIND_LIGHTGBM, KIND_LINEAR, Cohort, plain_cohort
from jingzhun.data.ml.baseline import baseline_proba, fit_baseline
from jingzhun.data.ml.choice import CRITERION, recommend
from jingzhun.data.ml.fairness import FairnessReport, fairness_report
from jingzhun.data.ml.metrics import DEFAULT_CAPACITY, RiskMetrics, capacity_flags, risk_metrics
from jingzhun.data.ml.reasons import StudentReasons, explain_flagged
from jingzhun.data.ml.schema import FeatureSchema
from jingzhun.data.ml.training import COHORT, LABEL, RiskModelConfig, binary_labels, fit_risk_model

LIGHTGBM = "LightGBM (calibrated)"
LIGHTGBM_UNCALIBRATED = "LightGBM (uncalibrated)"
BASELINE = "Logistic regression"
MODELS = (LIGHTGBM, LIGHTGBM_UNCALIBRATED, BASELINE)
PICKED_ROW = {KIND_LIGHTGBM: LIGHTGBM, KIND_LINEAR: BASELINE}
SUMMARY_METRICS = ("roc_auc", "pr_auc", "brier", "precision_at_k", "recall_at_k")
DEFAULT_FOLDS = 5
DEFAULT_EXAMPLES = 3

Split = tuple[np.ndarray, np.ndarray, Cohort | None]


@dataclass(frozen=True)
class FoldResult:
    number: int
    train_rows: int
    test_rows: int
    test_cohort: Cohort | None
    calibration: str
    metrics: dict[str, RiskMetrics]


@dataclass(frozen=True)
class MetricSummary:
    mean: float | None
    std: float | None  # sample standard deviation over folds (ddof=1)
    folds: int


@dataclass(frozen=True)
class CrossValidationReport:
    design: str
    rows: int
    positives: int
    capacity: float
    features: tuple[str, ...]
    folds: tuple[FoldResult, ...]
    summary: dict[str, dict[str, MetricSummary]]
    fairness: FairnessReport
    examples: tuple[StudentReasons, ...] = field(default=())

    @property
    def product_pick(self) -> str:
        """The model the product would recommend on this table: its rule (`choice.recommend`)
        applied to the mean PR-AUC over the folds. The product's linear model is the baseline
        pipeline, so the logistic-regression row is its figure."""
        return PICKED_ROW[recommend({
            KIND_LIGHTGBM: self.summary[LIGHTGBM][CRITERION].mean,
            KIND_LINEAR: self.summary[BASELINE][CRITERION].mean,
        })]  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "product_pick": self.product_pick}


def forward_cohort_splits(cohorts: pd.Series, folds: int) -> list[Split]:
    """Each of the newest `folds` cohorts, predicted from all cohorts strictly before it."""
    ordered = sorted(cohorts.dropna().unique())
    values = cohorts.to_numpy()
    splits: list[Split] = []
    for test_cohort in ordered[max(1, len(ordered) - folds) :]:
        train = np.flatnonzero(cohorts.notna().to_numpy() & (values < test_cohort))
        test = np.flatnonzero(values == test_cohort)
        splits.append((train, test, plain_cohort(test_cohort)))
    return splits


def stratified_splits(labels: np.ndarray, folds: int, seed: int) -> list[Split]:
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return [(train, test, None) for train, test in splitter.split(labels, labels)]


def choose_splits(
    table: pd.DataFrame, labels: np.ndarray, folds: int, seed: int
) -> tuple[list[Split], str]:
    if COHORT in table.columns and table[COHORT].nunique() >= 2:
        splits = forward_cohort_splits(table[COHORT], folds)
        design = (
            f"forward by cohort: {len(splits)} folds, each newest cohort predicted from "
            "the cohorts before it"
        )
        return splits, design
    design = (
        f"stratified {folds}-fold cross-validation (no cohort column: random rows, "
        "so the figures are optimistic compared with next-cohort prediction)"
    )
    return stratified_splits(labels, folds, seed), design


def summarise(folds: list[FoldResult]) -> dict[str, dict[str, MetricSummary]]:
    summary: dict[str, dict[str, MetricSummary]] = {}
    for model in MODELS:
        summary[model] = {}
        for metric in SUMMARY_METRICS:
            values = [getattr(f.metrics[model], metric) for f in folds]
            known = np.array([v for v in values if v is not None], dtype=np.float64)
            summary[model][metric] = MetricSummary(
                mean=float(known.mean()) if len(known) else None,
                std=float(known.std(ddof=1)) if len(known) >= 2 else None,
                folds=len(known),
            )
    return summary


def run_fold(
    number: int,
    train: pd.DataFrame,
    test: pd.DataFrame,
    test_cohort: Cohort | None,
    schema: FeatureSchema,
    config: RiskModelConfig,
    capacity: float,
    examples: int = 0,
) -> tuple[FoldResult, np.ndarray, list[StudentReasons]]:
    """Fit both models on `train`, score `test`; returns the fold, its flags, and reasons for
    its `examples` highest-risk students."""
    y_train, y_test = binary_labels(train[LABEL]), binary_labels(test[LABEL])
    model = fit_risk_model(train, schema, config)
    probabilities, margin = model.predict_proba(test), model.margin(test)
    baseline = fit_baseline(train, y_train, schema)
    metrics = {
        LIGHTGBM: risk_metrics(y_test, probabilities, capacity, margin),
        LIGHTGBM_UNCALIBRATED: risk_metrics(y_test, model.uncalibrated(test), capacity),
        BASELINE: risk_metrics(y_test, baseline_proba(baseline, test, schema), capacity),
    }
    calibration = f"{model.calibrator.method.value}, {model.calibration_split}"
    result = FoldResult(number, len(train), len(test), test_cohort, calibration, metrics)
    explained = explain_flagged(model, test, capacity=capacity, limit=examples) if examples else []
    return result, capacity_flags(probabilities, capacity, margin), explained


def cross_validate(
    table: pd.DataFrame,
    schema: FeatureSchema,
    *,
    folds: int = DEFAULT_FOLDS,
    capacity: float = DEFAULT_CAPACITY,
    config: RiskModelConfig | None = None,
    group_columns: tuple[str, ...] = (),
    examples: int = DEFAULT_EXAMPLES,
) -> CrossValidationReport:
    """Score every fold with both models; explain `examples` flagged students of the first."""
    config = config or RiskModelConfig()
    labels = binary_labels(table[LABEL])
    splits, design = choose_splits(table, labels, folds, config.seed)
    results, tested, flags = [], [], []
    explained: list[StudentReasons] = []
    for number, (train_rows, test_rows, test_cohort) in enumerate(splits, start=1):
        train, test = table.iloc[train_rows], table.iloc[test_rows]
        result, fold_flags, fold_explained = run_fold(
            number, train, test, test_cohort, schema, config, capacity,
            examples if number == 1 else 0,
        )  # fmt: skip
        results.append(result)
        tested.append(test_rows)
        flags.append(fold_flags)
        explained.extend(fold_explained)
    pooled = np.concatenate(tested)
    fairness = fairness_report(
        table.iloc[pooled][list(group_columns)], labels[pooled], np.concatenate(flags)
    )
    return CrossValidationReport(
        design=design,
        rows=len(table),
        positives=int(labels.sum()),
        capacity=capacity,
        features=tuple(schema.names),
        folds=tuple(results),
        summary=summarise(results),
        fairness=fairness,
        examples=tuple(explained),
    )
