"""The risk model as identification uses it: which catalogue features go in, how graduated
cohorts become training rows, and how a flagged student's reasons read in Chinese.

Pure (no database): `services/risk_models.py` reads the registry and stores the result;
`jingzhun.data.ml` fits, calibrates, measures and explains.

Training rows are *stages*: each graduated student is seen at the run's day of the year once
per year of study (final year, the year before, …), with only what was known then. A run
scores first-year and final-year students together, so the model must have seen both: a
first-year student with no internship is normal, a final-year one is not. `years_to_graduation`
tells the trees which stage a row is.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jingzhun.data import ml
from jingzhun.data.ml.artifact import BOOSTER_FILE, MANIFEST_FILE, default_version, plain_cohort
from jingzhun.identification.catalogue import (
    BEHAVIOUR_FEATURES,
    FEATURES,
    FEATURES_BY_NAME,
    Feature,
    FeatureKind,
)
from jingzhun.identification.catalogue import strictest as strictest_sensitivity
from jingzhun.org.roles import Sensitivity

# Reported on in the fairness table, never model inputs (policy, and PIPL). `rural` is
# hukou_type under another name, so it stays out too; listing it as protected makes the schema
# refuse it should anyone add it back.
GROUP_COLUMNS = ("gender", "ethnicity", "hukou_type", "school")
PROTECTED = frozenset({*GROUP_COLUMNS, "rural"})
# hardship_score is another model's output, kept only for each student's latest term: as an
# input it would be missing in every training row and present when scoring.
NOT_INPUTS = frozenset({"rural", "hardship_score"})
# Free text and dates serve rules ("专业 包含 护理", "registered within 90 days"); as model
# inputs they would be high-cardinality or meaningless without the point they count from.
INPUT_KINDS = frozenset({FeatureKind.NUMBER, FeatureKind.CHOICE, FeatureKind.FLAG})
HAN = "01"  # GB/T 3304 code of 汉族; the other groups are compared together as minorities

MODEL_CAPACITY = ml.DEFAULT_CAPACITY  # share of a run's population the model flags
MAX_STUDY_YEARS = 5
STAGE = "years_to_graduation"


def model_schema() -> ml.FeatureSchema:
    return ml.FeatureSchema(
        tuple(_spec(f) for f in FEATURES if f.name not in NOT_INPUTS and f.kind in INPUT_KINDS),
        protected=PROTECTED,
    )


def _spec(feature: Feature) -> ml.FeatureSpec:
    if feature.kind is FeatureKind.NUMBER:
        unit = f" {feature.unit}" if feature.unit else ""
        return ml.FeatureSpec(
            feature.name, ml.FeatureKind.NUMERIC, feature.label, f"{feature.label} {{value}}{unit}"
        )
    # Choices and flags enter as the words a counsellor reads (特别困难, 是), so the generic
    # "{label}：{value}" phrase needs no second table.
    return ml.FeatureSpec(feature.name, ml.FeatureKind.CATEGORICAL, feature.label)


def model_inputs(frame: pd.DataFrame) -> pd.DataFrame:
    """The snapshot's columns as the model takes them (vectorised, one pass per column)."""
    columns: dict[str, pd.Series] = {}
    for spec in model_schema().features:
        feature = FEATURES_BY_NAME[spec.name]
        optional = spec.name in BEHAVIOUR_FEATURES and spec.name not in frame  # no snapshot yet
        column = pd.Series(np.nan, index=frame.index) if optional else frame[spec.name]
        if feature.kind is FeatureKind.NUMBER:
            columns[spec.name] = pd.to_numeric(column, errors="coerce").astype("float64")
        elif feature.kind is FeatureKind.FLAG:
            columns[spec.name] = column.map({True: "是", False: "否"}).astype(object)
        else:
            text = column.fillna("").astype(str)
            shown = text.map({"": feature.show(None), **dict(feature.choices)})
            columns[spec.name] = shown.fillna(text).astype(object)
    return pd.DataFrame(columns, index=frame.index)


# --- training rows -----------------------------------------------------------------------


def label_deadline(cohort: int) -> dt.date:
    """Placement counts by 31 August of the graduation year (the MOE reporting date)."""
    return dt.date(cohort, 8, 31)


def newest_labelled_cohort(as_of: dt.date) -> int:
    return as_of.year if as_of > label_deadline(as_of.year) else as_of.year - 1


def no_destination(category: pd.Series, recorded_on: pd.Series, cohort: pd.Series) -> pd.Series:
    """1 unless a placed destination was on record by the deadline: 70/71/72, no destination,
    and a job recorded only after 31 August all count as not placed."""
    deadline = pd.to_datetime({"year": cohort, "month": 8, "day": 31})
    placed = (
        category.notna()
        & (category != "not_placed")
        & (pd.to_datetime(recorded_on, errors="coerce") <= deadline)
    )
    return (~placed).astype(int)


