"""The playbook merge: one line per measure, the stricter deadline wins (pure, no database)."""

from __future__ import annotations

import pytest

from jingzhun.assistance.playbooks import PlanLine, PlaybookStep, merge

S = PlaybookStep

CASES = [
    ("no playbooks", [], []),
    (
        "one type keeps its order by deadline",
        [("economic", [S("aid", "aid", 14), S("push", "employment", 30)])],
        [PlanLine("aid", "aid", 14, ("economic",)), PlanLine("push", "employment", 30, ("economic",))],
    ),
    (
        "a shared measure appears once with the earlier deadline and its department",
        [("economic", [S("mentor", "employment", 30)]),
         ("psychological", [S("mentor", "psych", 21)])],
        [PlanLine("mentor", "psych", 21, ("economic", "psychological"))],
    ),
    (
        "a later, looser duplicate changes nothing but its sources",
        [("academic", [S("tutor", "academic", 10)]), ("motivation", [S("tutor", "employment", 40)])],
        [PlanLine("tutor", "academic", 10, ("academic", "motivation"))],
    ),
    (
        "equal deadlines keep the order the playbooks gave",
        [("a", [S("x", "employment", 7), S("y", "aid", 7)]), ("b", [S("z", "psych", 7), S("x", "aid", 7)])],
        [PlanLine("x", "employment", 7, ("a", "b")), PlanLine("y", "aid", 7, ("a",)),
         PlanLine("z", "psych", 7, ("b",))],
    ),
    (
        "lines sort by deadline across types",
        [("a", [S("late", "employment", 60)]), ("b", [S("soon", "aid", 3), S("late", "aid", 45)])],
        [PlanLine("soon", "aid", 3, ("b",)), PlanLine("late", "aid", 45, ("a", "b"))],
    ),
    (
        "a type listed twice is one source",
        [("a", [S("x", "aid", 9)]), ("a", [S("x", "aid", 5)])],
        [PlanLine("x", "aid", 5, ("a",))],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "playbooks", "expected"), CASES, ids=[c[0] for c in CASES])
def test_merge(name, playbooks, expected):
    assert merge(playbooks) == expected


def test_a_negative_deadline_is_a_programming_error():
    with pytest.raises(ValueError, match="negative deadline for x"):
        merge([("a", [S("x", "aid", -1)])])
