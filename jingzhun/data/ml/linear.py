"""The linear risk model: logistic regression on standardised numbers and one-hot categories.

On small, mostly monotone tables it equals or beats the boosted trees, so every training fits
it beside them and the office may approve either. scikit-learn fits it (`baseline.py`, the
same pipeline `evaluate_model` compares against); only its numbers are kept — medians, means,
scales, category vocabularies, coefficients — so an artifact loads without unpickling code.

Reasons are exact: the log-odds is the intercept plus one term per feature, and each term is
centred on the average training student (a numeric feature's coefficient × its standardised
value, whose training mean is 0; a category's coefficient minus the coefficients weighted by
how often each category occurred). A positive term is what raises this student's risk above
the average student's, in the same log-odds units as the trees' `pred_contrib`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.pipeline import Pipeline

from jingzhun.data.ml.baseline import MISSING_CATEGORY, baseline_pipeline
from jingzhun.data.ml.features import category_text, check_columns, typed_features
from jingzhun.data.ml.schema import FeatureKind, FeatureSchema
from jingzhun.data.ml.training import LABEL, RiskModel, binary_labels

LINEAR_CALIBRATION = "none (a logistic regression's output is a probability)"


@dataclass(frozen=True)
class NumericTerm:
    """One numeric feature: missing → `median`, then (x − mean) / scale × coefficient."""

    median: float
    mean: float
    scale: float
    coefficient: float


@dataclass(frozen=True)
class CategoricalTerm:
    """One categorical feature: each known category's coefficient, centred on `average` (the
    coefficients weighted by the training shares); an unseen category scores 0 − average."""

    categories: tuple[str, ...]
    coefficients: tuple[float, ...]
    average: float


@dataclass
class LinearRiskModel:
    """The fitted logistic regression as plain numbers; same scoring interface as
    `training.RiskModel` (`matrix`, `margin_of`, `probability_of`, `contributions_of`), so
    `reasons.explain_flagged` and the runs use either without knowing which."""

    schema: FeatureSchema
    numeric: dict[str, NumericTerm]
    categorical: dict[str, CategoricalTerm]
    intercept: float
    regularisation_c: float
    calibration_split: str = LINEAR_CALIBRATION

    def matrix(self, frame: pd.DataFrame) -> np.ndarray:
        """One column per feature: that feature's centred log-odds term for each row."""
        check_columns(frame, self.schema)
        terms = np.empty((len(frame), len(self.schema.features)), dtype=np.float64)
        for position, spec in enumerate(self.schema.features):
            column = frame[spec.name]
            if spec.kind is FeatureKind.NUMERIC:
                term = self.numeric[spec.name]
                values = pd.to_numeric(column, errors="raise").astype("float64").to_numpy()
                values = np.where(np.isnan(values), term.median, values)
                terms[:, position] = (values - term.mean) / term.scale * term.coefficient
            else:
                cat = self.categorical[spec.name]
                text = category_text(column).fillna(MISSING_CATEGORY)
                lookup = dict(zip(cat.categories, cat.coefficients, strict=True))
                coefficient = text.map(lookup).to_numpy(dtype=np.float64, na_value=0.0)
                terms[:, position] = coefficient - cat.average
        return terms

    @property
    def centred_intercept(self) -> float:
        """The log-odds of the average training student (all terms 0)."""
        return self.intercept + sum(c.average for c in self.categorical.values())

    def margin_of(self, matrix: np.ndarray) -> np.ndarray:
        return np.asarray(matrix.sum(axis=1) + self.centred_intercept, dtype=np.float64)

    def probability_of(self, matrix: np.ndarray, margin: np.ndarray | None = None) -> np.ndarray:
        return np.asarray(expit(self.margin_of(matrix) if margin is None else margin))

    def contributions_of(self, matrix: np.ndarray) -> np.ndarray:
        """Per-feature log-odds terms, bias last: the layout of LightGBM's `pred_contrib`."""
        bias = np.full((len(matrix), 1), self.centred_intercept)
        return np.hstack([matrix, bias])

    def margin(self, frame: pd.DataFrame) -> np.ndarray:
        return self.margin_of(self.matrix(frame))

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        return self.probability_of(self.matrix(frame))

    def uncalibrated(self, frame: pd.DataFrame) -> np.ndarray:
        return self.predict_proba(frame)

    def contributions(self, frame: pd.DataFrame) -> np.ndarray:
        return self.contributions_of(self.matrix(frame))

    def to_dict(self) -> dict[str, Any]:
        return {
            "intercept": self.intercept,
            "regularisation_c": self.regularisation_c,
            "numeric": {name: vars(term) for name, term in self.numeric.items()},
            "categorical": {
                name: {"categories": list(t.categories), "coefficients": list(t.coefficients),
                       "average": t.average}
                for name, t in self.categorical.items()
            },
        }  # fmt: skip

    @classmethod
    def from_dict(cls, schema: FeatureSchema, data: dict[str, Any]) -> LinearRiskModel:
        numeric = {name: NumericTerm(**{k: float(v) for k, v in term.items()})
                   for name, term in data["numeric"].items()}  # fmt: skip
        categorical = {
            name: CategoricalTerm(tuple(t["categories"]),
                                  tuple(float(c) for c in t["coefficients"]), float(t["average"]))
            for name, t in data["categorical"].items()
        }  # fmt: skip
        if set(numeric) | set(categorical) != set(schema.names):
            raise ValueError("the linear model's terms and the feature schema disagree")
        return cls(schema, numeric, categorical, float(data["intercept"]),
                   float(data["regularisation_c"]))  # fmt: skip


