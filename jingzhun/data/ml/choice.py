"""Which of the two fitted models the product recommends: the better one on the newest cohort.

The criterion is PR-AUC on the held-out data: the office works down a short list of the
riskiest students, and PR-AUC measures how many of those on such lists end without a
destination, at every list length. When the two are within `TIE_MARGIN` the linear model is
recommended: it is simpler, its reasons are exact, and one cohort cannot tell such a gap from
noise.
"""

from __future__ import annotations

from collections.abc import Mapping

from jingzhun.data.ml.artifact import KIND_LIGHTGBM, KIND_LINEAR

CRITERION = "pr_auc"
TIE_MARGIN = 0.005


def recommend(pr_auc: Mapping[str, float | None]) -> str:
    """The kind to recommend, given each kind's PR-AUC (None: only one outcome was held out,
    so nothing could be measured; the other model, or the simpler if neither was)."""
    trees, linear = pr_auc.get(KIND_LIGHTGBM), pr_auc.get(KIND_LINEAR)
    if trees is None or linear is None:
        return KIND_LINEAR if trees is None else KIND_LIGHTGBM
    return KIND_LIGHTGBM if trees > linear + TIE_MARGIN else KIND_LINEAR
