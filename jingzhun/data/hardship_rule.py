"""The decision rule of the hardship model: from class probabilities to one aid class.

The competition metric Σ (n_c/N)·F1_c rewards predicting the rare aid classes; plain argmax
of a model trained on 86 % "no aid" almost never does. The rule multiplies each class's
probability by a weight and takes the argmax. The weights are chosen to maximise the metric
on out-of-fold predictions of the *training* students only (the caller supplies those), so a
cross-validation that fits the rule inside each training fold never sees its test fold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from sklearn.metrics import precision_recall_fscore_support

NO_AID = 0
WEIGHT_GRID: tuple[float, ...] = tuple(float(w) for w in np.geomspace(0.5, 16.0, 21))
"""Candidate weights of an aid class's probability (the no-aid class keeps weight 1)."""
ROUNDS = 3
"""Coordinate-ascent passes over the aid classes; the weights settle after two or three."""
AID_SHARES: tuple[float, ...] = tuple(float(q) for q in np.linspace(0.05, 0.5, 46))
"""Candidate shares of students to call aided when the rule cuts on the ranking score."""


def competition_metric(
    y_true: np.ndarray, y_pred: np.ndarray, aid_classes: Sequence[int] = (1000, 1500, 2000)
) -> float:
    """Σ_{c ∈ aid classes} (n_c / N) · F1_c, N counting every student (no aid included)."""
    _, _, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=list(aid_classes), zero_division=0
    )
    return float(np.sum(support / len(y_true) * f1))


@dataclass(frozen=True)
class DecisionRule:
    """Predict argmax_c weight_c · P(c); all weights 1 is plain argmax."""

    classes: tuple[int, ...]
    weights: tuple[float, ...]
    aid_threshold: float | None = None
    """When set, a student is aided when the ranking score reaches it, and the aid class is
    then the largest weighted probability among the aid classes."""

    @classmethod
    def argmax(cls, classes: Sequence[int]) -> DecisionRule:
        return cls(tuple(int(c) for c in classes), tuple(1.0 for _ in classes))

    def decide(self, proba: np.ndarray, score: np.ndarray | None = None) -> np.ndarray:
        """One class per row of `proba` (columns in the order of `classes`); with a threshold,
        `score` (the ranking score of each row) decides aid or not."""
        weighted = np.asarray(proba) * np.asarray(self.weights)
        classes = np.asarray(self.classes)
        if self.aid_threshold is None or score is None or NO_AID not in self.classes:
            return classes[np.argmax(weighted, axis=1)]
        aid = [i for i, c in enumerate(self.classes) if c != NO_AID]
        level = classes[aid][np.argmax(weighted[:, aid], axis=1)]
        return np.where(np.asarray(score) >= self.aid_threshold, level, NO_AID)

    def weighted(self, proba: np.ndarray) -> np.ndarray:
        """Each aid class's weighted probability, for "the likeliest aid class"."""
        return np.asarray(proba) * np.asarray(self.weights)


def fit_decision_rule(
    proba: np.ndarray,
    y_true: np.ndarray,
    classes: Sequence[int],
    grid: Sequence[float] = WEIGHT_GRID,
) -> DecisionRule:
    """Class weights maximising the competition metric on the given (out-of-fold) predictions.

    Coordinate ascent over the aid classes on a fixed grid; ties keep the smaller weight, so a
    class the data says nothing about stays near plain argmax rather than flooding the list.
    """
    classes = tuple(int(c) for c in classes)
    aid = [c for c in classes if c != NO_AID]
    weights = [1.0] * len(classes)
    for _ in range(ROUNDS):
        changed = False
        for c in aid:
            i = classes.index(c)
            best_weight, best_score = weights[i], -1.0
            for w in sorted(grid):
                trial = DecisionRule(classes, (*weights[:i], w, *weights[i + 1 :]))
                score = competition_metric(y_true, trial.decide(proba), aid)
                if score > best_score + 1e-12:
                    best_weight, best_score = w, score
            changed |= best_weight != weights[i]
            weights[i] = best_weight
        if not changed:
            break
    return DecisionRule(classes, tuple(weights))


def fit_aid_threshold(
    rule: DecisionRule,
    proba: np.ndarray,
    score: np.ndarray,
    y_true: np.ndarray,
    shares: Sequence[float] = AID_SHARES,
) -> DecisionRule:
    """The rule with a cut on the ranking score: the share of (out-of-fold) students called
    aided that maximises the metric, the level still chosen by the rule's weights; ties keep
    the smaller share. Always a cut: on the development split the cut added 0.001–0.0026 to
    the metric in paired comparisons (0.0266 against 0.0255 on the command's features), and a
    fallback to the weights alone gained nothing measurable."""
    aid = [c for c in rule.classes if c != NO_AID]
    best_rule, best_score = rule, -1.0
    for share in sorted(shares):
        trial = replace(rule, aid_threshold=float(np.quantile(score, 1.0 - share)))
        value = competition_metric(y_true, trial.decide(proba, score), aid)
        if value > best_score + 1e-12:
            best_rule, best_score = trial, value
    return best_rule
