"""The linear risk model beside the trees: its reasons, its artifact, and which one is
recommended. Pure: no database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jingzhun.data import ml
from jingzhun.data.ml.baseline import baseline_proba, fit_baseline
from jingzhun.identification import risk

SCHEMA = ml.FeatureSchema((
    ml.FeatureSpec("failed_courses_last2", ml.FeatureKind.NUMERIC, "近两学期不及格课程"),
    ml.FeatureSpec("gpa", ml.FeatureKind.NUMERIC, "平均学分绩点"),
    ml.FeatureSpec("school", ml.FeatureKind.CATEGORICAL, "所在学院"),
))  # fmt: skip


def monotone_table(rows: int = 600, seed: int = 3) -> pd.DataFrame:
    """Failed courses raise the risk, a good GPA lowers it, the school barely matters."""
    rng = np.random.default_rng(seed)
    failed = rng.poisson(1.5, rows).astype(float)
    gpa = np.round(np.clip(rng.normal(2.9, 0.5, rows), 0, 4), 2)
    school = rng.choice(["S1", "S2"], rows)
    logit = -1.0 + 0.9 * (failed - 1.5) - 1.2 * (gpa - 2.9)
    label = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(int)
    return pd.DataFrame({"failed_courses_last2": failed, "gpa": gpa, "school": school,
                         ml.LABEL: label})  # fmt: skip


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return monotone_table()


@pytest.fixture(scope="module")
def linear(table: pd.DataFrame) -> ml.LinearRiskModel:
    return ml.fit_linear_model(table, SCHEMA)


def test_probabilities_are_the_logistic_baselines(table, linear):
    expected = baseline_proba(fit_baseline(table, table[ml.LABEL].to_numpy(), SCHEMA), table,
                              SCHEMA)  # fmt: skip
    assert np.abs(linear.predict_proba(table) - expected).max() < 1e-12
    # The terms and the bias add up to the log-odds exactly.
    assert np.abs(linear.contributions(table).sum(axis=1) - linear.margin(table)).max() < 1e-12


def test_a_students_high_standardised_value_on_a_positive_feature_is_named_first(table, linear):
    failed = table["failed_courses_last2"]
    coefficient = linear.numeric["failed_courses_last2"].coefficient
    assert coefficient > 0 > linear.numeric["gpa"].coefficient
    student = pd.DataFrame(
        {"failed_courses_last2": [9.0], "gpa": [3.8], "school": ["S1"], ml.LABEL: [1]},
        index=[4242],
    )
    (explained,) = ml.explain_rows(linear, student)
    first = explained.reasons[0]
    standardised = (9.0 - failed.mean()) / failed.std(ddof=0)  # no missing values to impute
    assert (explained.key, first.feature, first.value) == (4242, "failed_courses_last2", "9")
    assert first.text == "近两学期不及格课程 9 门"
    assert first.contribution == pytest.approx(coefficient * standardised, rel=1e-9)
    assert first.contribution > 0
    # A good GPA lowers the risk: a negative term is never given as a reason.
    assert "gpa" not in [r.feature for r in explained.reasons]
    assert explained.probability == pytest.approx(linear.predict_proba(student)[0])


def test_a_category_counts_against_the_average_student(table, linear):
    term = linear.categorical["school"]
    shares = table["school"].value_counts(normalize=True)
    average = sum(shares[c] * coef for c, coef in zip(term.categories, term.coefficients,
                                                      strict=True))  # fmt: skip
    assert term.average == pytest.approx(average)
    rows = pd.DataFrame({"failed_courses_last2": [1.5, 1.5], "gpa": [2.9, 2.9],
                         "school": ["S1", "未知学院"]})  # fmt: skip
    by_school = linear.contributions(rows)[:, 2]
    assert by_school[0] == pytest.approx(term.coefficients[0] - average)
    assert by_school[1] == pytest.approx(-average)  # unseen: like no known school


def test_the_linear_artifact_is_plain_numbers_and_loads_back(tmp_path: Path, table, linear):
    created = dt.datetime(2026, 11, 26, tzinfo=dt.UTC)
    artifact = ml.ModelArtifact(
        "risk-x-linear", created, linear, (2025, 2026), ml.RiskModelConfig()
    )
    artifact.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["artifact.json"]  # no booster file
    loaded = ml.ModelArtifact.load(tmp_path)
    assert (loaded.kind, loaded.version) == ("linear", "risk-x-linear")
    assert np.array_equal(loaded.model.predict_proba(table), linear.predict_proba(table))
    assert ml.explain_rows(loaded.model, table.head(5)) == ml.explain_rows(linear, table.head(5))
    assert risk.artifact_from_zip(risk.artifact_zip(artifact)).kind == "linear"


@pytest.mark.parametrize(
    ("trees", "linear", "recommended"),
    [
        (0.80, 0.70, "lightgbm"),  # the trees are clearly better
        (0.80, 0.796, "linear"),  # within 0.005: a tie, the simpler model
        (0.80, 0.795, "linear"),  # exactly the margin is still a tie
        (0.70, 0.80, "linear"),
        (None, 0.50, "linear"),  # nothing measured for the trees
        (0.50, None, "lightgbm"),
        (None, None, "linear"),
    ],
)
def test_the_recommendation_rule(trees, linear, recommended):
    assert ml.recommend({"lightgbm": trees, "linear": linear}) == recommended


# --- the product's training on both kinds of table ----------------------------------------


def snapshot_table(
    world: str, per_cohort: int = 400, seed: int = 5
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Snapshot columns as `feature_frame_at` gives them (final year only), three cohorts.
    "linear": risk rises smoothly with failed courses and falls with GPA; "trees": risk is an
    either-or of the two (failed many courses, or a low GPA, but not both), which no
    weighted sum can draw."""
    rng = np.random.default_rng(seed)
    rows = per_cohort * 3
    failed = rng.integers(0, 7, rows).astype(float)
    gpa = np.round(rng.uniform(1.0, 4.0, rows), 2)
    if world == "linear":
        logit = -0.8 + 0.8 * (failed - 3) - 1.5 * (gpa - 2.5)
        label = rng.random(rows) < 1 / (1 + np.exp(-logit))
    else:
        label = ((failed >= 3) ^ (gpa < 2.5)) & (rng.random(rows) < 0.9)
    table = pd.DataFrame(dict.fromkeys(risk.model_schema().names, np.nan), index=range(rows))
    table = table.assign(
        failed_courses_last2=failed, gpa_latest=gpa, economic_level=None, has_disability=False,
        psych_level=None, intention_plan="", years_to_graduation=0.0,
        **{ml.LABEL: label.astype(int), ml.COHORT: np.repeat([2024, 2025, 2026], per_cohort)},
    )  # fmt: skip
    groups = pd.DataFrame({"gender": rng.choice(["M", "F"], rows), "ethnicity": "han",
                           "hukou_type": "urban", "school": "A"}, index=table.index)  # fmt: skip
    return table, groups


