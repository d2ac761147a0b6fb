"""Does the flag list treat groups alike? Flag rate, precision and recall per group.

Protected attributes are never model inputs, but features can still stand in for them; this
report is how the office sees it. A group comparison is highlighted when the lowest flag rate
is under four fifths of the highest (the four-fifths rule), or when recall — the share of a
group's students in difficulty that the list reaches — differs by more than ten points.
Groups too small to say anything are listed but left out of the comparison.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from jingzhun.data.ml.features import category_text

FOUR_FIFTHS = 0.8
RECALL_GAP_LIMIT = 0.1
MIN_GROUP_ROWS = 30
MISSING_GROUP = "(missing)"


@dataclass(frozen=True)
class GroupStats:
    group: str
    rows: int
    positives: int
    flagged: int
    flag_rate: float
    precision: float | None  # None: nobody in the group was flagged
    recall: float | None  # None: nobody in the group had the outcome
    compared: bool  # large enough to enter the ratio and the gaps


@dataclass(frozen=True)
class AttributeFairness:
    attribute: str
    groups: tuple[GroupStats, ...]
    flag_rate_ratio: float | None  # lowest / highest flag rate among compared groups
    precision_gap: float | None  # highest - lowest
    recall_gap: float | None
    below_four_fifths: bool
    recall_gap_exceeded: bool

    @property
    def highlighted(self) -> bool:
        return self.below_four_fifths or self.recall_gap_exceeded


@dataclass(frozen=True)
class FairnessReport:
    attributes: tuple[AttributeFairness, ...]
    four_fifths: float = FOUR_FIFTHS
    recall_gap_limit: float = RECALL_GAP_LIMIT
    min_group_rows: int = MIN_GROUP_ROWS

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def group_order(group: str) -> tuple[bool, bool, float, str]:
    """Codes in numeric order (2 before 11), names alphabetically, missing last."""
    try:
        return (group == MISSING_GROUP, False, float(group), group)
    except ValueError:
        return (group == MISSING_GROUP, True, 0.0, group)


def group_stats(
    groups: pd.Series, y_true: np.ndarray, flagged: np.ndarray, min_group_rows: int
) -> tuple[GroupStats, ...]:
    labels = category_text(groups).fillna(MISSING_GROUP).to_numpy()
    stats = []
    for group in sorted(set(labels), key=group_order):
        members = labels == group
        positives = int(y_true[members].sum())
        flagged_here = int(flagged[members].sum())
        hits = int((flagged[members] & (y_true[members] == 1)).sum())
        rows = int(members.sum())
        stats.append(
            GroupStats(
                group=group,
                rows=rows,
                positives=positives,
                flagged=flagged_here,
                flag_rate=flagged_here / rows,
                precision=_ratio(hits, flagged_here),
                recall=_ratio(hits, positives),
                compared=rows >= min_group_rows,
            )
        )
    return tuple(stats)


def _gap(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return max(known) - min(known) if len(known) >= 2 else None


def compare_groups(
    attribute: str,
    stats: tuple[GroupStats, ...],
    four_fifths: float = FOUR_FIFTHS,
    recall_gap_limit: float = RECALL_GAP_LIMIT,
) -> AttributeFairness:
    compared = [s for s in stats if s.compared]
    rates = [s.flag_rate for s in compared]
    ratio = min(rates) / max(rates) if len(rates) >= 2 and max(rates) > 0 else None
    recall_gap = _gap(s.recall for s in compared)
    return AttributeFairness(
        attribute=attribute,
        groups=stats,
        flag_rate_ratio=ratio,
        precision_gap=_gap(s.precision for s in compared),
        recall_gap=recall_gap,
        below_four_fifths=ratio is not None and ratio < four_fifths,
        recall_gap_exceeded=recall_gap is not None and recall_gap > recall_gap_limit,
    )


def fairness_report(
    groups: pd.DataFrame,
    y_true: np.ndarray,
    flagged: np.ndarray,
    *,
    four_fifths: float = FOUR_FIFTHS,
    recall_gap_limit: float = RECALL_GAP_LIMIT,
    min_group_rows: int = MIN_GROUP_ROWS,
) -> FairnessReport:
    """One comparison per column of `groups` (gender, ethnicity, hukou_type, school, …)."""
    y = np.asarray(y_true, dtype=np.int64)
    flags = np.asarray(flagged, dtype=bool)
    if not len(groups) == len(y) == len(flags):
        raise ValueError("groups, outcomes and flags must describe the same rows")
    attributes = tuple(
        compare_groups(
            column,
            group_stats(groups[column].reset_index(drop=True), y, flags, min_group_rows),
            four_fifths,
            recall_gap_limit,
        )
        for column in groups.columns
    )
    return FairnessReport(attributes, four_fifths, recall_gap_limit, min_group_rows)
