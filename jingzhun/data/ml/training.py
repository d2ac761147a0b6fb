"""Fit the risk model: shallow LightGBM trees, then a calibrator fitted on out-of-cohort scores.

Calibration is cross-fitted (`CalibratedClassifierCV(ensemble=False)`): each training cohort is
scored by trees grown without it, one calibrator is fitted on those scores, and the final trees
are grown on every training cohort. The result is a single booster — so `pred_contrib` explains
exactly the score that is calibrated — and no training cohort is spent on calibration alone.
Without a cohort column the same is done with stratified folds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import GroupKFold, StratifiedKFold

from jingzhun.data.ml.calibration import (
    CalibrationMethod,
    Calibrator,
    CalibratorInput,
    calibrator_from_sklearn,
)
from jingzhun.data.ml.decisions import decision_groups
from jingzhun.data.ml.features import (
    Categories,
    categorical_positions,
    encode_features,
    learn_categories,
)
from jingzhun.data.ml.schema import FeatureSchema

LABEL = "no_destination"
COHORT = "cohort"

# Contributions cost grows with depth (see DESIGN "Models"); keep the trees this shallow.
MAX_DEPTH_LIMIT = 4
NUM_LEAVES_LIMIT = 15
DEFAULT_SEED = 20240831
PREDICT_THREADS = 0
"""LightGBM's 0: OpenMP's default, one thread per core."""


@dataclass(frozen=True)
class RiskModelConfig:
    n_estimators: int = 200
    max_depth: int = MAX_DEPTH_LIMIT
    num_leaves: int = NUM_LEAVES_LIMIT
    learning_rate: float = 0.05
    min_child_samples: int = 20
    seed: int = DEFAULT_SEED
    n_jobs: int = 1  # measured: 2 threads were slower than 1 on this 2-core machine under load
    # Platt scaling is strictly monotone: ranking, capacity flags and reasons are unchanged.
    # Isotonic steps create ties and, on the public data, lowered PR-AUC (docs/risk-model.md).
    calibration: CalibrationMethod = CalibrationMethod.SIGMOID
    calibration_folds: int = 5

    def __post_init__(self) -> None:
        if not 1 <= self.max_depth <= MAX_DEPTH_LIMIT:
            raise ValueError(f"max_depth must be 1..{MAX_DEPTH_LIMIT} to keep reasons affordable")
        if not 2 <= self.num_leaves <= NUM_LEAVES_LIMIT:
            raise ValueError(f"num_leaves must be 2..{NUM_LEAVES_LIMIT}")
        if self.calibration_folds < 2:
            raise ValueError("calibration needs at least two folds")

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "calibration": self.calibration.value}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RiskModelConfig:
        return cls(**{**data, "calibration": CalibrationMethod(data["calibration"])})

    def estimator(self) -> lgb.LGBMClassifier:
        return lgb.LGBMClassifier(
            n_estimators=self.n_estimators,
            max_depth=self.max_depth,
            num_leaves=self.num_leaves,
            learning_rate=self.learning_rate,
            min_child_samples=self.min_child_samples,
            random_state=self.seed,
            n_jobs=self.n_jobs,
            deterministic=True,
            force_col_wise=True,
            verbose=-1,
        )


@dataclass
class RiskModel:
    """The fitted scorer: encoding vocabulary, booster, calibrator. Nothing of scikit-learn."""

    schema: FeatureSchema
    categories: Categories
    booster: lgb.Booster
    calibrator: Calibrator
    calibration_split: str

    def matrix(self, frame: pd.DataFrame) -> np.ndarray:
        return encode_features(frame, self.schema, self.categories)

    def _predict(self, matrix: np.ndarray, **kwargs: bool) -> np.ndarray:
        """Prediction on every core: rows are independent, so the result is the same as on
        one (training stays single-threaded, see `n_jobs`); a million rows take half the
        time on two cores."""
        return np.asarray(self.booster.predict(matrix, num_threads=PREDICT_THREADS, **kwargs))

    def margin(self, frame: pd.DataFrame) -> np.ndarray:
        """Raw log-odds; monotone in the calibrated probability, so it breaks its ties."""
        return self.margin_of(self.matrix(frame))

    def uncalibrated(self, frame: pd.DataFrame) -> np.ndarray:
        return self._predict(self.matrix(frame))

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        return self.probability_of(self.matrix(frame))

    def margin_of(self, matrix: np.ndarray) -> np.ndarray:
        """`margin` of rows already encoded by `matrix`."""
        return self._predict(matrix, raw_score=True)

    def probability_of(self, matrix: np.ndarray, margin: np.ndarray | None = None) -> np.ndarray:
        """`predict_proba` of rows already encoded by `matrix`; a margin the caller already has
        (`margin_of` of the same matrix) spares a second pass of the trees."""
        if self.calibrator.input is CalibratorInput.MARGIN:
            return self.calibrator.apply(self.margin_of(matrix) if margin is None else margin)
        return self.calibrator.apply(self._predict(matrix))

    def contributions(self, frame: pd.DataFrame) -> np.ndarray:
        """Per-feature log-odds contributions, bias last: expensive, call on flagged rows only.
        Computed once per group of rows the trees cannot tell apart (`decisions`: exact)."""
        return self.contributions_of(self.matrix(frame))

    def contributions_of(self, matrix: np.ndarray) -> np.ndarray:
        """`contributions` of rows already encoded by `matrix`."""
        if not len(matrix):
            return self._predict(matrix, pred_contrib=True)
        first, group = decision_groups(self.booster, matrix)
        return self._predict(matrix[first], pred_contrib=True)[group]


def binary_labels(values: pd.Series) -> np.ndarray:
    labels = pd.to_numeric(values, errors="raise").to_numpy()
    if not np.isin(labels, (0, 1)).all():
        raise ValueError(f"the label column must hold 0/1 (1 = {LABEL})")
    return labels.astype(np.int64)


def calibration_splits(
    labels: np.ndarray, cohorts: pd.Series | None, config: RiskModelConfig
) -> tuple[list[tuple[np.ndarray, np.ndarray]], str]:
    """Hold out whole cohorts when there are several, so calibration sees cohort drift."""
    if cohorts is not None and cohorts.nunique() >= 2:
        groups = cohorts.to_numpy()
        folds = min(cohorts.nunique(), config.calibration_folds)
        splits: Iterator[tuple[np.ndarray, np.ndarray]] = GroupKFold(n_splits=folds).split(
            labels, labels, groups
        )
        design = (
            "leave-one-cohort-out"
            if folds == cohorts.nunique()
            else f"{folds}-fold grouped by cohort"
        )
        return list(splits), design
    minority = int(min(labels.sum(), len(labels) - labels.sum()))
    folds = max(2, min(config.calibration_folds, minority))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=config.seed)
    return list(splitter.split(labels, labels)), f"stratified {folds}-fold (no cohorts)"


def fit_risk_model(
    table: pd.DataFrame,
    schema: FeatureSchema,
    config: RiskModelConfig | None = None,
    *,
    label: str = LABEL,
    cohort: str | None = COHORT,
) -> RiskModel:
    """Fit trees and calibrator on `table` (features + 0/1 label + optional cohort column)."""
    config = config or RiskModelConfig()
    labels = binary_labels(table[label])
    if labels.min() == labels.max():
        raise ValueError("training needs both outcomes among the rows")
    cohorts = table[cohort] if cohort and cohort in table.columns else None
    categories = learn_categories(table, schema)
    matrix = encode_features(table, schema, categories)
    splits, design = calibration_splits(labels, cohorts, config)
    method = config.calibration
    calibrated = CalibratedClassifierCV(
        config.estimator(), method=method.value, cv=splits, ensemble=False
    )
    calibrated.fit(matrix, labels, categorical_feature=categorical_positions(schema))
    fitted = calibrated.calibrated_classifiers_[0]
    input_kind = (
        CalibratorInput.MARGIN
        if hasattr(fitted.estimator, "decision_function")
        else CalibratorInput.PROBABILITY
    )
    return RiskModel(
        schema=schema,
        categories=categories,
        booster=fitted.estimator.booster_,
        calibrator=calibrator_from_sklearn(fitted.calibrators[0], method, input_kind),
        calibration_split=design,
    )
