"""Which rows a booster cannot tell apart, so their contributions are computed once.

LightGBM's `pred_contrib` (TreeSHAP) sees a row only through the decision it takes at every
split node of every tree: two rows that take the same decisions everywhere get bit-identical
contributions. Those decisions are fixed by where each value falls among the thresholds the
trees split its feature on, so rows are grouped by that position (numeric splits) or by the
value itself (categorical splits), with missing and zero values kept apart (LightGBM treats
them specially). The grouping is never coarser than the trees': the result is exact, and
flagged students, who share most of their values, cost a fraction of the trees' work.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import lightgbm as lgb
import numpy as np

# LightGBM's kZeroThreshold: values this close to 0 count as zero for `missing_type` Zero.
ZERO = 1e-35


def split_thresholds(booster: lgb.Booster) -> tuple[dict[int, np.ndarray], set[int]]:
    """Sorted numeric thresholds by feature position, and the features split categorically."""
    thresholds: dict[int, set[float]] = defaultdict(set)
    categorical: set[int] = set()
    stack: list[dict[str, Any]] = [t["tree_structure"] for t in booster.dump_model()["tree_info"]]
    while stack:
        node = stack.pop()
        if "split_feature" not in node:
            continue
        feature = int(node["split_feature"])
        if node["decision_type"] == "<=":
            thresholds[feature].add(float(node["threshold"]))
        else:
            categorical.add(feature)
        stack.extend((node["left_child"], node["right_child"]))
    return {f: np.array(sorted(t), dtype=np.float64) for f, t in thresholds.items()}, categorical


def decision_groups(booster: lgb.Booster, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(positions of one row per group, group of every row): rows of a group take the same
    decisions at every node of every tree of `booster`."""
    thresholds, categorical = split_thresholds(booster)
    missing = np.isnan(matrix)
    parts = [missing, np.abs(np.where(missing, 1.0, matrix)) <= ZERO]
    for feature in range(matrix.shape[1]):
        column = np.where(missing[:, feature], 0.0, matrix[:, feature])
        if feature in categorical:
            parts.append(column[:, None])  # the value itself: finer than any category set
        elif feature in thresholds:  # how many thresholds lie below the value
            place = np.searchsorted(thresholds[feature], column, side="left")
            parts.append(place[:, None].astype(np.float64))
    keys = np.ascontiguousarray(np.hstack([p.astype(np.float64) for p in parts]))
    _, first, group = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    return first, group.reshape(-1)
