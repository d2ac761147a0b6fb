"""The yardstick: a logistic regression any statistician would fit first.

If the boosted trees do not beat it on the same folds, the simpler model should ship. Numerics
are median-imputed and standardised, categories one-hot encoded (unseen ones ignored).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from jingzhun.data.ml.features import typed_features
from jingzhun.data.ml.schema import FeatureKind, FeatureSchema

MAX_ITERATIONS = 5000
MISSING_CATEGORY = "(missing)"


def baseline_pipeline(schema: FeatureSchema, *, c: float = 1.0) -> Pipeline:
    """`c`: inverse L2 strength. A feature missing in every training row is kept (median 0,
    coefficient 0) so the coefficients stay aligned with the schema."""
    numeric = make_pipeline(
        SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler()
    )
    categorical = make_pipeline(
        SimpleImputer(strategy="constant", fill_value=MISSING_CATEGORY),
        OneHotEncoder(handle_unknown="ignore"),
    )
    columns = ColumnTransformer(
        [
            ("numeric", numeric, schema.names_of(FeatureKind.NUMERIC)),
            ("categorical", categorical, schema.names_of(FeatureKind.CATEGORICAL)),
        ]
    )
    return make_pipeline(columns, LogisticRegression(C=c, max_iter=MAX_ITERATIONS))


def fit_baseline(frame: pd.DataFrame, labels: np.ndarray, schema: FeatureSchema) -> Pipeline:
    return baseline_pipeline(schema).fit(typed_features(frame, schema), labels)


def baseline_proba(pipeline: Pipeline, frame: pd.DataFrame, schema: FeatureSchema) -> np.ndarray:
    return np.asarray(pipeline.predict_proba(typed_features(frame, schema))[:, 1])
