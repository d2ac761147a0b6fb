"""How good a risk score is for an office that can help only so many students.

Ranking quality (ROC-AUC, PR-AUC) and probability quality (Brier, a 10-bin calibration table)
are reported beside the number that matters operationally: of the top `capacity` share of
students the office can actually reach, how many were truly at risk (precision@k) and what
share of all at-risk students that covers (recall@k).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

DEFAULT_CAPACITY = 0.1
CALIBRATION_BINS = 10


@dataclass(frozen=True)
class CalibrationBin:
    lower: float
    upper: float
    count: int
    mean_predicted: float | None
    observed_rate: float | None


@dataclass(frozen=True)
class RiskMetrics:
    rows: int
    positives: int
    prevalence: float
    roc_auc: float | None
    pr_auc: float | None
    brier: float
    capacity: float
    k: int
    precision_at_k: float
    recall_at_k: float | None
    calibration: tuple[CalibrationBin, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RiskMetrics:
        bins = tuple(CalibrationBin(**b) for b in data["calibration"])
        return cls(**{**data, "calibration": bins})


def capacity_count(rows: int, capacity: float) -> int:
    """Students the office can take on: the capacity share rounded up, at least one."""
    if not 0 < capacity <= 1:
        raise ValueError("capacity is a share of students in (0, 1]")
    return min(rows, max(1, math.ceil(capacity * rows)))


def top_k_mask(scores: np.ndarray, k: int, tiebreak: np.ndarray | None = None) -> np.ndarray:
    """The k highest scores; ties (isotonic steps) are broken by `tiebreak`, then by row order,
    so the same input always flags the same students."""
    scores = np.asarray(scores, dtype=np.float64)
    secondary = np.zeros_like(scores) if tiebreak is None else np.asarray(tiebreak, np.float64)
    order = np.lexsort((np.arange(len(scores)), -secondary, -scores))
    mask = np.zeros(len(scores), dtype=bool)
    mask[order[:k]] = True
    return mask


def capacity_flags(
    scores: np.ndarray, capacity: float, tiebreak: np.ndarray | None = None
) -> np.ndarray:
    """Who the office would take on at this capacity: the top share of the ranking."""
    return top_k_mask(scores, capacity_count(len(scores), capacity), tiebreak)


def calibration_table(
    y_true: np.ndarray, probabilities: np.ndarray, bins: int = CALIBRATION_BINS
) -> tuple[CalibrationBin, ...]:
    edges = np.linspace(0.0, 1.0, bins + 1)
    # The last bin is closed on the right so that a probability of exactly 1 is counted.
    index = np.clip(np.digitize(probabilities, edges[1:-1], right=False), 0, bins - 1)
    table = []
    for b in range(bins):
        members = index == b
        count = int(members.sum())
        table.append(
            CalibrationBin(
                lower=b / bins,
                upper=(b + 1) / bins,
                count=count,
                mean_predicted=float(probabilities[members].mean()) if count else None,
                observed_rate=float(y_true[members].mean()) if count else None,
            )
        )
    return tuple(table)


def risk_metrics(
    y_true: np.ndarray,
    probabilities: np.ndarray,
    capacity: float = DEFAULT_CAPACITY,
    tiebreak: np.ndarray | None = None,
) -> RiskMetrics:
    """All metrics of one scored population; rank metrics are None when only one class occurs."""
    y = np.asarray(y_true, dtype=np.int64)
    p = np.asarray(probabilities, dtype=np.float64)
    positives = int(y.sum())
    both_classes = 0 < positives < len(y)
    k = capacity_count(len(y), capacity)
    hits = int(y[top_k_mask(p, k, tiebreak)].sum())
    return RiskMetrics(
        rows=len(y),
        positives=positives,
        prevalence=positives / len(y),
        roc_auc=float(roc_auc_score(y, p)) if both_classes else None,
        pr_auc=float(average_precision_score(y, p)) if both_classes else None,
        brier=float(brier_score_loss(y, p, labels=[0, 1])),
        capacity=capacity,
        k=k,
        precision_at_k=hits / k,
        recall_at_k=hits / positives if positives else None,
        calibration=calibration_table(y, p),
    )
