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


def train(
    table: pd.DataFrame,
    groups: pd.DataFrame,
    *,
    capacity: float = MODEL_CAPACITY,
    config: ml.RiskModelConfig | None = None,
    created_at: dt.datetime | None = None,
) -> TrainedModel:
    """Fit on the older cohorts and judge on the newest (metrics, fairness), then refit on all.

    `table` holds the snapshot columns plus `no_destination` and `cohort` (graduation year);
    `groups` the fairness columns for the same rows. Raises ValueError when the rows cannot
    support that (one cohort, or one outcome only).
    """
    config = config or ml.RiskModelConfig()
    schema = model_schema()
    data = model_inputs(table).assign(
        **{ml.LABEL: table[ml.LABEL].astype(int), ml.COHORT: table[ml.COHORT]}
    )
    older, newest = ml.split_newest_cohort(data)
    held_out = ml.fit_risk_model(older, schema, config)
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
    fairness = _final_year_fairness(table.loc[newest.index, STAGE].to_numpy(), groups.loc[newest.index],
                                    y, probability, margin, capacity)  # fmt: skip
    stages = _by_stage(table.loc[newest.index, STAGE].to_numpy(), y, probability, flags)
    created = created_at or dt.datetime.now(dt.UTC)
    artifact = ml.ModelArtifact(
        version=default_version(created, schema.hash()),
        created_at=created,
        model=ml.fit_risk_model(data, schema, config),
        training_cohorts=tuple(plain_cohort(c) for c in sorted(data[ml.COHORT].unique())),
        config=config,
        validation=validation,
    )
    summary = {
        "train_cohorts": list(validation.train_cohorts),
        "test_cohort": validation.test_cohort,
        "validation": metrics.to_dict(),
        "uncalibrated_brier": validation.uncalibrated_brier,
        "by_stage": stages,
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
    model: ml.RiskModel, frame: pd.DataFrame, capacity: float
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
            archive.write(Path(tmp) / name, arcname=name, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def artifact_from_zip(data: bytes) -> ml.ModelArtifact:
    """Only the two known members are read: nothing else in the archive is ever written out."""
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in _ARTIFACT_FILES:
            (Path(tmp) / name).write_bytes(archive.read(name))
        return ml.ModelArtifact.load(Path(tmp))
