"""The count of targeted pushes against the threshold ("2/3"), as a figure the case list and
the department queue show (`core.figures`, registered in `JobsConfig.ready`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingzhun.core import figures
from jingzhun.jobs.push_selectors import push_counts_against_threshold

LABEL = _("Targeted pushes")


def push_figures(student_ids: list[int], institution_id: int | None) -> dict[int, figures.Figure]:
    counts = push_counts_against_threshold(student_ids, institution_id=institution_id)
    return {
        pk: figures.Figure(key="pushes", label=LABEL, text=str(count), met=count.met)
        for pk, count in counts.items()
    }


PUSH_FIGURE = figures.FigureSource(
    key="pushes", label=LABEL, places=frozenset({figures.CASE_LIST, figures.ACTION_QUEUE}),
    compute=push_figures,
)  # fmt: skip
