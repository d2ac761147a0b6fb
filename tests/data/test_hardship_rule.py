"""The decision rule: class weights chosen on training students' out-of-fold predictions,
never on the test fold; the ranking figures beside the competition metric."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import PredefinedSplit

from jingzhun.data.hardship import (
    REPEAT_SEED_STEP,
    HardshipParams,
    fit_hardship,
    out_of_fold_proba,
    predict_class,
    rank_phrase,
    split_out_of_fold,
)
from jingzhun.data.hardship_evaluation import out_of_fold, precision_at_top
from jingzhun.data.hardship_rule import (
    DecisionRule,
    competition_metric,
    fit_aid_threshold,
    fit_decision_rule,
)
from tests.data.test_hardship import constructed_population

CLASSES = (0, 1000, 2000)
FAST = HardshipParams(n_estimators=20, rule_folds=3)


@pytest.mark.parametrize(
    ("weights", "row", "decided"),
    [
        ((1.0, 1.0, 1.0), [0.6, 0.3, 0.1], 0),
        ((1.0, 3.0, 1.0), [0.6, 0.3, 0.1], 1000),
        ((1.0, 3.0, 10.0), [0.6, 0.3, 0.1], 2000),
        ((1.0, 1.0, 1.0), [0.2, 0.4, 0.4], 1000),  # a tie goes to the first class
    ],
)
def test_the_rule_takes_the_largest_weighted_probability(
    weights: tuple[float, ...], row: list[float], decided: int
) -> None:
    assert DecisionRule(CLASSES, weights).decide(np.array([row])).tolist() == [decided]


def test_weights_lift_a_class_that_argmax_never_predicts() -> None:
    # 2000-yuan students have P(2000) = 0.3, never the largest: argmax scores 0.
    proba = np.array([[0.8, 0.1, 0.1]] * 6 + [[0.6, 0.1, 0.3]] * 2)
    truth = np.array([0] * 6 + [2000] * 2)

    rule = fit_decision_rule(proba, truth, CLASSES)

    assert competition_metric(truth, DecisionRule.argmax(CLASSES).decide(proba)) == 0.0
    assert rule.decide(proba).tolist() == truth.tolist()
    assert rule.weights[1] == 0.5  # 1000 is never right: the smallest weight of the grid
    assert 2.0 < rule.weights[2] < 8.0


def test_a_cut_on_the_score_decides_aid_and_the_weights_the_level() -> None:
    rule = DecisionRule(CLASSES, (1.0, 1.0, 2.0), aid_threshold=0.5)
    proba = np.array([[0.9, 0.06, 0.04], [0.9, 0.06, 0.04], [0.2, 0.5, 0.3]])
    score = np.array([0.7, 0.3, 0.4])

    assert rule.decide(proba, score).tolist() == [2000, 0, 0]
    assert rule.decide(proba).tolist() == [0, 0, 2000]  # without a score: the weights alone


def test_the_cut_is_taken_when_the_score_finds_aid_the_probabilities_miss() -> None:
    # The trees' P(no aid) is always the largest, so the weights alone never call anyone
    # aided in a way that helps; the score ranks the two 2000-yuan students first.
    proba = np.array([[0.9, 0.04, 0.06]] * 8)
    score = np.array([0.9, 0.8, 0.3, 0.2, 0.2, 0.1, 0.1, 0.1])
    truth = np.array([2000, 2000, 0, 0, 0, 0, 0, 0])
    weights_only = DecisionRule(CLASSES, (1.0, 1.0, 1.0))

    rule = fit_aid_threshold(weights_only, proba, score, truth)

    assert rule.aid_threshold is not None
    assert rule.decide(proba, score).tolist() == truth.tolist()
    # Nothing to gain: the smallest share of the grid is kept.
    nobody = fit_aid_threshold(weights_only, proba, score, np.zeros(8, int), shares=(0.5, 0.25))
    assert nobody.decide(proba, score).tolist() == [2000, 2000] + [0] * 6


def test_fit_hardship_carries_a_rule_fitted_on_its_own_students() -> None:
    features, labels = constructed_population()

    model = fit_hardship(features, labels, FAST)
    argmax = fit_hardship(features, labels, HardshipParams(n_estimators=20, rule_folds=0))

    assert model.rule is not None and model.rule.classes == model.classes
    assert argmax.rule is None
    assert set(predict_class(model, features)) <= set(model.classes)


@pytest.mark.parametrize("repeats", [1, 2])
def test_no_test_fold_label_reaches_a_test_fold_decision(repeats: int) -> None:
    """Relabel every student of one test fold: that fold's predictions must not move.

    A rule fitted on all out-of-fold predictions (the leak this guards against) would see
    the relabelled students and shift its weights, and with them the fold's decisions; with
    several inner splits averaged, every one of them stays inside the training fold."""
    features, labels = constructed_population()
    folds = np.arange(len(labels)) % 4
    splitter = PredefinedSplit(folds)
    relabelled = labels.copy()
    in_fold = folds == 0
    relabelled[in_fold] = np.where(labels[in_fold] == 0, 2000, 0)

    params = replace(FAST, rule_repeats=repeats)

    (before, p_before), _ = out_of_fold(features, labels, splitter, params)
    (after, p_after), _ = out_of_fold(features, relabelled, splitter, params)

    assert before[in_fold].tolist() == after[in_fold].tolist()
    assert p_before[in_fold].tolist() == p_after[in_fold].tolist()
    assert before[~in_fold].tolist() != after[~in_fold].tolist()  # the change did reach training


def test_the_rule_sees_the_inner_predictions_averaged_over_repeated_splits() -> None:
    features, labels = constructed_population()
    classes = (0, 1000, 1500, 2000)
    params = replace(FAST, rule_repeats=2)

    proba, score = out_of_fold_proba(features, labels, classes, params, 3)
    first = split_out_of_fold(features, labels, classes, params, 3, params.seed)
    second = split_out_of_fold(features, labels, classes, params, 3, params.seed + REPEAT_SEED_STEP)

    assert not np.array_equal(first[0], second[0])  # the two splits differ
    np.testing.assert_allclose(proba, (first[0] + second[0]) / 2)
    np.testing.assert_allclose(score, (first[1] + second[1]) / 2)
    single = out_of_fold_proba(features, labels, classes, replace(FAST, rule_repeats=1), 3)
    np.testing.assert_array_equal(single[0], first[0])


@pytest.mark.parametrize(
    ("rank_pct", "phrase"),
    [
        (0.96, "成绩位于本学院后 4%"),
        (1.0, "成绩位于本学院后 1%"),
        (0.5, "成绩位于本学院后 50%"),
        (0.1, "成绩位于本学院前 10%"),
        (0.0, "成绩位于本学院前 1%"),
    ],
)
def test_rank_reads_as_front_or_back_of_the_college(rank_pct: float, phrase: str) -> None:
    assert rank_phrase(rank_pct) == phrase


@pytest.mark.parametrize(
    ("aid", "score", "share", "expected"),
    [
        ([1, 0, 0, 0], [0.9, 0.1, 0.2, 0.3], 0.25, 1.0),
        ([1, 0, 0, 0], [0.1, 0.9, 0.2, 0.3], 0.5, 0.0),
        ([1, 1, 0, 0], [0.9, 0.1, 0.8, 0.3], 0.5, 0.5),
        ([1, 0], [0.5, 0.4], 0.01, 1.0),  # at least one student is on the list
    ],
)
def test_precision_at_the_top_of_the_list(
    aid: list[int], score: list[float], share: float, expected: float
) -> None:
    assert precision_at_top(np.array(aid), np.array(score), share) == expected


def test_the_metric_ignores_the_no_aid_class() -> None:
    truth = pd.Series([0, 0, 0, 1000]).to_numpy()

    assert competition_metric(truth, np.array([0, 0, 0, 0])) == 0.0
    assert competition_metric(truth, np.array([1000, 1000, 1000, 1000])) == pytest.approx(
        1 / 4 * (2 * 0.25 / 1.25)
    )
