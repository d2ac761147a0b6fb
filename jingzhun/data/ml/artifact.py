"""A trained risk model as files: what it was trained on, how well it did, and the model itself.

Layout of an artifact directory:

- `artifact.json` — version, creation time, feature schema and its SHA-256, category
  vocabularies, calibrator parameters, training cohorts, configuration, validation metrics;
- `model.txt` — the LightGBM model string (trees only; a linear model's coefficients are in
  the manifest under `linear`, its `kind` says which).

Nothing is pickled: loading an artifact runs no stored code and does not depend on the
scikit-learn version that trained it. Loading refuses a manifest whose schema no longer
hashes to the stored value, or whose booster has a different number of inputs.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lightgbm as lgb

from jingzhun.data.ml.calibration import Calibrator
from jingzhun.data.ml.linear import LinearRiskModel, Scorer
from jingzhun.data.ml.metrics import RiskMetrics
from jingzhun.data.ml.schema import FeatureSchema
from jingzhun.data.ml.training import RiskModel, RiskModelConfig

ARTIFACT_FORMAT = 1
MANIFEST_FILE = "artifact.json"
BOOSTER_FILE = "model.txt"
KIND_LIGHTGBM = "lightgbm"
KIND_LINEAR = "linear"

Cohort = int | str


class ArtifactError(ValueError):
    """The directory does not hold a consistent artifact."""


def plain_cohort(value: object) -> Cohort:
    """Cohorts are graduation years; keep them JSON-plain whatever dtype the table had."""
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return str(value)


@dataclass(frozen=True)
class CohortValidation:
    """The pipeline trained on `train_cohorts` and scored on the newest, unseen cohort."""

    train_cohorts: tuple[Cohort, ...]
    test_cohort: Cohort
    metrics: RiskMetrics
    uncalibrated_brier: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "train_cohorts": list(self.train_cohorts),
            "test_cohort": self.test_cohort,
            "metrics": self.metrics.to_dict(),
            "uncalibrated_brier": self.uncalibrated_brier,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CohortValidation:
        return cls(
            train_cohorts=tuple(data["train_cohorts"]),
            test_cohort=data["test_cohort"],
            metrics=RiskMetrics.from_dict(data["metrics"]),
            uncalibrated_brier=float(data["uncalibrated_brier"]),
        )


def default_version(created_at: dt.datetime, schema_hash: str) -> str:
    return f"risk-{created_at:%Y%m%dT%H%M%SZ}-{schema_hash[:8]}"


@dataclass
class ModelArtifact:
    version: str
    created_at: dt.datetime
    model: Scorer
    training_cohorts: tuple[Cohort, ...]
    config: RiskModelConfig
    validation: CohortValidation | None = None

    @property
    def kind(self) -> str:
        return KIND_LINEAR if isinstance(self.model, LinearRiskModel) else KIND_LIGHTGBM

    @property
    def schema(self) -> FeatureSchema:
        return self.model.schema

    @property
    def schema_hash(self) -> str:
        return self.model.schema.hash()

    def manifest(self) -> dict[str, Any]:
        model = self.model
        if isinstance(model, LinearRiskModel):
            fitted: dict[str, Any] = {"linear": model.to_dict()}
        else:
            fitted = {"categories": model.categories, "calibrator": model.calibrator.to_dict()}
        return {
            "format": ARTIFACT_FORMAT,
            "kind": self.kind,
            "version": self.version,
            "created_at": self.created_at.isoformat(),
            "schema": self.schema.to_dict(),
            "schema_hash": self.schema_hash,
            **fitted,
            "calibration_split": model.calibration_split,
            "training_cohorts": list(self.training_cohorts),
            "config": self.config.to_dict(),
            "validation": self.validation.to_dict() if self.validation else None,
        }

    def save(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        if isinstance(self.model, RiskModel):
            (directory / BOOSTER_FILE).write_text(self.model.booster.model_to_string(), "utf-8")
        text = json.dumps(self.manifest(), ensure_ascii=False, indent=2, allow_nan=False)
        (directory / MANIFEST_FILE).write_text(text, "utf-8")
        return directory

    @classmethod
    def load(cls, directory: Path) -> ModelArtifact:
        manifest = json.loads((directory / MANIFEST_FILE).read_text("utf-8"))
        if manifest.get("format") != ARTIFACT_FORMAT:
            raise ArtifactError(f"unknown artifact format {manifest.get('format')!r}")
        schema = FeatureSchema.from_dict(manifest["schema"])
        if schema.hash() != manifest["schema_hash"]:
            raise ArtifactError("the stored feature schema does not match its hash")
        model = _load_model(directory, manifest, schema)
        validation = manifest["validation"]
        return cls(
            version=manifest["version"],
            created_at=dt.datetime.fromisoformat(manifest["created_at"]),
            model=model,
            training_cohorts=tuple(manifest["training_cohorts"]),
            config=RiskModelConfig.from_dict(manifest["config"]),
            validation=CohortValidation.from_dict(validation) if validation else None,
        )


def _load_model(directory: Path, manifest: dict[str, Any], schema: FeatureSchema) -> Scorer:
    """Artifacts written before there were two kinds have no `kind`: they are trees."""
    kind = manifest.get("kind", KIND_LIGHTGBM)
    if kind == KIND_LINEAR:
        try:
            return LinearRiskModel.from_dict(schema, manifest["linear"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ArtifactError(f"the linear model's parameters are unreadable: {exc}") from exc
    if kind != KIND_LIGHTGBM:
        raise ArtifactError(f"unknown model kind {kind!r}")
    booster = lgb.Booster(model_str=(directory / BOOSTER_FILE).read_text("utf-8"))
    if booster.num_feature() != len(schema.features):
        raise ArtifactError("the booster and the feature schema disagree on the inputs")
    return RiskModel(
        schema=schema,
        categories=manifest["categories"],
        booster=booster,
        calibrator=Calibrator.from_dict(manifest["calibrator"]),
        calibration_split=manifest["calibration_split"],
    )
