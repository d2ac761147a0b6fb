"""The risk model core (jingzhun.data.ml) on a seeded synthetic population and hand-made tables.

Metric expectations come from the seeded run (synthetic seed 7, model seed 20240831); the
tolerances allow for floating-point differences between platforms, not for a changed model.
LightGBM runs on one thread here: the predictions are identical to two threads (col-wise
histograms), and one thread is far faster on small tables on a busy machine.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit
from sklearn.calibration import _SigmoidCalibration
from sklearn.isotonic import IsotonicRegression

from jingzhun.data.ml import (
    COHORT,
    LABEL,
    ArtifactError,
    FeatureKind,
    FeatureSchema,
    FeatureSpec,
    MappingError,
    ModelArtifact,
    ProtectedAttributeError,
    RiskModel,
    RiskModelConfig,
    explain_flagged,
    fairness_report,
    fit_risk_model,
    frame_from_rows,
    prepare_table,
    risk_metrics,
    split_newest_cohort,
    train_and_validate,
)
from jingzhun.data.ml.calibration import (
    CalibrationMethod,
    CalibratorInput,
    calibrator_from_sklearn,
)
from jingzhun.data.ml.crossval import choose_splits
from jingzhun.data.ml.decisions import decision_groups
from jingzhun.data.ml.external import parse_mapping
from jingzhun.data.ml.metrics import calibration_table, capacity_count, top_k_mask
from jingzhun.data.ml.reasons import phrase, top_positive
from jingzhun.data.ml.synthetic import SYNTHETIC_SCHEMA, synthetic_cohorts

ONE_THREAD = RiskModelConfig(n_jobs=1)
CREATED = dt.datetime(2025, 9, 1, 8, 0, tzinfo=dt.UTC)
NEWEST = 2024


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    return synthetic_cohorts()


@pytest.fixture(scope="module")
def artifact(population: pd.DataFrame) -> ModelArtifact:
    return train_and_validate(population, SYNTHETIC_SCHEMA, ONE_THREAD, created_at=CREATED)


@pytest.fixture(scope="module")
def newest(population: pd.DataFrame) -> pd.DataFrame:
    return population[population[COHORT] == NEWEST]


# --- feature schema ---------------------------------------------------------------------------


def test_schema_hash_is_stable_across_runs_and_processes() -> None:
    assert SYNTHETIC_SCHEMA.hash() == (
        "3458e811a4fc06a739084c5e67471e65625e89d1d5790d9def3543ab173390e0"
    )


def test_schema_hash_changes_with_inputs_but_not_with_wording() -> None:
    base = SYNTHETIC_SCHEMA
    added = FeatureSchema((*base.features, FeatureSpec("credits_owed", FeatureKind.NUMERIC)))
    reordered = FeatureSchema(tuple(reversed(base.features)))
    retyped = FeatureSchema.from_pairs(
        [(s.name, FeatureKind.NUMERIC) for s in base.features]  # school becomes numeric
    )
    relabelled = FeatureSchema(tuple(FeatureSpec(s.name, s.kind, "x", "y") for s in base.features))

    assert len({base.hash(), added.hash(), reordered.hash(), retyped.hash()}) == 4
    assert relabelled.hash() == base.hash()


@pytest.mark.parametrize(
    ("name", "protected"),
    [
        ("gender", ()),
        ("Gender", ()),
        ("ethnicity", ()),
        ("民族", ()),
        ("hukou_type", ["hukou_type"]),
    ],
)
def test_protected_attributes_are_refused_as_inputs(name: str, protected: list[str]) -> None:
    with pytest.raises(ProtectedAttributeError, match=name):
        FeatureSchema.from_pairs([("gpa", "numeric"), (name, "categorical")], protected)


def test_a_mapping_that_feeds_a_protected_column_to_the_model_is_refused() -> None:
    mapping = parse_mapping(
        {
            "outcome": {"column": "status", "no_destination": "Not Placed"},
            "features": [{"column": "gender", "kind": "categorical"}],
        }
    )
    with pytest.raises(ProtectedAttributeError, match="gender"):
        mapping.schema()


# --- training and time-based validation -------------------------------------------------------


def test_the_newest_cohort_is_the_test_set(artifact: ModelArtifact, newest: pd.DataFrame) -> None:
    validation = artifact.validation
    assert validation is not None
    assert validation.train_cohorts == (2021, 2022, 2023)
    assert validation.test_cohort == NEWEST
    assert validation.metrics.rows == len(newest) == 500
    assert validation.metrics.positives == int(newest[LABEL].sum()) == 51
    assert artifact.training_cohorts == (2021, 2022, 2023, 2024)  # refitted on all


def test_split_newest_cohort_keeps_older_cohorts_only_for_training(
    population: pd.DataFrame,
) -> None:
    train, test = split_newest_cohort(population)
    assert set(train[COHORT]) == {2021, 2022, 2023}
    assert set(test[COHORT]) == {NEWEST}


def test_validation_metrics_match_the_seeded_run(artifact: ModelArtifact) -> None:
    assert artifact.validation is not None
    metrics = artifact.validation.metrics
    assert metrics.roc_auc == pytest.approx(0.7309, abs=0.005)
    assert metrics.pr_auc == pytest.approx(0.3017, abs=0.01)
    assert metrics.brier == pytest.approx(0.0838, abs=0.002)
    assert (metrics.capacity, metrics.k) == (0.1, 50)
    assert metrics.precision_at_k == pytest.approx(17 / 50, abs=0.041)  # ±2 students
    assert metrics.recall_at_k == pytest.approx(17 / 51, abs=0.041)
    counts = [b.count for b in metrics.calibration]
    assert counts[:4] == [pytest.approx(n, abs=5) for n in (257, 200, 29, 11)]
    assert sum(counts) == 500
    lowest = metrics.calibration[0]
    assert (lowest.mean_predicted, lowest.observed_rate) == (
        pytest.approx(0.062, abs=0.005), pytest.approx(0.043, abs=0.01),
    )  # fmt: skip


def test_calibration_gives_probabilities_and_improves_brier(
    artifact: ModelArtifact, newest: pd.DataFrame
) -> None:
    probabilities = artifact.model.predict_proba(newest)
    assert artifact.validation is not None
    assert ((probabilities >= 0) & (probabilities <= 1)).all()
    # Seeded run: 0.0838 calibrated against 0.0851 raw. Platt scaling is monotone, so the
    # ranking metrics cannot have moved; Brier must not get worse.
    assert artifact.validation.metrics.brier < artifact.validation.uncalibrated_brier
    raw = artifact.model.uncalibrated(newest)
    assert np.array_equal(np.argsort(probabilities, kind="stable"), np.argsort(raw, kind="stable"))


def test_calibration_is_fitted_on_out_of_cohort_scores(artifact: ModelArtifact) -> None:
    model = artifact.model
    assert isinstance(model, RiskModel)
    assert model.calibration_split == "leave-one-cohort-out"
    assert model.calibrator.method is CalibrationMethod.SIGMOID
    assert model.calibrator.input is CalibratorInput.MARGIN


@pytest.mark.parametrize("method", [CalibrationMethod.SIGMOID, CalibrationMethod.ISOTONIC])
def test_stored_calibrator_reproduces_scikit_learn(method: CalibrationMethod) -> None:
    rng = np.random.default_rng(3)
    scores = rng.normal(size=400)
    outcomes = (rng.random(400) < expit(1.5 * scores - 1)).astype(int)
    fitted = (
        _SigmoidCalibration() if method is CalibrationMethod.SIGMOID
        else IsotonicRegression(out_of_bounds="clip")
    ).fit(scores, outcomes)  # fmt: skip
    stored = calibrator_from_sklearn(fitted, method, CalibratorInput.MARGIN)
    probe = np.linspace(-5, 5, 101)  # beyond the fitted range on both sides

    assert np.allclose(stored.apply(probe), np.clip(fitted.predict(probe), 0, 1), atol=1e-12)


def test_model_depth_is_capped_to_keep_reasons_affordable() -> None:
    with pytest.raises(ValueError, match="max_depth"):
        RiskModelConfig(max_depth=6)
    with pytest.raises(ValueError, match="num_leaves"):
        RiskModelConfig(num_leaves=31)


def test_training_on_a_single_outcome_is_refused(population: pd.DataFrame) -> None:
    placed = population[population[LABEL] == 0].head(200)
    with pytest.raises(ValueError, match="both outcomes"):
        fit_risk_model(placed, SYNTHETIC_SCHEMA, ONE_THREAD)


# --- reasons ----------------------------------------------------------------------------------


def test_reasons_are_the_largest_positive_contributions_in_order(
    artifact: ModelArtifact, newest: pd.DataFrame
) -> None:
    model = artifact.model
    explained = explain_flagged(model, newest, capacity=0.1)

    assert len(explained) == 50
    contributions = model.contributions(newest.loc[[s.key for s in explained]])
    margins = model.margin(newest.loc[[s.key for s in explained]])
    names = SYNTHETIC_SCHEMA.names
    for student, row, margin in zip(explained, contributions, margins, strict=True):
        per_feature = row[:-1]
        expected = [names[i] for i in np.argsort(-per_feature, kind="stable")[:3]]
        expected = [n for n in expected if per_feature[names.index(n)] > 0]
        assert [r.feature for r in student.reasons] == expected
        assert [r.contribution for r in student.reasons] == [
            pytest.approx(per_feature[names.index(n)]) for n in expected
        ]
        assert row.sum() == pytest.approx(margin, abs=1e-9)  # contributions + bias = margin
    probabilities = [s.probability for s in explained]
    assert probabilities == sorted(probabilities, reverse=True)


def test_contributions_computed_per_decision_group_equal_the_boosters_own(
    artifact: ModelArtifact, newest: pd.DataFrame
) -> None:
    model = artifact.model
    assert isinstance(model, RiskModel)
    rows = newest.copy()
    numeric = rows.columns.get_loc(SYNTHETIC_SCHEMA.names_of(FeatureKind.NUMERIC)[0])
    rows.iloc[::7, numeric] = np.nan  # missing and zero values take LightGBM's special paths
    rows.iloc[1::7, numeric] = 0.0
    matrix = model.matrix(rows)

    first, group = decision_groups(model.booster, matrix)

    assert np.array_equal(
        model.contributions(rows), model.booster.predict(matrix, pred_contrib=True)
    )
    assert len(first) < len(rows)  # students sharing every decision are computed once
    assert np.array_equal(group[first], np.arange(len(first)))


def test_only_flagged_students_are_explained(
    artifact: ModelArtifact, newest: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = artifact.model
    explained_rows: list[int] = []
    original = model.contributions_of

    def counting(matrix: np.ndarray) -> np.ndarray:
        explained_rows.append(len(matrix))
        return original(matrix)

    monkeypatch.setattr(model, "contributions_of", counting)
    by_threshold = explain_flagged(model, newest, threshold=0.3)

    assert explained_rows == [len(by_threshold)]
    assert len(by_threshold) == int((model.predict_proba(newest) >= 0.3).sum()) < len(newest)


def test_reason_text_uses_the_phrase_table_with_the_students_value() -> None:
    failed = FeatureSpec("failed_courses_last2", FeatureKind.NUMERIC)
    custom = FeatureSpec("etest_p", FeatureKind.NUMERIC, "就业能力测试", "就业能力测试 {value} 分")
    plain = FeatureSpec("dorm_moves", FeatureKind.NUMERIC, "调换宿舍次数")

    assert phrase(failed, 3.0) == "近两学期不及格课程 3 门"
    assert phrase(custom, 55.5) == "就业能力测试 55.5 分"
    assert phrase(plain, 2.0) == "调换宿舍次数：2"
    assert phrase(failed, float("nan")) == "failed_courses_last2：缺失"


def test_top_positive_ignores_negative_contributions_and_keeps_order_on_ties() -> None:
    assert top_positive(np.array([0.2, -1.0, 0.5, 0.2, 0.0]), 3) == [2, 0, 3]
    assert top_positive(np.array([-0.1, 0.0]), 3) == []


# --- metrics ----------------------------------------------------------------------------------


def test_capacity_metrics_on_a_hand_scored_list() -> None:
    y = np.array([1, 0, 1, 0, 0, 0, 1, 0, 0, 0])
    p = np.array([0.9, 0.8, 0.7, 0.3, 0.3, 0.2, 0.1, 0.1, 0.05, 0.0])
    metrics = risk_metrics(y, p, capacity=0.3)

    assert (metrics.k, metrics.precision_at_k, metrics.recall_at_k) == (3, 2 / 3, 2 / 3)
    assert metrics.brier == pytest.approx(np.mean((p - y) ** 2))
    assert json.loads(json.dumps(metrics.to_dict()))["k"] == 3


def test_capacity_rounds_up_and_ties_break_by_margin_then_row() -> None:
    assert [capacity_count(n, 0.1) for n in (1, 9, 10, 11, 215)] == [1, 1, 1, 2, 22]
    scores = np.array([0.5, 0.5, 0.5, 0.1])
    assert top_k_mask(scores, 2, tiebreak=np.array([0.0, 2.0, 1.0, 9.0])).tolist() == [
        False, True, True, False,
    ]  # fmt: skip
    assert top_k_mask(scores, 2).tolist() == [True, True, False, False]


def test_calibration_table_bins_by_tenths_including_one() -> None:
    table = calibration_table(np.array([0, 1, 1, 0]), np.array([0.05, 0.15, 1.0, 0.95]))
    assert [b.count for b in table] == [1, 1, 0, 0, 0, 0, 0, 0, 0, 2]
    assert (table[9].mean_predicted, table[9].observed_rate) == (pytest.approx(0.975), 0.5)
    assert table[2].mean_predicted is None


# --- fairness ---------------------------------------------------------------------------------


def test_fairness_report_on_a_hand_computed_table() -> None:
    # Group A: 10 students, 4 in difficulty, 5 flagged of whom 3 in difficulty.
    # Group B: 10 students, 5 in difficulty, 3 flagged of whom 2 in difficulty.
    # Group C: one student (too small to compare), in difficulty, flagged; one without a group.
    y = np.array([*[1, 1, 1, 1, 0, 0, 0, 0, 0, 0], *[1, 1, 1, 1, 1, 0, 0, 0, 0, 0], 1, 0])
    flags = np.array([*[1, 1, 1, 0, 1, 1, 0, 0, 0, 0], *[1, 1, 0, 0, 0, 1, 0, 0, 0, 0], 1, 0])
    groups = pd.DataFrame({"hukou_type": ["A"] * 10 + ["B"] * 10 + ["C", None]})

    report = fairness_report(groups, y, flags.astype(bool), min_group_rows=5)

    (hukou,) = report.attributes
    a, b, c, missing = hukou.groups
    assert (a.group, a.rows, a.positives, a.flagged) == ("A", 10, 4, 5)
    assert (a.flag_rate, a.precision, a.recall) == (0.5, 3 / 5, 3 / 4)
    assert (b.flag_rate, b.precision, b.recall) == (0.3, 2 / 3, 2 / 5)
    assert (c.compared, missing.group, missing.precision, missing.recall) == (
        False, "(missing)", None, None,
    )  # fmt: skip
    assert hukou.flag_rate_ratio == pytest.approx(0.6)
    assert hukou.recall_gap == pytest.approx(0.35)
    assert hukou.precision_gap == pytest.approx(2 / 3 - 3 / 5)
    assert hukou.below_four_fifths and hukou.recall_gap_exceeded
    assert json.loads(json.dumps(report.to_dict()))["attributes"][0]["attribute"] == "hukou_type"


def test_fairness_report_does_not_highlight_equal_treatment() -> None:
    y = np.array([1, 0, 0, 0, 1, 0, 0, 0])
    flags = np.array([1, 0, 0, 0, 1, 0, 0, 0], dtype=bool)
    groups = pd.DataFrame({"gender": ["女"] * 4 + ["男"] * 4})

    (gender,) = fairness_report(groups, y, flags, min_group_rows=1).attributes

    assert (gender.flag_rate_ratio, gender.recall_gap) == (1.0, 0.0)
    assert not gender.highlighted


# --- artifact ---------------------------------------------------------------------------------


def test_save_and_load_give_identical_predictions_and_reasons(
    artifact: ModelArtifact, newest: pd.DataFrame, tmp_path
) -> None:
    loaded = ModelArtifact.load(artifact.save(tmp_path / "model"))

    assert np.array_equal(loaded.model.predict_proba(newest), artifact.model.predict_proba(newest))
    assert np.array_equal(loaded.model.contributions(newest), artifact.model.contributions(newest))
    assert (loaded.version, loaded.created_at) == (artifact.version, CREATED)
    assert loaded.version == f"risk-20250901T080000Z-{SYNTHETIC_SCHEMA.hash()[:8]}"
    assert loaded.schema_hash == SYNTHETIC_SCHEMA.hash()
    assert loaded.training_cohorts == artifact.training_cohorts
    assert loaded.validation == artifact.validation
    assert loaded.config == ONE_THREAD
    assert sorted(p.name for p in (tmp_path / "model").iterdir()) == ["artifact.json", "model.txt"]


def test_loading_refuses_a_schema_that_does_not_match_its_hash(
    artifact: ModelArtifact, tmp_path
) -> None:
    directory = artifact.save(tmp_path / "model")
    manifest = json.loads((directory / "artifact.json").read_text("utf-8"))
    manifest["schema"]["features"][0]["name"] = "gpa_v2"
    (directory / "artifact.json").write_text(json.dumps(manifest), "utf-8")

    with pytest.raises(ArtifactError, match="hash"):
        ModelArtifact.load(directory)


def test_unknown_categories_at_scoring_time_are_scored_as_missing(
    artifact: ModelArtifact, newest: pd.DataFrame
) -> None:
    renamed = newest.head(5).assign(school="S99")
    missing = newest.head(5).assign(school=None)
    assert np.array_equal(
        artifact.model.predict_proba(renamed), artifact.model.predict_proba(missing)
    )


# --- external tables and folds ----------------------------------------------------------------

MAPPING = {
    "outcome": {"column": "status", "no_destination": ["Not Placed"]},
    "features": [
        {"column": "score", "kind": "numeric"},
        {"column": "track", "kind": "categorical"},
    ],
    "protected": ["gender"],
    "ignored": {"salary": "leaks the outcome"},
}


def test_external_rows_are_padded_stripped_and_labelled() -> None:
    rows = [
        ["\ufeffscore", "track\t", "gender", "status", "salary", "extra"],
        ["61", "A", "F", "Placed", "200", "x"],
        ["", "B", "M", "Not Placed"],  # the reader drops trailing empty cells
        ["70", "A", "", ""],  # no outcome: left out
    ]
    prepared = prepare_table(frame_from_rows(rows), parse_mapping(MAPPING))

    assert prepared.table[LABEL].tolist() == [0, 1]
    assert prepared.table["score"].tolist()[0] == 61.0
    assert np.isnan(prepared.table["score"].tolist()[1])
    assert prepared.table["gender"].tolist() == ["F", "M"]
    assert (prepared.dropped_rows, prepared.unmapped_columns) == (1, ("extra",))
    assert prepared.schema.names == ["score", "track"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["score", "track", "gender", "status"], ["n/a", "A", "F", "Placed"]], "'n/a'"),
        ([["score", "track", "gender", "status"], ["1", "A", "F", "Placed"]], "values present"),
        ([["score", "gender", "status"], ["1", "F", "Placed"]], "lacks mapped columns: track"),
    ],
)
def test_external_tables_that_do_not_fit_the_mapping_fail_clearly(
    rows: list[list[str]], message: str
) -> None:
    with pytest.raises(MappingError, match=message):
        prepare_table(frame_from_rows(rows), parse_mapping(MAPPING))


def test_folds_walk_forward_by_cohort_when_there_is_one(population: pd.DataFrame) -> None:
    labels = population[LABEL].to_numpy()
    splits, design = choose_splits(population, labels, folds=5, seed=1)

    assert design.startswith("forward by cohort")
    assert [cohort for _, _, cohort in splits] == [2022, 2023, 2024]
    for train, test, cohort in splits:
        assert population.iloc[train][COHORT].max() < cohort
        assert set(population.iloc[test][COHORT]) == {cohort}

    no_cohort = population.drop(columns=[COHORT])
    splits, design = choose_splits(no_cohort, labels, folds=5, seed=1)
    assert design.startswith("stratified 5-fold")
    assert sorted(np.concatenate([test for _, test, _ in splits]).tolist()) == list(
        range(len(population))
    )