@pytest.mark.parametrize(("world", "recommended"), [("linear", "linear"), ("trees", "lightgbm")])
def test_training_recommends_the_better_model_on_the_newest_cohort(world, recommended):
    table, groups = snapshot_table(world)
    training = risk.train(table, groups, created_at=dt.datetime(2026, 11, 26, tzinfo=dt.UTC))
    trees, linear = training.models
    assert (trees.kind, linear.kind, training.recommended) == ("lightgbm", "linear", recommended)
    pr_auc = {t.kind: t.metrics["validation"]["pr_auc"] for t in training.models}
    assert trees.metrics["comparison"] == linear.metrics["comparison"] == {
        "criterion": "pr_auc", "tie_margin": 0.005, "pr_auc": pr_auc, "recommended": recommended,
    }  # fmt: skip
    # Both judged on the same held-out rows; the stored models are refitted on every cohort.
    for t in training.models:
        assert (t.metrics["test_cohort"], t.metrics["validation"]["rows"]) == (2026, 400)
        assert t.artifact.training_cohorts == (2024, 2025, 2026)
    assert linear.artifact.version == f"{trees.artifact.version}-linear"
    if world == "linear":
        assert pr_auc["linear"] > pr_auc["lightgbm"] + 0.005  # wins outright, not by the tie
    else:
        assert pr_auc["lightgbm"] > pr_auc["linear"] + 0.2  # the either-or defeats a sum