def stage_points(students: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """One point per student and year of study: the run's day of the year, `k` years before
    the final year (so `years_to_graduation` is k there). Columns student_id, as_of, cohort, k.

    `students` has columns id, cohort, entry_year.
    """
    years = (students["cohort"] - students["entry_year"]).clip(1, MAX_STUDY_YEARS).to_numpy()
    repeated = students.loc[students.index.repeat(years)].reset_index(drop=True)
    stage = repeated.groupby("id").cumcount().to_numpy()
    after_june = 1 if as_of.month >= 7 else 0
    year = repeated["cohort"].to_numpy() - stage - after_june
    day = np.minimum(as_of.day, [calendar.monthrange(int(y), as_of.month)[1] for y in year])
    points = pd.to_datetime({"year": year, "month": as_of.month, "day": day})
    return pd.DataFrame({
        "student_id": repeated["id"].to_numpy(), "as_of": points.to_numpy(),
        "cohort": repeated["cohort"].to_numpy(), "k": stage,
    })  # fmt: skip


def group_columns(students: pd.DataFrame) -> pd.DataFrame:
    """gender, ethnicity (Han / minority), hukou_type, school (name) for the fairness report."""
    ethnicity = students["ethnicity"].map(lambda code: "han" if code == HAN else "minority")
    return pd.DataFrame({
        "gender": students["gender"], "ethnicity": ethnicity.where(students["ethnicity"].notna()),
        "hukou_type": students["hukou_type"].replace("", np.nan), "school": students["school"],
    }, index=students.index)  # fmt: skip


# --- training ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainedModel:
    artifact: ml.ModelArtifact
    metrics: dict[str, Any]
    fairness: dict[str, Any]

    @property
    def kind(self) -> str:
        return self.artifact.kind


@dataclass(frozen=True)
class Training:
    """One training: the trees and the linear model, fitted and judged on the same rows."""

    models: tuple[TrainedModel, ...]  # LightGBM first
    recommended: str  # the kind ml.recommend chose


def _fit(kind: str, rows: pd.DataFrame, schema: ml.FeatureSchema,
         config: ml.RiskModelConfig) -> ml.Scorer:  # fmt: skip
    if kind == ml.KIND_LINEAR:
        return ml.fit_linear_model(rows, schema)
    return ml.fit_risk_model(rows, schema, config)


def train(
    table: pd.DataFrame,
    groups: pd.DataFrame,
    *,
    capacity: float = MODEL_CAPACITY,
    config: ml.RiskModelConfig | None = None,
    created_at: dt.datetime | None = None,
) -> Training:
    """Fit both models on the older cohorts and judge them on the newest (metrics, fairness),
    recommend the better, then refit each on all cohorts.

    `table` holds the snapshot columns plus `no_destination` and `cohort` (graduation year);
    `groups` the fairness columns for the same rows. Raises ValueError when the rows cannot
    support that (one cohort, or one outcome only).
    """
    config = config or ml.RiskModelConfig()
    schema = model_schema()
    data = model_inputs(table).assign(
        **{ml.LABEL: table[ml.LABEL].astype(int), ml.COHORT: table[ml.COHORT]}
    )
    created = created_at or dt.datetime.now(dt.UTC)
    trained = tuple(
        _train_one(kind, data, table[STAGE], groups, schema, config, capacity, created)
        for kind in (ml.KIND_LIGHTGBM, ml.KIND_LINEAR)
    )
    pr_auc = {t.kind: t.metrics["validation"]["pr_auc"] for t in trained}
    recommended = ml.recommend(pr_auc)
    comparison = {"criterion": ml.CRITERION, "tie_margin": ml.TIE_MARGIN, "pr_auc": pr_auc,
                  "recommended": recommended}  # fmt: skip
    for t in trained:
        t.metrics["comparison"] = comparison
    return Training(trained, recommended)


def _train_one(
    kind: str, data: pd.DataFrame, stage_of: pd.Series, groups: pd.DataFrame,
    schema: ml.FeatureSchema, config: ml.RiskModelConfig, capacity: float, created: dt.datetime,
) -> TrainedModel:  # fmt: skip
    older, newest = ml.split_newest_cohort(data)
    held_out = _fit(kind, older, schema, config)
    y = newest[ml.LABEL].to_numpy(dtype=np.int64)
    probability, margin = held_out.predict_proba(newest), held_out.margin(newest)
    metrics = ml.risk_metrics(y, probability, capacity, margin)
    flags = ml.capacity_flags(probability, capacity, tiebreak=margin)
    validation = ml.CohortValidation(
        train_cohorts=tuple(plain_cohort(c) for c in sorted(older[ml.COHORT].unique())),
        test_cohort=plain_cohort(newest[ml.COHORT].iloc[0]),
        metrics=metrics,
        uncalibrated_brier=ml.risk_metrics(y, held_out.uncalibrated(newest), capacity).brier,
    )
    stage = stage_of.loc[newest.index].to_numpy()
    fairness = _final_year_fairness(stage, groups.loc[newest.index], y, probability, margin,
                                    capacity)  # fmt: skip
    version = default_version(created, schema.hash())
    artifact = ml.ModelArtifact(
        version=version if kind == ml.KIND_LIGHTGBM else f"{version}-{kind}",
        created_at=created,
        model=_fit(kind, data, schema, config),
        training_cohorts=tuple(plain_cohort(c) for c in sorted(data[ml.COHORT].unique())),
        config=config,
        validation=validation,
    )
    summary = {
        "kind": kind,
        "train_cohorts": list(validation.train_cohorts),
        "test_cohort": validation.test_cohort,
        "validation": metrics.to_dict(),
        "uncalibrated_brier": validation.uncalibrated_brier,
        "by_stage": _by_stage(stage, y, probability, flags),
        "rows": len(data),
        "calibration_split": artifact.model.calibration_split,
    }
    return TrainedModel(artifact, summary, fairness.to_dict())


def _final_year_fairness(
    stage: np.ndarray, groups: pd.DataFrame, y: np.ndarray, probability: np.ndarray,
    margin: np.ndarray, capacity: float,
) -> ml.FairnessReport:  # fmt: skip
    """Fairness over the held-out cohort in its final year: one row per graduate (not one per
    year of study, which would count every student three times), flagged at the run's
    capacity among those students, as a final-year run would."""
    final = stage == 0
    if not final.any():  # only earlier years known: judge all rows rather than nothing
        final = np.ones_like(stage, dtype=bool)
    flags = ml.capacity_flags(probability[final], capacity, tiebreak=margin[final])
    return ml.fairness_report(groups.loc[final], y[final], flags)


def _by_stage(
    stage: np.ndarray, y: np.ndarray, probability: np.ndarray, flags: np.ndarray
) -> list[dict[str, Any]]:
    """How the held-out cohort's rows of each year of study fared: ranking within the stage,
    and how many of the run-wide flags (top share over all stages) fell on it."""
    rows = []
    for k in sorted(set(stage.tolist())):
        members = stage == k
        both = 0 < y[members].sum() < members.sum()
        stage_metrics = ml.risk_metrics(y[members], probability[members]) if both else None
        flagged = int(flags[members].sum())
        rows.append({
            "years_to_graduation": int(k), "rows": int(members.sum()),
            "positives": int(y[members].sum()),
            "roc_auc": stage_metrics.roc_auc if stage_metrics else None,
            "pr_auc": stage_metrics.pr_auc if stage_metrics else None,
            "flagged": flagged,
            "precision": float(y[members & flags].mean()) if flagged else None,
        })  # fmt: skip
    return rows


# --- scoring and reasons ---------------------------------------------------------------------


def flagged_reasons(
    model: ml.Scorer, frame: pd.DataFrame, capacity: float
) -> list[ml.StudentReasons]:
    """Score every row (vectorised), explain only the top `capacity` share, highest first."""
    if frame.empty:
        return []
    return ml.explain_flagged(model, model_inputs(frame), capacity=capacity)


def explanation(reasons: ml.StudentReasons) -> str:
    """模型预测未落实去向概率 0.62：近两学期不及格课程 5 门；实习经历 0 段；…"""
    head = f"模型预测未落实去向概率 {reasons.probability:.2f}"
    texts = "；".join(reason.text for reason in reasons.reasons)
    return f"{head}：{texts}" if texts else head


def reasons_sensitivity(reasons: ml.StudentReasons) -> Sensitivity | None:
    """The explanation cites the student's values: it is as sensitive as what it cites."""
    return strictest_sensitivity(FEATURES_BY_NAME[r.feature].sensitivity for r in reasons.reasons)


# --- artifact files ------------------------------------------------------------------------

_ARTIFACT_FILES = (MANIFEST_FILE, BOOSTER_FILE)


def artifact_zip(artifact: ml.ModelArtifact) -> bytes:
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buffer, "w") as archive:
        artifact.save(Path(tmp))
        for name in _ARTIFACT_FILES:
            if (Path(tmp) / name).exists():  # a linear model has no booster file
                archive.write(Path(tmp) / name, arcname=name, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def artifact_from_zip(data: bytes) -> ml.ModelArtifact:
    """Only the known members are read: nothing else in the archive is ever written out."""
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(io.BytesIO(data)) as archive:
        present = set(archive.namelist())
        for name in _ARTIFACT_FILES:
            if name in present:
                (Path(tmp) / name).write_bytes(archive.read(name))
        return ml.ModelArtifact.load(Path(tmp))
