"""Hit rate@k and NDCG@k, with ties averaged over every order: cases computed by hand."""

from __future__ import annotations

import math

import pytest

from jingzhun.jobs.ranking_metrics import rank_quality

L2, L3, L4 = 1 / math.log2(2), 1 / math.log2(3), 1 / math.log2(4)


@pytest.mark.parametrize(
    ("scores", "relevant", "k", "total", "hit", "ndcg"),
    [
        # one relevant, ranked first / second / third (k = 2: third is a miss)
        ([0.9, 0.5, 0.1], [True, False, False], 2, None, 1.0, 1.0),
        ([0.9, 0.5, 0.1], [False, True, False], 2, None, 1.0, L3),
        ([0.9, 0.5, 0.1], [False, False, True], 2, None, 0.0, 0.0),
        # two relevant at ranks 1 and 3, k = 3: DCG 1 + 1/2, ideal 1 + 1/log2(3)
        ([3, 2, 1], [True, False, True], 3, None, 1.0, (L2 + L4) / (L2 + L3)),
        # the relevant one tied with another for first: each position half the time
        ([0.7, 0.7, 0.1], [True, False, False], 1, None, 0.5, 0.5),
        ([0.7, 0.7, 0.1], [True, False, False], 2, None, 1.0, (L2 + L3) / 2),
        # four tied, one relevant, k = 2: in the top two with chance 2/4
        ([1, 1, 1, 1], [False, False, True, False], 2, None, 0.5, (L2 + L3) / 4),
        # four tied, two relevant, k = 1: C(2,1)/C(4,1) = 1/2 of missing
        ([1, 1, 1, 1], [True, False, True, False], 1, None, 0.5, 0.5),
        # a better score above the tie pushes the group down one position
        ([2, 1, 1], [False, True, False], 2, None, 0.5, 0.5 * L3 / L2),
        # the relevant posting was filtered out: counted in the ideal, never found
        ([0.9, 0.5], [False, False], 10, 1, 0.0, 0.0),
        # one of two relevant ranked first, the other filtered out: ideal 1 + 1/log2(3)
        ([0.9, 0.5], [True, False], 10, 2, 1.0, L2 / (L2 + L3)),
        # fewer candidates than k
        ([0.2], [True], 10, None, 1.0, 1.0),
        ([], [], 10, 1, 0.0, 0.0),
    ],
)
def test_hit_rate_and_ndcg_by_hand(scores, relevant, k, total, hit, ndcg):
    found = rank_quality(scores, relevant, k=k, relevant_total=total)
    assert found.hit == pytest.approx(hit)
    assert found.ndcg == pytest.approx(ndcg)


def test_ties_are_averaged_over_every_order():
    """Brute force over all orders of a tied group agrees with the closed form."""
    import itertools

    scores = [5, 3, 3, 3, 3, 1]
    relevant = [False, False, True, False, True, False]
    k = 3
    hits, gains = [], []
    for order in itertools.permutations(range(1, 5)):
        ranked = [0, *order, 5]
        marks = [relevant[i] for i in ranked][:k]
        hits.append(any(marks))
        gains.append(sum(1 / math.log2(p + 2) for p, m in enumerate(marks) if m))
    found = rank_quality(scores, relevant, k=k)
    assert found.hit == pytest.approx(sum(hits) / len(hits))
    assert found.ndcg == pytest.approx(sum(gains) / len(gains) / (L2 + L3))


@pytest.mark.parametrize(
    ("scores", "relevant", "k", "total"),
    [([1], [False], 10, None), ([1, 2], [True], 10, None), ([1], [True], 0, None),
     ([1, 2], [True, True], 10, 1)],
)  # fmt: skip
def test_questions_without_an_answer_are_refused(scores, relevant, k, total):
    with pytest.raises(ValueError):
        rank_quality(scores, relevant, k=k, relevant_total=total)
