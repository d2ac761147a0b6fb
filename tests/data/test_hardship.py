"""The hidden-hardship model: reason texts, the competition metric, evaluation framing."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from jingzhun.data.hardship import (
    HardshipParams,
    explain,
    feature_labels,
    fit_hardship,
    hardship_probability,
    linear_aid_probability,
    position_phrase,
    predict_proba,
    reason_text,
)
from jingzhun.data.hardship_evaluation import competition_metric, evaluation_frame, usable_folds

DECILES_1_TO_9 = np.arange(1.0, 10.0)  # the 10% quantile is 1, ..., the 90% quantile is 9


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        (0.5, "低于全校 10% 分位"),
        (1.0, "低于全校 20% 分位"),
        (3.5, "低于全校 40% 分位"),
        (5.0, "接近全校中位数"),
        (6.5, "高于全校 60% 分位"),
        (9.5, "高于全校 90% 分位"),
    ],
)
def test_position_is_the_tightest_true_statement(value: float, phrase: str) -> None:
    assert position_phrase(value, DECILES_1_TO_9) == phrase


def test_reason_text_reads_as_a_counsellor_would_say_it() -> None:
    labels = feature_labels()
    deciles = np.array([3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5, 7.0, 8.0])

    assert (
        reason_text(labels["meal_cost_mean"], 3.2, deciles)
        == "食堂顿均消费 3.2 元，低于全校 10% 分位"
    )
    assert reason_text(labels["cheap_meal_share"], 0.8, deciles / 10) == (
        "低于 4 元的餐次占比 80%，高于全校 80% 分位"
    )
    assert reason_text(labels["topup_mean"], None, deciles) == "平均每次充值：无记录"


def constructed_population() -> tuple[pd.DataFrame, pd.Series]:
    """100 students per class; meal cost alone separates the classes, late nights are noise."""
    costs = {0: (6.0, 10.0), 1000: (4.0, 5.0), 1500: (3.0, 4.0), 2000: (2.2, 3.0)}
    rng = np.random.default_rng(0)
    frames = []
    for subsidy, (low, high) in costs.items():
        frames.append(
            pd.DataFrame(
                {
                    "meal_cost_mean": np.linspace(low, high, 100),
                    "late_night_share": rng.uniform(0, 0.1, 100),
                    "subsidy": subsidy,
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    frame.index = [f"s{n}" for n in range(len(frame))]
    return frame.drop(columns="subsidy"), frame["subsidy"]


def test_a_student_who_eats_cheaply_is_explained_by_meal_cost() -> None:
    features, labels = constructed_population()
    # Every tree may use meal cost: with half the features per tree, half the trees would
    # see only the noise column of this two-column table.
    model = fit_hardship(features, labels, HardshipParams(n_estimators=50, colsample_bytree=1.0))
    student = pd.DataFrame({"meal_cost_mean": [2.1], "late_night_share": [0.05]}, index=["new"])

    [candidate] = explain(model, student, top=1)

    assert candidate.student_id == "new"
    assert candidate.likely_class == 2000
    assert candidate.probability > 0.9
    assert [r.text for r in candidate.reasons] == ["食堂顿均消费 2.1 元，低于全校 10% 分位"]
    assert candidate.reasons[0].contribution > 0


def test_the_ranking_score_averages_the_trees_with_a_logistic_regression() -> None:
    features, labels = constructed_population()
    fast = HardshipParams(n_estimators=20, rule_folds=0)

    blended = fit_hardship(features, labels, fast)
    trees_only = fit_hardship(features, labels, replace(fast, linear_share=0.0))

    trees = 1.0 - predict_proba(blended, features)[0]
    linear = linear_aid_probability(blended, features)
    assert linear is not None and not np.allclose(linear, trees)
    assert hardship_probability(blended, features).tolist() == pytest.approx(
        (0.5 * trees + 0.5 * linear).tolist()
    )
    assert trees_only.linear is None and linear_aid_probability(trees_only, features) is None
    assert hardship_probability(trees_only, features).tolist() == pytest.approx(trees.tolist())
    # Candidates carry the same score as the ranking.
    [candidate] = explain(blended, features.iloc[[0]])
    assert candidate.probability == pytest.approx(hardship_probability(blended, features).iloc[0])


def test_competition_metric_weighs_aid_classes_by_their_share() -> None:
    truth = np.array([0, 0, 1000, 1500, 2000, 2000])
    predicted = np.array([0, 1000, 1000, 0, 2000, 0])

    # F1(1000) = 2/3 with n=1, F1(1500) = 0, F1(2000) = 2/3 with n=2; N = 6
    assert competition_metric(truth, predicted) == pytest.approx(1 / 6 * 2 / 3 + 2 / 6 * 2 / 3)


def test_folds_are_capped_by_the_smallest_class_and_say_so() -> None:
    labels = pd.Series([0] * 10 + [1000] * 3)

    assert usable_folds(labels, 5) == (
        3,
        ["folds reduced from 5 to 3: the smallest class has 3 students"],
    )
    assert usable_folds(labels, 2) == (2, [])
    with pytest.raises(ValueError, match="only 1"):
        usable_folds(pd.Series([0, 0, 1000]), 2)


def test_students_without_card_rows_keep_missing_features() -> None:
    features = pd.DataFrame({"student_id": ["1"], "period": ["all"], "meals": [10]})
    labels = pd.Series([1000, 0], index=pd.Index(["1", "2"], name="student_id"))
    ranks = pd.Series([0.5], index=["2"])

    frame = evaluation_frame(features, labels, ranks)

    assert list(frame.columns) == ["meals", "rank_pct"]
    assert frame.loc["1", "meals"] == 10.0
    assert np.isnan(frame.loc["2", "meals"])
    assert frame.loc["2", "rank_pct"] == 0.5


def test_the_evaluation_frame_drops_last_bit_noise_of_parallel_sums() -> None:
    labels = pd.Series([0, 1000], index=pd.Index(["1", "2"], name="student_id"))
    features = pd.DataFrame({"student_id": ["1", "2"], "spend_total": [0.1 + 0.2, 0.3]})

    frame = evaluation_frame(features, labels, None)

    assert frame.loc["1", "spend_total"] == frame.loc["2", "spend_total"]


@pytest.mark.parametrize("linear_share", [0.5, 0.0])
def test_the_saved_model_scores_and_decides_as_the_fitted_one(linear_share: float) -> None:
    from jingzhun.data.hardship import predict_class
    from jingzhun.data.hardship_artifact import artifact_bytes, load

    features, labels = constructed_population()
    # Missing values exercise the logistic half's median imputation and indicator columns.
    features.loc[features.index[::7], "late_night_share"] = np.nan
    params = HardshipParams(n_estimators=30, colsample_bytree=1.0, linear_share=linear_share)
    model = fit_hardship(features, labels, params)
    assert model.rule is not None and model.rule.aid_threshold is not None
    assert (model.linear is not None) == (linear_share > 0)

    loaded = load(artifact_bytes(model))

    np.testing.assert_allclose(
        loaded.score(features).to_numpy(), hardship_probability(model, features).to_numpy(),
        rtol=0, atol=1e-9,
    )  # fmt: skip
    np.testing.assert_array_equal(loaded.decide(features), predict_class(model, features))
    # The saved file is independent of column order in the frame it is given.
    reordered = features[features.columns[::-1]]
    np.testing.assert_array_equal(loaded.decide(reordered), predict_class(model, features))
