"""The hidden-hardship model as a file: everything the product path scores and decides with.

A snapshot keeps its model as a zip of the trees (LightGBM's text format) and a JSON manifest
holding the rest of the ranking score and decision rule: the logistic regression averaged into
the score (imputation medians, missing-value indicators, scaling, coefficients), its share, and
the rule's class weights and cut. `load` turns the file back into something that gives the same
scores and classes as the fitted model it came from, so a snapshot can be re-scored or audited
without refitting. Without the logistic part and the cut a reloaded model would rank and decide
differently from the one that produced the candidates.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

import lightgbm
import numpy as np
import pandas as pd

from jingzhun.data.hardship import NO_SUBSIDY, HardshipModel
from jingzhun.data.hardship_rule import DecisionRule

BOOSTER = "booster.txt"
MANIFEST = "manifest.json"
FORMAT = 2


def _linear_manifest(model: HardshipModel) -> dict[str, Any] | None:
    if model.linear is None:
        return None
    imputer, scaler, logistic = (step for _, step in model.linear.steps)
    indicator = getattr(imputer, "indicator_", None)
    return {
        "share": model.linear_share,
        "medians": imputer.statistics_.tolist(),
        "indicators": indicator.features_.tolist() if indicator is not None else [],
        "mean": scaler.mean_.tolist(),
        "scale": scaler.scale_.tolist(),
        "coef": logistic.coef_.tolist(),
        "intercept": logistic.intercept_.tolist(),
        "classes": [int(c) for c in logistic.classes_],
    }


def manifest_of(model: HardshipModel) -> dict[str, Any]:
    rule = model.rule
    return {
        "format": FORMAT,
        "features": list(model.features),
        "classes": [int(c) for c in model.classes],
        "deciles": {k: v.tolist() for k, v in model.deciles.items()},
        "rule": None
        if rule is None
        else {
            "classes": list(rule.classes),
            "weights": list(rule.weights),
            "aid_threshold": rule.aid_threshold,
        },
        "linear": _linear_manifest(model),
    }


def artifact_bytes(model: HardshipModel) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(BOOSTER, model.estimator.booster_.model_to_string())
        archive.writestr(MANIFEST, json.dumps(manifest_of(model), ensure_ascii=False))
    return buffer.getvalue()


@dataclass(frozen=True)
class LoadedHardshipModel:
    booster: lightgbm.Booster
    manifest: dict[str, Any]

    @property
    def features(self) -> list[str]:
        return list(self.manifest["features"])

    def _matrix(self, features: pd.DataFrame) -> np.ndarray:
        return features[self.features].to_numpy(float)

    def predict_proba(self, features: pd.DataFrame) -> np.ndarray:
        """Probabilities per class (columns in the manifest's class order)."""
        return np.asarray(self.booster.predict(self._matrix(features)))

    def _linear_aid(self, x: np.ndarray) -> np.ndarray:
        linear = self.manifest["linear"]
        missing = np.isnan(x)
        filled = np.where(missing, np.asarray(linear["medians"]), x)
        columns = [filled]
        if linear["indicators"]:
            columns.append(missing[:, linear["indicators"]].astype(float))
        z = (np.hstack(columns) - np.asarray(linear["mean"])) / np.asarray(linear["scale"])
        logits = z @ np.asarray(linear["coef"]).T + np.asarray(linear["intercept"])
        classes = linear["classes"]
        if logits.shape[1] == 1:  # two classes: the one logit is that of the second class
            second = 1.0 / (1.0 + np.exp(-logits[:, 0]))
            proba = np.column_stack([1.0 - second, second])
        else:
            shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
            proba = shifted / shifted.sum(axis=1, keepdims=True)
        return 1.0 - proba[:, classes.index(NO_SUBSIDY)]

    def score(self, features: pd.DataFrame) -> pd.Series:
        """The ranking score, as `hardship.hardship_probability` gives it for the fitted model."""
        x = self._matrix(features)
        classes = self.manifest["classes"]
        trees = 1.0 - np.asarray(self.booster.predict(x))[:, classes.index(NO_SUBSIDY)]
        linear = self.manifest["linear"]
        if linear is None:
            return pd.Series(trees, index=features.index)
        share = float(linear["share"])
        return pd.Series((1.0 - share) * trees + share * self._linear_aid(x), index=features.index)

    def decide(self, features: pd.DataFrame) -> np.ndarray:
        """The aid class per student under the stored rule (argmax when there is none)."""
        rule_data = self.manifest["rule"]
        classes = self.manifest["classes"]
        rule = (
            DecisionRule.argmax(classes)
            if rule_data is None
            else DecisionRule(
                tuple(rule_data["classes"]),
                tuple(rule_data["weights"]),
                rule_data["aid_threshold"],
            )
        )
        return rule.decide(self.predict_proba(features), self.score(features).to_numpy())


def load(data: bytes) -> LoadedHardshipModel:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        booster = lightgbm.Booster(model_str=archive.read(BOOSTER).decode())
    if manifest.get("format") != FORMAT:
        raise ValueError(f"hardship model format {manifest.get('format')!r}, expected {FORMAT}")
    return LoadedHardshipModel(booster=booster, manifest=manifest)
