"""The decision rule of the hardship model: from class probabilities to one aid class.

The competition metric Σ (n_c/N)·F1_c rewards predicting the rare aid classes; plain argmax
of a model trained on 86 % "no aid" almost never does. The rule multiplies each class's
probability by a weight and takes the argmax. The weights are chosen to maximise the metric
on out-of-fold predictions of the *training* students only (the caller supplies those), so a
cross-validation that fits the rule inside each training fold never sees its test fold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import precision_recall_fscore_support

NO_AID = 0
WEIGHT_GRID: tuple[float, ...] = tuple(float(w) for w in np.geomspace(0.5, 16.0, 21))
"""Candidate weights of an aid class's probability (the no-aid class keeps weight 1)."""
ROUNDS = 3
"""Coordinate-ascent passes over the aid classes; the weights settle after two or three."""


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

    @classmethod
    def argmax(cls, classes: Sequence[int]) -> DecisionRule:
        return cls(tuple(int(c) for c in classes), tuple(1.0 for _ in classes))

    def decide(self, proba: np.ndarray) -> np.ndarray:
        """One class per row of `proba` (columns in the order of `classes`)."""
        chosen = np.argmax(np.asarray(proba) * np.asarray(self.weights), axis=1)
        return np.asarray(self.classes)[chosen]

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
