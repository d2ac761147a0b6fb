"""Figures a later stage shows beside students on an earlier stage's list.

The case list and the department work queue belong to stages that may not import the later
ones, yet they must show, say, jobs' count of targeted pushes ("2/3"). The later stage
registers a source from its `AppConfig.ready` (like `core.jobs.register`); the list page asks
for the figures of the students it shows — one call per page, each source answering for all
of them at once (a set-based query, never one per row)::

    figures.register(figures.FigureSource(key="pushes", label=_("Targeted pushes"),
                                          places=frozenset({figures.CASE_LIST}), compute=…))
    by_student = figures.figures_for(figures.CASE_LIST, student_ids=[…], institution_id=…)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

CASE_LIST = "case_list"
ACTION_QUEUE = "action_queue"


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any  # the column heading and the badge's title
    text: str  # "2/3"
    met: bool | None = None  # True: at or above the bar, False: below it, None: no bar


Compute = Callable[[list[int], int | None], dict[int, Figure]]


@dataclass(frozen=True)
class FigureSource:
    key: str
    label: Any
    places: frozenset[str]
    compute: Compute  # (student ids, institution id) → figure per student id


_SOURCES: dict[str, FigureSource] = {}


def register(source: FigureSource) -> None:
    _SOURCES[source.key] = source


def sources_for(place: str) -> list[FigureSource]:
    return [s for s in _SOURCES.values() if place in s.places]


def figures_for(
    place: str, *, student_ids: Iterable[int], institution_id: int | None
) -> dict[int, list[Figure | None]]:
    """Each student's figures at `place`, one per source in `sources_for(place)` order (the
    page's columns), None where a source has nothing for the student."""
    sources = sources_for(place)
    ids = list(dict.fromkeys(student_ids))
    found: dict[int, list[Figure | None]] = {pk: [None] * len(sources) for pk in ids}
    if not ids:
        return found
    for column, source in enumerate(sources):
        for pk, figure in source.compute(ids, institution_id).items():
            if pk in found:
                found[pk][column] = figure
    return found
