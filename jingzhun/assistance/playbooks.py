"""Merging playbooks into a plan's lines: pure, no database.

A case with several difficulty types gets one line per measure: the same measure asked for by
two types appears once, with the stricter (earlier) deadline and the department of the
playbook that set it; the lines are ordered by deadline, then by the order the playbooks gave.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PlaybookStep:
    measure: str  # the measure's code
    department_kind: str
    deadline_days: int


@dataclass(frozen=True)
class PlanLine:
    measure: str
    department_kind: str
    deadline_days: int
    sources: tuple[str, ...]  # the difficulty types that asked for it, in the given order


def merge(playbooks: Sequence[tuple[str, Sequence[PlaybookStep]]]) -> list[PlanLine]:
    """`playbooks`: (difficulty type, its ordered steps) per type of the case."""
    best: dict[str, tuple[PlaybookStep, int]] = {}
    sources: dict[str, list[str]] = {}
    position = 0
    for type_code, steps in playbooks:
        for step in steps:
            if step.deadline_days < 0:
                raise ValueError(f"negative deadline for {step.measure}")
            seen = best.get(step.measure)
            if seen is None:
                best[step.measure] = (step, position)
                sources[step.measure] = [type_code]
            else:
                if step.deadline_days < seen[0].deadline_days:
                    best[step.measure] = (step, seen[1])
                if type_code not in sources[step.measure]:
                    sources[step.measure].append(type_code)
            position += 1
    ordered = sorted(best.values(), key=lambda pair: (pair[0].deadline_days, pair[1]))
    return [
        PlanLine(s.measure, s.department_kind, s.deadline_days, tuple(sources[s.measure]))
        for s, _position in ordered
    ]
