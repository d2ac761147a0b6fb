"""Ranking quality: hit rate@k and NDCG@k with binary relevance, fair to tied scores.

Pure: numpy, no Django. A ranker gives every candidate a score; several candidates often
share one (the major-only baseline gives hundreds of postings the same 1.0). Breaking those
ties by id would reward or punish a ranker by accident, so the figures here are the
*expected* values over every order of the tied candidates (McSherry & Najork, "Computing
information retrieval performance measures efficiently in the presence of tied scores",
ECIR 2008): within a group of n tied candidates holding r relevant ones, each position of
the group holds a relevant candidate with probability r/n, and no relevant candidate falls
into the m top-k slots of the group with probability C(n-r, m) / C(n, m).

Relevant candidates that were never ranked (filtered out before scoring) still count in the
ideal DCG: a filter that hides the right posting is the ranker's miss.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RankQuality:
    hit: float  # probability that a relevant candidate is among the first k
    ndcg: float  # expected DCG@k over the ideal DCG@k


def discount(position: int) -> float:
    """The DCG weight of a 1-based position."""
    return 1.0 / math.log2(position + 1)


def ideal_dcg(relevant: int, k: int) -> float:
    return sum(discount(i) for i in range(1, min(relevant, k) + 1))


def _none_in_slots(n: int, r: int, m: int) -> float:
    """Chance that m slots drawn from a group of n, r of them relevant, hold none of the r."""
    if m <= 0 or r == 0:
        return 1.0
    if m > n - r:
        return 0.0
    return math.comb(n - r, m) / math.comb(n, m)


def rank_quality(
    scores: Sequence[float] | np.ndarray,
    relevant: Sequence[bool] | np.ndarray,
    *,
    k: int,
    relevant_total: int | None = None,
) -> RankQuality:
    """Expected hit@k and NDCG@k of ranking `scores` (higher first) against `relevant`.

    `relevant_total` counts every relevant candidate, ranked or not (default: those given).
    Nothing relevant at all is a question the ranker cannot answer: a ValueError."""
    if k < 1:
        raise ValueError("k must be at least 1")
    values = np.asarray(scores, dtype=np.float64)
    marks = np.asarray(relevant, dtype=bool)
    if values.shape != marks.shape:
        raise ValueError("scores and relevant differ in length")
    total = int(marks.sum()) if relevant_total is None else relevant_total
    if total < int(marks.sum()):
        raise ValueError("relevant_total is smaller than the relevant candidates given")
    if total == 0:
        raise ValueError("no relevant candidate: hit rate and NDCG are undefined")
    if not len(values):
        return RankQuality(0.0, 0.0)
    # Only the groups reaching into the first k matter: those at or above the k-th score.
    cut = values.size if values.size <= k else None
    threshold = np.partition(values, values.size - k)[values.size - k] if cut is None else -np.inf
    top = values >= threshold
    levels, inverse = np.unique(-values[top], return_inverse=True)  # best score first
    sizes = np.bincount(inverse, minlength=len(levels))
    hits = np.bincount(inverse, weights=marks[top], minlength=len(levels)).astype(int)
    dcg, miss, before = 0.0, 1.0, 0
    for n, r in zip(sizes.tolist(), hits.tolist(), strict=True):
        slots = min(n, k - before)
        if slots <= 0:
            break
        if r:
            dcg += r / n * sum(discount(before + i) for i in range(1, slots + 1))
        miss *= _none_in_slots(n, r, slots)
        before += n
    return RankQuality(hit=1.0 - miss, ndcg=dcg / ideal_dcg(total, k))
