"""Train a risk model the way it will be used: on past cohorts, judged on the next one.

The newest cohort with known destinations plays "next year": the pipeline is fitted on the
older cohorts only and scored on it. Random rows would leak a cohort's shared circumstances
(the job market of that summer, a changed curriculum) into the test and flatter the model.
The artifact then holds the same pipeline refitted on every cohort, with the validation
figures saying exactly which cohorts they came from.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from jingzhun.data.ml.artifact import (
    CohortValidation,
    ModelArtifact,
    default_version,
    plain_cohort,
)
from jingzhun.data.ml.metrics import DEFAULT_CAPACITY, risk_metrics
from jingzhun.data.ml.schema import FeatureSchema
from jingzhun.data.ml.training import (
    COHORT,
    LABEL,
    RiskModelConfig,
    binary_labels,
    fit_risk_model,
)


def split_newest_cohort(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(older cohorts, newest cohort)."""
    if COHORT not in table.columns:
        raise ValueError(f"time-based validation needs a '{COHORT}' column (graduation year)")
    cohorts = sorted(table[COHORT].dropna().unique())
    if len(cohorts) < 2:
        raise ValueError("time-based validation needs at least two cohorts")
    newest = table[COHORT] == cohorts[-1]
    return table[~newest & table[COHORT].notna()], table[newest]


def validate_on_newest(
    table: pd.DataFrame, schema: FeatureSchema, config: RiskModelConfig, capacity: float
) -> CohortValidation:
    train, test = split_newest_cohort(table)
    model = fit_risk_model(train, schema, config)
    labels = binary_labels(test[LABEL])
    uncalibrated = risk_metrics(labels, model.uncalibrated(test), capacity)
    return CohortValidation(
        train_cohorts=tuple(plain_cohort(c) for c in sorted(train[COHORT].unique())),
        test_cohort=plain_cohort(test[COHORT].iloc[0]),
        metrics=risk_metrics(labels, model.predict_proba(test), capacity, model.margin(test)),
        uncalibrated_brier=uncalibrated.brier,
    )


def train_and_validate(
    table: pd.DataFrame,
    schema: FeatureSchema,
    config: RiskModelConfig | None = None,
    *,
    capacity: float = DEFAULT_CAPACITY,
    version: str | None = None,
    created_at: dt.datetime | None = None,
) -> ModelArtifact:
    """Validate on the newest cohort, then refit on all cohorts and bundle both."""
    config = config or RiskModelConfig()
    validation = validate_on_newest(table, schema, config, capacity)
    labelled = table[table[COHORT].notna()]
    model = fit_risk_model(labelled, schema, config)
    created = created_at or dt.datetime.now(dt.UTC)
    return ModelArtifact(
        version=version or default_version(created, schema.hash()),
        created_at=created,
        model=model,
        training_cohorts=tuple(plain_cohort(c) for c in np.sort(labelled[COHORT].unique())),
        config=config,
        validation=validation,
    )
