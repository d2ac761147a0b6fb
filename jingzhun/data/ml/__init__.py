"""The risk model of "no destination by 31 August": training, calibration, reasons, fairness.

Django-free like the rest of `jingzhun.data`: plain DataFrames in, dataclasses and files out.
The identification app stores artifacts and runs; this package only computes. See
docs/risk-model.md for the design and measured figures.
"""

from jingzhun.data.ml.artifact import (
    KIND_LIGHTGBM,
    KIND_LINEAR,
    ArtifactError,
    CohortValidation,
    ModelArtifact,
)
from jingzhun.data.ml.choice import CRITERION, TIE_MARGIN, recommend
from jingzhun.data.ml.crossval import CrossValidationReport, cross_validate
from jingzhun.data.ml.external import (
    ExternalMapping,
    MappingError,
    evaluate_external,
    frame_from_rows,
    load_mapping,
    prepare_table,
)
from jingzhun.data.ml.fairness import FairnessReport, fairness_report
from jingzhun.data.ml.linear import LinearRiskModel, Scorer, fit_linear_model
from jingzhun.data.ml.metrics import DEFAULT_CAPACITY, RiskMetrics, capacity_flags, risk_metrics
from jingzhun.data.ml.pipeline import split_newest_cohort, train_and_validate
from jingzhun.data.ml.reasons import Reason, StudentReasons, explain_flagged, explain_rows
from jingzhun.data.ml.report_text import render_report
from jingzhun.data.ml.schema import (
    FeatureKind,
    FeatureSchema,
    FeatureSpec,
    ProtectedAttributeError,
)
from jingzhun.data.ml.training import COHORT, LABEL, RiskModel, RiskModelConfig, fit_risk_model

__all__ = [
    "COHORT",
    "CRITERION",
    "DEFAULT_CAPACITY",
    "KIND_LIGHTGBM",
    "KIND_LINEAR",
    "LABEL",
    "TIE_MARGIN",
    "ArtifactError",
    "CohortValidation",
    "CrossValidationReport",
    "ExternalMapping",
    "FairnessReport",
    "FeatureKind",
    "FeatureSchema",
    "FeatureSpec",
    "LinearRiskModel",
    "MappingError",
    "ModelArtifact",
    "ProtectedAttributeError",
    "Reason",
    "RiskMetrics",
    "RiskModel",
    "RiskModelConfig",
    "Scorer",
    "StudentReasons",
    "capacity_flags",
    "cross_validate",
    "evaluate_external",
    "explain_flagged",
    "explain_rows",
    "fairness_report",
    "fit_linear_model",
    "fit_risk_model",
    "frame_from_rows",
    "load_mapping",
    "prepare_table",
    "recommend",
    "render_report",
    "risk_metrics",
    "split_newest_cohort",
    "train_and_validate",
]