DEFAULT_C = 1.0
"""Inverse L2 strength on standardised inputs: scikit-learn's default, the baseline the
comparisons in docs/risk-model.md were measured with. Measured on the public tables (same 5
stratified folds), mean PR-AUC for C = 0.01 / 0.1 / 1 / 10: campus_recruitment 0.867 / 0.888 /
0.882 / 0.879, uci_dropout 0.869 / 0.882 / 0.883 / 0.880 — a plateau from 0.1 to 1, within a
fold's noise, so no search over C (which would need a second, nested cohort split)."""


def fit_linear_model(
    table: pd.DataFrame, schema: FeatureSchema, *, label: str = LABEL, c: float = DEFAULT_C
) -> LinearRiskModel:
    """Fit the baseline pipeline on `table` and keep its numbers."""
    labels = binary_labels(table[label])
    if labels.min() == labels.max():
        raise ValueError("training needs both outcomes among the rows")
    typed = typed_features(table, schema)
    pipeline = baseline_pipeline(schema, c=c).fit(typed, labels)
    return _from_pipeline(pipeline, typed, schema, c)


def _from_pipeline(
    pipeline: Pipeline, typed: pd.DataFrame, schema: FeatureSchema, c: float
) -> LinearRiskModel:
    columns, regression = pipeline[0], pipeline[-1]
    coefficients = regression.coef_[0]
    numeric_names = schema.names_of(FeatureKind.NUMERIC)
    categorical_names = schema.names_of(FeatureKind.CATEGORICAL)
    numeric: dict[str, NumericTerm] = {}
    if numeric_names:
        imputer, scaler = (step for _, step in columns.named_transformers_["numeric"].steps)
        for i, name in enumerate(numeric_names):
            numeric[name] = NumericTerm(
                median=float(imputer.statistics_[i]), mean=float(scaler.mean_[i]),
                scale=float(scaler.scale_[i]), coefficient=float(coefficients[i]),
            )  # fmt: skip
    categorical: dict[str, CategoricalTerm] = {}
    offset = len(numeric_names)
    if categorical_names:
        encoder = columns.named_transformers_["categorical"].steps[1][1]
        for name, vocabulary in zip(categorical_names, encoder.categories_, strict=True):
            coef = coefficients[offset : offset + len(vocabulary)]
            offset += len(vocabulary)
            shares = (
                typed[name].fillna(MISSING_CATEGORY).value_counts(normalize=True)
                .reindex(vocabulary, fill_value=0.0).to_numpy()
            )  # fmt: skip
            categorical[name] = CategoricalTerm(
                tuple(str(v) for v in vocabulary), tuple(float(x) for x in coef),
                float(np.dot(shares, coef)),
            )  # fmt: skip
    return LinearRiskModel(schema, numeric, categorical, float(regression.intercept_[0]), c)


Scorer = RiskModel | LinearRiskModel
"""Either fitted risk model: both score, calibrate and explain through the same methods."""
