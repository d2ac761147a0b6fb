"""Small-group suppression as tables: what is hidden, and that nothing hidden can be pinned."""

from __future__ import annotations

import pytest

from jingzhun.analytics.suppression import Equation, Hidden, exposed, shown, suppress

P, C = Hidden.PRIMARY, Hidden.COMPLEMENTARY
ROW = Equation("t", ("a", "b", "c"))

CASES = [
    # (name, values, equations, expected hidden)
    ("nothing small", {"t": 30, "a": 10, "b": 12, "c": 8}, [ROW], {}),
    ("a lone count, no total", {"x": 3}, [], {"x": P}),
    ("zero is under five too", {"x": 0, "y": 7}, [], {"x": P}),
    # t - b - c would give a: the smallest other part goes too.
    ("one small part", {"t": 30, "a": 3, "b": 12, "c": 15}, [ROW], {"a": P, "b": C}),
    # Two small parts summing to 2 may be 0+2, 1+1 or 2+0: neither is pinned.
    ("two ones", {"t": 22, "a": 1, "b": 1, "c": 20}, [ROW], {"a": P, "b": P}),
    # Two small parts summing to 8 are both 4.
    ("two fours", {"t": 28, "a": 4, "b": 4, "c": 20}, [ROW], {"a": P, "b": P, "c": C}),
    ("two small, free", {"t": 25, "a": 2, "b": 3, "c": 20}, [ROW], {"a": P, "b": P}),
    # A small total hides the row: all its parts are small as well.
    ("small total", {"t": 4, "a": 1, "b": 3, "c": 0}, [ROW], {"t": P, "a": P, "b": P, "c": P}),
    # A complement of 5 beside a 0 pins it (a hidden "—" is at least 5): one more goes.
    (
        "complement too small to hide it",
        {"t": 30, "a": 0, "b": 5, "c": 25},
        [ROW],
        {"a": P, "b": C, "c": C},
    ),
]


@pytest.mark.parametrize(
    ("name", "values", "equations", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_suppress(name: str, values: dict[str, int], equations: list[Equation], expected: dict):
    hidden = suppress(values, equations)
    assert hidden == expected
    bounds = exposed(values, hidden, equations)
    assert all(bounds[k][0] < bounds[k][1] for k, kind in hidden.items() if kind is P)


def test_a_tree_of_partitions_protects_every_small_group():
    """The overview's shape: one total split three ways, and each group split by type."""
    values = {
        "D": 40, "s1": 22, "s2": 18, "l1": 3, "l2": 37,
        "g1": 36, "g2": 4, "g1:x": 30, "g1:y": 6, "g2:x": 2, "g2:y": 2,
    }  # fmt: skip
    equations = [
        Equation("D", ("s1", "s2")),
        Equation("D", ("l1", "l2")),
        Equation("D", ("g1", "g2")),
        Equation("g1", ("g1:x", "g1:y")),
        Equation("g2", ("g2:x", "g2:y")),
    ]
    hidden = suppress(values, equations)
    assert {k for k, v in hidden.items() if v is P} == {"l1", "g2", "g2:x", "g2:y"}
    bounds = exposed(values, hidden, equations)
    pinned = [k for k, kind in hidden.items() if kind is P and bounds[k][0] >= bounds[k][1]]
    assert pinned == []
    assert {k for k, v in hidden.items() if v is C} == {"l2", "g1", "g1:y"}


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [(0, P, "<5"), (4, P, "<5"), (12, C, "—"), (1234, None, "1,234"), (5, None, "5")],
)
def test_shown(value: int, kind: Hidden | None, text: str):
    assert shown(value, kind) == text
